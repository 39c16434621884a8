/**
 * Two-factor sign-in (seed 001, note 3): a time-based one-time code (TOTP, RFC 6238) after the
 * password for people; walls keep their device credentials. The contract between relay and client.
 */
import { z } from 'zod';
import type { LoginResponse, SessionUser } from './auth';

/** Digits of a TOTP code and its period: what every authenticator app expects by default. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Recovery codes handed out at enrolment; each works once. */
export const RECOVERY_CODE_COUNT = 10;
/** `ABCDE-FGHJK`: Crockford base32 (no I, L, O, U), grouped for reading aloud. */
export const RECOVERY_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

/**
 * `POST /api/auth/login` when the password was right but a second step is needed: `totp` asks for
 * a code (or a recovery code), `enrol` for enrolment first (TOTP_REQUIRED_ROLES). No session yet:
 * the ticket only lets the second step be taken, for a few minutes.
 */
export interface LoginChallenge {
  secondFactor: 'totp' | 'enrol';
  ticket: string;
  expiresAtMs: number;
  user: SessionUser;
}

export type LoginResult = LoginResponse | LoginChallenge;

export function isLoginChallenge(result: LoginResult): result is LoginChallenge {
  return 'secondFactor' in result;
}

const codeSchema = z
  .string('code must be text')
  .trim()
  .min(1, 'code is required')
  .max(32, 'code must be at most 32 characters');

/** `POST /api/auth/login/totp`: the ticket and a 6-digit code or a recovery code. */
export const totpLoginSchema = z.object({
  ticket: z.string('ticket must be text').min(1, 'ticket is required'),
  code: codeSchema,
});
export type TotpLoginRequest = z.input<typeof totpLoginSchema>;

/**
 * `POST /api/auth/totp/enrol` (a session, or an `enrol` ticket in the body): a new secret, not yet
 * in force. Shown once; the relay never sends it again.
 */
export const totpEnrolSchema = z.object({ ticket: z.string().min(1).optional() });

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** `otpauth://totp/…`: what the QR code holds. */
  otpauthUri: string;
  /** The QR code as an SVG image (data: URL), drawn by the relay: nothing leaves the network. */
  qrDataUrl: string;
  issuer: string;
  account: string;
}

/** `POST /api/auth/totp/confirm`: a code from the app proves it was set up; then it is in force. */
export const totpConfirmSchema = z.object({
  ticket: z.string().min(1).optional(),
  code: codeSchema,
});

export interface TotpConfirmResponse {
  /** Shown once; each works once in place of a code. Only their hashes are kept. */
  recoveryCodes: string[];
  /** With an `enrol` ticket: the session the sign-in ends in. */
  session: LoginResponse | null;
}

/** `POST /api/auth/totp/disable`: one's own, with a current code. */
export const totpDisableSchema = z.object({ code: codeSchema });

/** `GET /api/auth/totp` */
export interface TotpStatus {
  enabled: boolean;
  /** The user's role must have it (TOTP_REQUIRED_ROLES): it cannot be turned off. */
  required: boolean;
  enrolledAtMs: number | null;
  recoveryCodesLeft: number;
}
