/**
 * TOTP (RFC 6238, the otpauth library) and recovery codes: pure functions, time and randomness
 * passed in. A code is accepted one period either side of now (clocks of phones drift) and never
 * twice: the caller keeps the last accepted time step and passes it back.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import {
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_PATTERN,
  TOTP_DIGITS,
  TOTP_PERIOD_SECONDS,
} from '../../shared/two-factor';
import { hashPassword, verifyPassword, type ScryptParams } from './password';

/** What an authenticator app lists the account under. */
export const TOTP_ISSUER = 'Busan Control Room';
/** Periods accepted either side of now: ±30 s of clock drift. */
export const TOTP_WINDOW = 1;
/** 160 bits, the size RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;
const MS_PER_SECOND = 1000;

function totpOf(secretBase32: string, account = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh secret (base32) from `random` bytes. */
export function newTotpSecret(random: (bytes: number) => Buffer = randomBytes): string {
  return new Secret({ buffer: new Uint8Array(random(SECRET_BYTES)).buffer }).base32;
}

export function otpauthUri(secretBase32: string, account: string): string {
  return totpOf(secretBase32, account).toString();
}

/** The code an app shows at `nowMs` (tests and the e2e use it too). */
export function totpCode(secretBase32: string, nowMs: number): string {
  return totpOf(secretBase32).generate({ timestamp: nowMs });
}

/** The time step (period number) of `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / MS_PER_SECOND / TOTP_PERIOD_SECONDS);
}

export type TotpCheck =
  { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/**
 * Checks a 6-digit code against the secret at `nowMs`: within the window, and of a later time step
 * than `lastStep` (the last code accepted), so a code seen over a shoulder cannot be used again.
 */
export function checkTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastStep: number,
): TotpCheck {
  const token = code.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return { ok: false, reason: 'malformed' };
  const delta = totpOf(secretBase32).validate({ token, timestamp: nowMs, window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = totpStep(nowMs) + delta;
  if (step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

// ── Recovery codes ─────────────────────────────────────────────────────────────────────────────

/** Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is not misread. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_GROUP = 5;
const BASE32_BITS = 5;

/** `RECOVERY_CODE_COUNT` codes like `7GQ2M-XK4PD` (50 random bits each). */
export function newRecoveryCodes(random: (bytes: number) => Buffer = randomBytes): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = random(2 * RECOVERY_GROUP);
    const chars = [...bytes].map((b) => CROCKFORD[b & ((1 << BASE32_BITS) - 1)]!).join('');
    return `${chars.slice(0, RECOVERY_GROUP)}-${chars.slice(RECOVERY_GROUP)}`;
  });
}

/**
 * The canonical form of what someone typed as a recovery code (case, spaces, a missing hyphen and
 * the letters Crockford reads as digits forgiven), or null when it cannot be one.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const chars = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (chars.length !== 2 * RECOVERY_GROUP) return null;
  const code = `${chars.slice(0, RECOVERY_GROUP)}-${chars.slice(RECOVERY_GROUP)}`;
  return RECOVERY_CODE_PATTERN.test(code) ? code : null;
}

/**
 * scrypt, lighter than for passwords: a recovery code carries 50 random bits, so this cost puts
 * guessing one from a stolen hash out of reach, while checking all ten on the rare recovery
 * sign-in stays well under a second.
 */
export const RECOVERY_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 12, r: 8, p: 1 };

export function hashRecoveryCode(code: string): Promise<string> {
  return hashPassword(code, RECOVERY_SCRYPT_PARAMS);
}

export function recoveryCodeMatches(code: string, stored: string): Promise<boolean> {
  return verifyPassword(code, stored);
}

// ── The secret at rest ─────────────────────────────────────────────────────────────────────────

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const SEALED_PREFIX = 'v1:';
const PLAIN_PREFIX = 'plain:';

function keyOf(secretKey: string): Buffer {
  return createHash('sha256').update(`busan-control-room/totp\u0000${secretKey}`).digest();
}

/** The secret as stored: AES-256-GCM under TOTP_SECRET_KEY, or marked plain without one. */
export function sealSecret(
  secretBase32: string,
  secretKey: string | undefined,
  random: (bytes: number) => Buffer = randomBytes,
): string {
  if (secretKey === undefined) return `${PLAIN_PREFIX}${secretBase32}`;
  const iv = random(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keyOf(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${[iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.')}`;
}

/** The secret back, or null when it cannot be read (another key, or none where one is needed). */
export function openSecret(stored: string, secretKey: string | undefined): string | null {
  if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
  if (!stored.startsWith(SEALED_PREFIX) || secretKey === undefined) return null;
  const [iv, tag, sealed] = stored
    .slice(SEALED_PREFIX.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !sealed) return null;
  try {
    const decipher = createDecipheriv(CIPHER, keyOf(secretKey), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
