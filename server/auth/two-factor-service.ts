/**
 * Two-factor sign-in (seed 001, note 3): enrolment (a secret shown once as a QR code, in force
 * after the first code, with ten single-use recovery codes), the code step of a sign-in, turning it
 * off with a code, and an admin's reset. Every change is audited. Wrong codes are counted per user
 * in the store (so every relay sees them): after MAX_FAILURES in a row code entry is locked for
 * LOCK_MS. Walls (viewers) never get here: they sign in with device credentials.
 */
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { LoginResponse } from '../../shared/auth';
import { can, type Role } from '../../shared/roles';
import {
  totpConfirmSchema,
  totpDisableSchema,
  totpLoginSchema,
  type LoginChallenge,
  type TotpConfirmResponse,
  type TotpEnrolment,
  type TotpStatus,
} from '../../shared/two-factor';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import type { Actor } from '../domain/permissions';
import { appendAudit } from '../store/audit-repository';
import type { Database } from '../store/schema';
import { findUser, type StoredUser } from '../store/user-repository';
import type { TokenService } from './tokens';
import {
  checkTotp,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  otpauthUri,
  recoveryCodeMatches,
  sealSecret,
  TOTP_ISSUER,
} from './totp';
import {
  acceptStep,
  deleteTotp,
  enabledTotpUsers,
  enableTotp,
  findTotp,
  recordFailure,
  savePendingTotp,
  unusedRecoveryCodes,
  useRecoveryCode,
} from './two-factor-repository';

/** Wrong codes in a row before code entry is locked (per user, across relays). */
export const MAX_FAILURES = 5;
export const LOCK_MS = 5 * 60_000;
const MS_PER_SECOND = 1000;

export interface TwoFactorOptions {
  db: Kysely<Database>;
  tokens: TokenService;
  /** TOTP_REQUIRED_ROLES */
  requiredRoles: readonly Role[];
  /** TOTP_SECRET_KEY */
  secretKey: string | undefined;
  /** Ends a sign-in whose second step passed: issues the session and audits `auth.login`. */
  completeLogin: (
    user: StoredUser,
    origin: { ip: string },
    secondFactor: 'totp' | 'recovery_code' | 'enrolment',
  ) => Promise<LoginResponse>;
  now?: () => number;
}

/** Who an enrolment is for: the signed-in user, or the holder of an `enrol` ticket. */
type Enrollee = { user: StoredUser; viaTicket: boolean };

export class TwoFactorService {
  private readonly now: () => number;

  constructor(private readonly options: TwoFactorOptions) {
    this.now = options.now ?? Date.now;
  }

  isRequired(role: Role): boolean {
    return this.options.requiredRoles.includes(role);
  }

  /** Users with TOTP in force (the admin user list shows it). */
  enabledUsers(): Promise<Set<string>> {
    return enabledTotpUsers(this.options.db);
  }

  /**
   * What a sign-in whose password was right still needs: a code (TOTP in force), enrolment (the
   * role requires it), or nothing (null: the session can be issued).
   */
  async challengeFor(user: StoredUser): Promise<LoginChallenge | null> {
    if (user.role === 'viewer') return null;
    const totp = await findTotp(this.options.db, user.username);
    const enabled = totp !== undefined && totp.enabledAtMs !== null;
    if (!enabled && !this.isRequired(user.role)) return null;
    const purpose = enabled ? 'totp' : 'enrol';
    const { ticket, expiresAtMs } = await this.options.tokens.issueChallenge(
      { username: user.username, generation: user.tokenGeneration, purpose },
      this.now(),
    );
    return {
      secondFactor: purpose,
      ticket,
      expiresAtMs,
      user: { username: user.username, role: user.role },
    };
  }

  /** The code step of a sign-in: a TOTP code, or a recovery code (used up). */
  async login(body: unknown, origin: { ip: string }): Promise<Outcome<LoginResponse>> {
    const parsed = totpLoginSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const user = await this.ticketUser(parsed.data.ticket, 'totp');
    if (!user.ok) return user;
    const { db } = this.options;
    const nowMs = this.now();
    const totp = await findTotp(db, user.value.username);
    const secret =
      totp?.enabledAtMs != null ? openSecret(totp.secret, this.options.secretKey) : null;
    if (!totp || secret === null) {
      return fail(
        HTTP.unauthorized,
        'unauthorized',
        'two-factor sign-in is not set up for this user (or its secret cannot be read): sign in again',
      );
    }
    if (totp.lockedUntilMs > nowMs) return this.locked(totp.lockedUntilMs, nowMs);

    const code = parsed.data.code;
    // Six digits are a TOTP code; ten letters and digits a recovery code.
    const recovery = /^\d{6}$/.test(code.replace(/\s+/g, '')) ? null : normalizeRecoveryCode(code);
    if (recovery !== null) {
      for (const stored of await unusedRecoveryCodes(db, user.value.username)) {
        if (!(await recoveryCodeMatches(recovery, stored.codeHash))) continue;
        if (!(await useRecoveryCode(db, stored.id, nowMs))) break;
        const left = (await unusedRecoveryCodes(db, user.value.username)).length;
        await this.audit(user.value, 'auth.recovery_code_used', { ip: origin.ip, left }, nowMs);
        return ok(await this.options.completeLogin(user.value, origin, 'recovery_code'));
      }
      return this.wrong(user.value, origin, 'recovery code wrong or used', nowMs);
    }
    const check = checkTotp(secret, code, nowMs, totp.lastStep);
    if (!check.ok) return this.wrong(user.value, origin, `code ${check.reason}`, nowMs);
    // Two requests with the same code: the store lets only one of them take the step.
    if (!(await acceptStep(db, user.value.username, check.step))) {
      return this.wrong(user.value, origin, 'code replayed', nowMs);
    }
    return ok(await this.options.completeLogin(user.value, origin, 'totp'));
  }

