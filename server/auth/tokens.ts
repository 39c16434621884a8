/**
 * Session tokens: JWT (HS256, jose) naming the user. The token proves who someone is; what they
 * may do is read from the users table on every request, so disabling a user or changing a role
 * takes effect at once, not when the token expires. Each token also carries the user's token
 * generation, which a password change moves on: every token issued before it is refused.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

const ISSUER = 'busan-control-room';
const AUDIENCE = 'busan-control-room';
/** Second-step tickets are for another audience: a ticket is never a session token. */
const CHALLENGE_AUDIENCE = 'busan-control-room/second-factor';
/** Time to take the second step of a sign-in (type a code, or enrol) after the password. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const PURPOSE_CLAIM = 'purpose';
export const CHALLENGE_PURPOSES = ['totp', 'enrol'] as const;
export type ChallengePurpose = (typeof CHALLENGE_PURPOSES)[number];
const ALGORITHM = 'HS256';
const RANDOM_SECRET_BYTES = 32;
/** The claim that carries the user's token generation. */
const GENERATION_CLAIM = 'gen';

/** Whom a token is for: the user and their token generation when it was issued. */
export interface TokenSubject {
  username: string;
  generation: number;
}

export interface TokenService {
  /** true when the secret was generated at start (tokens die with the process). */
  readonly ephemeral: boolean;
  /** `ttlMs` overrides the session lifetime (device credentials for wall displays live longer). */
  issue(
    subject: TokenSubject,
    nowMs: number,
    ttlMs?: number,
  ): Promise<{ token: string; expiresAtMs: number }>;
  /**
   * Who the token names, their generation then and until when, or null for a malformed, forged or
   * expired token.
   */
  verify(token: string): Promise<(TokenSubject & { expiresAtMs: number }) | null>;
  /**
   * A ticket for the second step of a sign-in (the password was right): it names the user, their
   * generation and what it allows — `totp` (enter a code) or `enrol` (set TOTP up first).
   */
  issueChallenge(
    subject: TokenSubject & { purpose: ChallengePurpose },
    nowMs: number,
  ): Promise<{ ticket: string; expiresAtMs: number }>;
  verifyChallenge(
    ticket: string,
  ): Promise<(TokenSubject & { purpose: ChallengePurpose; expiresAtMs: number }) | null>;
}

export function createTokenService(options: {
  secret: string | undefined;
  ttlMs: number;
}): TokenService {
  const ephemeral = options.secret === undefined;
  const key = ephemeral
    ? new Uint8Array(randomBytes(RANDOM_SECRET_BYTES))
    : new TextEncoder().encode(options.secret);
  return {
    ephemeral,
    async issue({ username, generation }, nowMs, ttlMs = options.ttlMs) {
      const issuedAt = Math.floor(nowMs / 1000);
      const expiresAt = Math.floor((nowMs + ttlMs) / 1000);
      const token = await new SignJWT({ [GENERATION_CLAIM]: generation })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(username)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAtMs: expiresAt * 1000 };
    },
    async issueChallenge({ username, generation, purpose }, nowMs) {
      const expiresAt = Math.floor((nowMs + CHALLENGE_TTL_MS) / 1000);
      const ticket = await new SignJWT({ [GENERATION_CLAIM]: generation, [PURPOSE_CLAIM]: purpose })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(username)
        .setIssuer(ISSUER)
        .setAudience(CHALLENGE_AUDIENCE)
        .setIssuedAt(Math.floor(nowMs / 1000))
        .setExpirationTime(expiresAt)
        .sign(key);
      return { ticket, expiresAtMs: expiresAt * 1000 };
    },
    async verifyChallenge(ticket) {
      try {
        const { payload } = await jwtVerify(ticket, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: CHALLENGE_AUDIENCE,
        });
        const purpose = payload[PURPOSE_CLAIM];
        const generation = payload[GENERATION_CLAIM];
        if (
          typeof payload.sub !== 'string' ||
          payload.exp === undefined ||
          !CHALLENGE_PURPOSES.includes(purpose as ChallengePurpose) ||
          typeof generation !== 'number'
        ) {
          return null;
        }
        return {
          username: payload.sub,
          generation,
          purpose: purpose as ChallengePurpose,
          expiresAtMs: payload.exp * 1000,
        };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
        });
        if (typeof payload.sub !== 'string' || payload.sub === '' || payload.exp === undefined) {
          return null;
        }
        const generation = payload[GENERATION_CLAIM] ?? 0;
        if (typeof generation !== 'number' || !Number.isInteger(generation)) return null;
        return { username: payload.sub, generation, expiresAtMs: payload.exp * 1000 };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}
