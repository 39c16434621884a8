/**
 * People: the first admin, logins, token checks, and user administration (audited). Roles are read
 * from the users table (cached briefly), never trusted from the token.
 */
import type { Kysely } from 'kysely';
import {
  FIRST_ADMIN_USERNAME,
  RESERVED_USERNAMES,
  createUserSchema,
  updateUserSchema,
  type LoginResponse,
  type SessionUser,
  type User,
} from '../../shared/auth';
import type { LoginResult } from '../../shared/two-factor';
import { can } from '../../shared/roles';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import type { Actor } from '../domain/permissions';
import { appendAudit } from '../store/audit-repository';
import type { Database } from '../store/schema';
import {
  bumpTokenGeneration,
  countUsers,
  findUser,
  insertUser,
  listUsers,
  updateUser,
  type StoredUser,
} from '../store/user-repository';
import { decoyHash, generatePassword, hashPassword, verifyPassword } from './password';
import { passwordProblem } from './password-policy';
import type { TokenService } from './tokens';
import type { TwoFactorService } from './two-factor-service';

/**
 * How long a looked-up user is trusted before the table is read again. Changes made through this
 * relay take effect at once (the cache is dropped); this bounds it for changes made elsewhere.
 */
const USER_CACHE_MS = 10_000;

type UserListener = (user: User) => void;