  /** Starts enrolment: a new secret (not yet in force) and its QR code, shown this once. */
  async enrol(session: Actor | null, body: unknown): Promise<Outcome<TotpEnrolment>> {
    const who = await this.enrollee(session, body);
    if (!who.ok) return who;
    const { user } = who.value;
    const { db } = this.options;
    const existing = await findTotp(db, user.username);
    if (existing?.enabledAtMs != null) {
      return fail(
        HTTP.conflict,
        'conflict',
        'two-factor sign-in is already on: turn it off first (or ask an admin to reset it)',
      );
    }
    const secret = newTotpSecret();
    await savePendingTotp(
      db,
      user.username,
      sealSecret(secret, this.options.secretKey),
      this.now(),
    );
    const uri = otpauthUri(secret, user.username);
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return ok({
      secret,
      otpauthUri: uri,
      qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      issuer: TOTP_ISSUER,
      account: user.username,
    });
  }

  /** The first code from the app: TOTP comes into force, with new recovery codes (shown once). */
  async confirm(
    session: Actor | null,
    body: unknown,
    origin: { ip: string },
  ): Promise<Outcome<TotpConfirmResponse>> {
    const parsed = totpConfirmSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const who = await this.enrollee(session, body);
    if (!who.ok) return who;
    const { user, viaTicket } = who.value;
    const { db } = this.options;
    const nowMs = this.now();
    const pending = await findTotp(db, user.username);
    if (!pending || pending.enabledAtMs !== null) {
      return fail(HTTP.conflict, 'conflict', 'no enrolment is waiting: start it again');
    }
    const secret = openSecret(pending.secret, this.options.secretKey);
    if (secret === null) return fail(HTTP.conflict, 'conflict', 'start the enrolment again');
    const check = checkTotp(secret, parsed.data.code, nowMs, 0);
    if (!check.ok) {
      return fail(
        HTTP.unauthorized,
        'unauthorized',
        'wrong code: check the phone’s clock and type the code the app shows now',
      );
    }
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((code) => hashRecoveryCode(code)));
    if (!(await enableTotp(db, user.username, check.step, hashes, nowMs))) {
      return fail(HTTP.conflict, 'conflict', 'two-factor sign-in was turned on meanwhile');
    }
    await this.audit(user, 'user.totp_enrolled', { recoveryCodes: codes.length }, nowMs);
    const session_ = viaTicket ? await this.options.completeLogin(user, origin, 'enrolment') : null;
    return ok({ recoveryCodes: codes, session: session_ });
  }

  /** Turns one's own TOTP off with a current code; not where the role requires it. */
  async disable(actor: Actor, body: unknown): Promise<Outcome<TotpStatus>> {
    const parsed = totpDisableSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    if (this.isRequired(actor.role)) {
      return fail(
        HTTP.forbidden,
        'forbidden',
        `two-factor sign-in is required for ${actor.role}s (TOTP_REQUIRED_ROLES): it cannot be turned off`,
      );
    }
    const { db } = this.options;
    const nowMs = this.now();
    const totp = await findTotp(db, actor.username);
    const secret =
      totp?.enabledAtMs != null ? openSecret(totp.secret, this.options.secretKey) : null;
    if (!totp || secret === null) {
      return fail(HTTP.conflict, 'conflict', 'two-factor sign-in is not on');
    }
    if (totp.lockedUntilMs > nowMs) return this.locked(totp.lockedUntilMs, nowMs);
    const check = checkTotp(secret, parsed.data.code, nowMs, totp.lastStep);
    if (!check.ok) {
      await recordFailure(db, actor.username, MAX_FAILURES, nowMs + LOCK_MS);
      return fail(HTTP.unauthorized, 'unauthorized', 'wrong code');
    }
    await deleteTotp(db, actor.username);
    await appendAudit(db, {
      atMs: nowMs,
      actor: actor.username,
      actorRole: actor.role,
      action: 'user.totp_disabled',
      entityType: 'user',
      entityId: actor.username,
    });
    return ok(await this.status(actor));
  }

  /** An admin removes a user's TOTP (a lost phone): the user enrols again. Audited. */
  async reset(actor: Actor, username: string): Promise<Outcome<TotpStatus>> {
    if (!can(actor.role, 'users.manage')) {
      return fail(HTTP.forbidden, 'forbidden', 'only admins can reset two-factor sign-in');
    }
    const user = await findUser(this.options.db, username);
    if (!user) return fail(HTTP.notFound, 'not_found', `no user ${username}`);
    const removed = await deleteTotp(this.options.db, username);
    if (!removed) return fail(HTTP.conflict, 'conflict', `${username} has no two-factor sign-in`);
    await appendAudit(this.options.db, {
      atMs: this.now(),
      actor: actor.username,
      actorRole: actor.role,
      action: 'user.totp_reset',
      entityType: 'user',
      entityId: username,
    });
    return ok(await this.status(user));
  }

  async status(user: { username: string; role: Role }): Promise<TotpStatus> {
    const totp = await findTotp(this.options.db, user.username);
    const enabled = totp?.enabledAtMs != null;
    return {
      enabled,
      required: this.isRequired(user.role),
      enrolledAtMs: enabled ? totp!.enabledAtMs : null,
      recoveryCodesLeft: enabled
        ? (await unusedRecoveryCodes(this.options.db, user.username)).length
        : 0,
    };
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────

  /** The active user a ticket names, for its purpose; 401 for anything else. */
  private async ticketUser(
    ticket: string,
    purpose: 'totp' | 'enrol',
  ): Promise<Outcome<StoredUser>> {
    const claims = await this.options.tokens.verifyChallenge(ticket);
    const user = claims ? await findUser(this.options.db, claims.username) : undefined;
    if (
      !claims ||
      claims.purpose !== purpose ||
      !user ||
      user.disabled ||
      user.tokenGeneration !== claims.generation
    ) {
      return fail(
        HTTP.unauthorized,
        'unauthorized',
        'the sign-in step expired or is not valid: sign in again with your password',
      );
    }
    return ok(user);
  }

  private async enrollee(session: Actor | null, body: unknown): Promise<Outcome<Enrollee>> {
    if (session) {
      if (session.role === 'viewer') {
        return fail(
          HTTP.forbidden,
          'forbidden',
          'walls sign in with device credentials: two-factor sign-in is for people',
        );
      }
      const user = await findUser(this.options.db, session.username);
      if (!user) return fail(HTTP.unauthorized, 'unauthorized', 'log in again');
      return ok({ user, viaTicket: false });
    }
    const ticket =
      body !== null && typeof body === 'object' ? (body as { ticket?: unknown }).ticket : undefined;
    if (typeof ticket !== 'string' || ticket === '') {
      return fail(
        HTTP.unauthorized,
        'unauthorized',
        'log in first: send Authorization: Bearer <token>, or the enrolment ticket from the sign-in',
      );
    }
    const user = await this.ticketUser(ticket, 'enrol');
    return user.ok ? ok({ user: user.value, viaTicket: true }) : user;
  }

  private async wrong(
    user: StoredUser,
    origin: { ip: string },
    reason: string,
    nowMs: number,
  ): Promise<Outcome<never>> {
    const { failures, lockedUntilMs } = await recordFailure(
      this.options.db,
      user.username,
      MAX_FAILURES,
      nowMs + LOCK_MS,
    );
    await this.audit(user, 'auth.totp_failed', { ip: origin.ip, reason, failures }, nowMs);
    // This failure is the one that locked code entry: an admin reading the log sees the lockout
    // itself, not only a fifth failure among many.
    if (failures >= MAX_FAILURES) {
      await this.audit(user, 'auth.totp_locked', { ip: origin.ip, lockedUntilMs }, nowMs);
    }
    if (lockedUntilMs > nowMs) return this.locked(lockedUntilMs, nowMs);
    return fail(HTTP.unauthorized, 'unauthorized', 'wrong code');
  }

  private locked(untilMs: number, nowMs: number): Outcome<never> {
    const seconds = Math.ceil((untilMs - nowMs) / MS_PER_SECOND);
    return fail(
      HTTP.tooManyRequests,
      'rate_limited',
      `too many wrong codes: try again in ${seconds} seconds`,
    );
  }

  private async audit(
    user: StoredUser,
    action:
      'auth.totp_failed' | 'auth.totp_locked' | 'auth.recovery_code_used' | 'user.totp_enrolled',
    after: Record<string, unknown>,
    nowMs: number,
  ): Promise<void> {
    await appendAudit(this.options.db, {
      atMs: nowMs,
      actor: user.username,
      actorRole: user.role,
      action,
      entityType: 'user',
      entityId: user.username,
      after,
    });
  }
}
