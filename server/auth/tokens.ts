/**
 * Session tokens: JWT (HS256, jose) naming the user. The token proves who someone is; what they
 * may do is read from the users table on every request, so disabling a user or changing a role
 * takes effect at once, not when the token expires.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

const ISSUER = 'busan-control-room';
const AUDIENCE = 'busan-control-room';
const ALGORITHM = 'HS256';
const RANDOM_SECRET_BYTES = 32;

export interface TokenService {
  /** true when the secret was generated at start (tokens die with the process). */
  readonly ephemeral: boolean;
  /** `ttlMs` overrides the session lifetime (device credentials for wall displays live longer). */
  issue(
    username: string,
    nowMs: number,
    ttlMs?: number,
  ): Promise<{ token: string; expiresAtMs: number }>;
  /** Who the token names and until when, or null for a malformed, forged or expired token. */
  verify(token: string): Promise<{ username: string; expiresAtMs: number } | null>;
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
    async issue(username, nowMs, ttlMs = options.ttlMs) {
      const issuedAt = Math.floor(nowMs / 1000);
      const expiresAt = Math.floor((nowMs + ttlMs) / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(username)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAtMs: expiresAt * 1000 };
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
        return { username: payload.sub, expiresAtMs: payload.exp * 1000 };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}