export class UserService {
  private readonly cache = new Map<string, { user: StoredUser | undefined; atMs: number }>();
  private readonly listeners = new Set<UserListener>();
  /** Asks for a second step after the password where TOTP is on or required (plugins/auth.ts). */
  private twoFactor: TwoFactorService | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tokens: TokenService,
    private readonly now: () => number = Date.now,
  ) {}

  useTwoFactor(twoFactor: TwoFactorService): void {
    this.twoFactor = twoFactor;
  }

  /** Called with the new state after a user's role, password or disabled flag changed. */
  onChange(listener: UserListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * On the first start (no users at all) creates `admin` with the given password, or a generated
   * one that is returned so the caller can show it once. Later starts change nothing.
   */
  async ensureFirstAdmin(
    password: string | undefined,
  ): Promise<{ created: boolean; generatedPassword: string | null }> {
    if ((await countUsers(this.db)) > 0) return { created: false, generatedPassword: null };
    const generatedPassword = password === undefined ? generatePassword() : null;
    const nowMs = this.now();
    const created = await insertUser(
      this.db,
      {
        username: FIRST_ADMIN_USERNAME,
        role: 'admin',
        passwordHash: await hashPassword(password ?? generatedPassword!),
      },
      nowMs,
    );
    // Another relay on the same database may have won the race; then its password stands.
    if (!created) return { created: false, generatedPassword: null };
    await appendAudit(this.db, {
      atMs: nowMs,
      actor: 'system',
      actorRole: 'system',
      action: 'user.create',
      entityType: 'user',
      entityId: FIRST_ADMIN_USERNAME,
      after: { username: FIRST_ADMIN_USERNAME, role: 'admin', disabled: false },
    });
    return { created: true, generatedPassword };
  }

  async login(
    username: string,
    password: string,
    origin: { ip: string },
  ): Promise<Outcome<LoginResult>> {
    const nowMs = this.now();
    const user = RESERVED_USERNAMES.includes(username)
      ? undefined
      : await findUser(this.db, username);
    // Hash even for an unknown user, so the answer's timing does not tell who exists.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid || user.disabled) {
      await appendAudit(this.db, {
        atMs: nowMs,
        actor: username,
        actorRole: user?.role ?? null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: username,
        after: { ip: origin.ip, reason: !user || !valid ? 'wrong credentials' : 'disabled' },
      });
      return fail(
        HTTP.unauthorized,
        'unauthorized',
        user && valid ? 'this user is disabled' : 'wrong username or password',
      );
    }
    // The password was right; two-factor sign-in may still ask for a code (or enrolment).
    const challenge = (await this.twoFactor?.challengeFor(user)) ?? null;
    if (challenge) return ok(challenge);
    return ok(await this.completeLogin(user, origin));
  }

  /**
   * Ends a sign-in whose every step passed: issues the session and audits `auth.login` (with the
   * second factor used, if any).
   */
  async completeLogin(
    user: StoredUser,
    origin: { ip: string },
    secondFactor?: 'totp' | 'recovery_code' | 'enrolment',
  ): Promise<LoginResponse> {
    const nowMs = this.now();
    const { token, expiresAtMs } = await this.tokens.issue(
      { username: user.username, generation: user.tokenGeneration },
      nowMs,
    );
    await appendAudit(this.db, {
      atMs: nowMs,
      actor: user.username,
      actorRole: user.role,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.username,
      after: { ip: origin.ip, ...(secondFactor !== undefined && { secondFactor }) },
    });
    return { token, expiresAtMs, user: { username: user.username, role: user.role } };
  }

  /** The active user a token names and when the token expires; null for a bad token or user. */
  async authenticate(token: string): Promise<(SessionUser & { expiresAtMs: number }) | null> {
    const result = await this.check(token);
    return result.ok ? result.user : null;
  }

  /**
   * The user a token names, or why it is refused: invalid (malformed, forged, expired), the user
   * unknown or disabled, or revoked (issued before the user's last password change).
   */
  async check(
    token: string,
  ): Promise<
    | { ok: true; user: SessionUser & { expiresAtMs: number } }
    | { ok: false; reason: 'invalid' | 'disabled' | 'revoked' }
  > {
    const claims = await this.tokens.verify(token);
    if (claims === null) return { ok: false, reason: 'invalid' };
    const user = await this.cached(claims.username);
    if (!user || user.disabled) return { ok: false, reason: 'disabled' };
    if (claims.generation !== user.tokenGeneration) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      user: { username: user.username, role: user.role, expiresAtMs: claims.expiresAtMs },
    };
  }

  /** Whether an alert may be assigned to this user: active and allowed to work alerts. */
  async isAssignable(username: string): Promise<boolean> {
    const user = await this.cached(username);
    return user !== undefined && !user.disabled && can(user.role, 'alert.claim');
  }

  async list(): Promise<User[]> {
    const twoFactor = (await this.twoFactor?.enabledUsers()) ?? new Set<string>();
    return (await listUsers(this.db)).map((user) => ({
      ...publicUser(user),
      twoFactorEnabled: twoFactor.has(user.username),
    }));
  }

  async create(actor: Actor, body: unknown): Promise<Outcome<User>> {
    const parsed = createUserSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const { username, role, password } = parsed.data;
    const weakness = passwordProblem(password, username);
    if (weakness) return fail(HTTP.badRequest, 'bad_request', weakness);
    const nowMs = this.now();
    const passwordHash = await hashPassword(password);
    const created = await this.db.transaction().execute(async (trx) => {
      if (!(await insertUser(trx, { username, role, passwordHash }, nowMs))) return false;
      await appendAudit(trx, {
        atMs: nowMs,
        actor: actor.username,
        actorRole: actor.role,
        action: 'user.create',
        entityType: 'user',
        entityId: username,
        after: { username, role, disabled: false },
      });
      return true;
    });
    if (!created) return fail(HTTP.conflict, 'conflict', `username ${username} is taken`);
    this.cache.delete(username);
    const user = await findUser(this.db, username);
    return ok(publicUser(user!));
  }

  async update(actor: Actor, username: string, body: unknown): Promise<Outcome<User>> {
    const parsed = updateUserSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const patch = parsed.data;
    const weakness =
      patch.password === undefined ? null : passwordProblem(patch.password, username);
    if (weakness) return fail(HTTP.badRequest, 'bad_request', weakness);
    const nowMs = this.now();
    const passwordHash =
      patch.password === undefined ? undefined : await hashPassword(patch.password);
    const result = await this.db.transaction().execute(async (trx) => {
      const before = await findUser(trx, username);
      if (!before) return fail<User>(HTTP.notFound, 'not_found', `no user ${username}`);
      const losesAdmin =
        before.role === 'admin' &&
        !before.disabled &&
        ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) {
        const admins = (await listUsers(trx)).filter((u) => u.role === 'admin' && !u.disabled);
        if (admins.length <= 1) {
          return fail<User>(
            HTTP.conflict,
            'conflict',
            'at least one enabled admin must remain: make another admin first',
          );
        }
      }
      await updateUser(
        trx,
        username,
        {
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.disabled !== undefined && { disabled: patch.disabled }),
          ...(passwordHash !== undefined && { passwordHash }),
        },
        nowMs,
      );
      const after = (await findUser(trx, username))!;
      await appendAudit(trx, {
        atMs: nowMs,
        actor: actor.username,
        actorRole: actor.role,
        action: 'user.update',
        entityType: 'user',
        entityId: username,
        before: { role: before.role, disabled: before.disabled },
        after: {
          role: after.role,
          disabled: after.disabled,
          ...(passwordHash !== undefined && { passwordChanged: true }),
        },
      });
      return ok(publicUser(after));
    });
    this.cache.delete(username);
    if (result.ok) for (const listener of this.listeners) listener(result.value);
    return result;
  }

  /**
   * A device credential for a wall display: a long-lived token for a `viewer` account, so a wall
   * shows the kiosk view with no login prompt. Revoked by disabling that account or changing its
   * password. Audited.
   */
  async issueDeviceToken(
    actor: Actor,
    username: string,
    ttlMs: number,
  ): Promise<Outcome<{ token: string; expiresAtMs: number; username: string }>> {
    const user = await findUser(this.db, username);
    if (!user) return fail(HTTP.notFound, 'not_found', `no user ${username}`);
    if (user.role !== 'viewer') {
      return fail(
        HTTP.conflict,
        'conflict',
        `device credentials are for viewer accounts only; ${username} is ${user.role}`,
      );
    }
    if (user.disabled) return fail(HTTP.conflict, 'conflict', `${username} is disabled`);
    const nowMs = this.now();
    const issued = await this.tokens.issue(
      { username, generation: user.tokenGeneration },
      nowMs,
      ttlMs,
    );
    await appendAudit(this.db, {
      atMs: nowMs,
      actor: actor.username,
      actorRole: actor.role,
      action: 'user.device_token',
      entityType: 'user',
      entityId: username,
      after: { expiresAtMs: issued.expiresAtMs },
    });
    return ok({ ...issued, username });
  }

  /**
   * Revokes a wall's device credential: every token of the account ends (its generation moves
   * on) and its live sockets are closed, on every relay. Audited. A new credential can be issued
   * after it.
   */
  async revokeTokens(actor: Actor, username: string): Promise<Outcome<User>> {
    const nowMs = this.now();
    const revoked = await this.db.transaction().execute(async (trx) => {
      if (!(await bumpTokenGeneration(trx, username, nowMs))) return false;
      await appendAudit(trx, {
        atMs: nowMs,
        actor: actor.username,
        actorRole: actor.role,
        action: 'user.device_token_revoke',
        entityType: 'user',
        entityId: username,
      });
      return true;
    });
    if (!revoked) return fail(HTTP.notFound, 'not_found', `no user ${username}`);
    this.cache.delete(username);
    const user = publicUser((await findUser(this.db, username))!);
    for (const listener of this.listeners) listener(user);
    return ok(user);
  }

  private async cached(username: string): Promise<StoredUser | undefined> {
    const nowMs = this.now();
    const hit = this.cache.get(username);
    if (hit && nowMs - hit.atMs < USER_CACHE_MS) return hit.user;
    const user = await findUser(this.db, username);
    this.cache.set(username, { user, atMs: nowMs });
    return user;
  }
}

function publicUser(user: StoredUser): User {
  const { passwordHash: _hash, tokenGeneration: _generation, ...rest } = user;
  return rest;
}
