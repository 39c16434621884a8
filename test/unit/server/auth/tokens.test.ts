import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../../../../server/auth/tokens';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const HOUR = 3_600_000;
const OP1 = { username: 'op1', generation: 0 };

describe('session tokens', () => {
  it('names the user until it expires', async () => {
    const tokens = createTokenService({ secret: SECRET, ttlMs: 12 * HOUR });
    const now = Date.now();
    const { token, expiresAtMs } = await tokens.issue({ username: 'op1', generation: 3 }, now);
    expect(Math.abs(expiresAtMs - (now + 12 * HOUR))).toBeLessThan(1000);
    expect(await tokens.verify(token)).toEqual({ username: 'op1', generation: 3, expiresAtMs });
  });

  it('reads a token without a generation (issued before generations) as generation 0', async () => {
    const tokens = createTokenService({ secret: SECRET, ttlMs: HOUR });
    const key = new TextEncoder().encode(SECRET);
    const sign = (claims: object) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('op1')
        .setIssuer('busan-control-room')
        .setAudience('busan-control-room')
        .setExpirationTime('1h')
        .sign(key);
    expect(await tokens.verify(await sign({}))).toMatchObject({ username: 'op1', generation: 0 });
    expect(await tokens.verify(await sign({ gen: 'x' }))).toBeNull();
  });

  it('refuses expired, forged, foreign and malformed tokens', async () => {
    const tokens = createTokenService({ secret: SECRET, ttlMs: HOUR });
    const expired = await tokens.issue(OP1, Date.now() - 2 * HOUR);
    expect(await tokens.verify(expired.token)).toBeNull();
    const other = createTokenService({ secret: `${SECRET}-other`, ttlMs: HOUR });
    expect(
      await tokens.verify(
        (await other.issue({ username: 'admin', generation: 0 }, Date.now())).token,
      ),
    ).toBeNull();
    const unsigned = `${btoa('{"alg":"none"}')}.${btoa('{"sub":"admin"}')}.`;
    expect(await tokens.verify(unsigned)).toBeNull();
    expect(await tokens.verify('not-a-token')).toBeNull();
    // Right key, but not issued by the relay (no issuer/audience).
    const bare = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(await tokens.verify(bare)).toBeNull();
  });

  it('signs with a per-start secret when none is configured', async () => {
    const a = createTokenService({ secret: undefined, ttlMs: HOUR });
    const b = createTokenService({ secret: undefined, ttlMs: HOUR });
    expect(a.ephemeral).toBe(true);
    const { token } = await a.issue(OP1, Date.now());
    expect(await a.verify(token)).not.toBeNull();
    expect(await b.verify(token)).toBeNull();
  });
});
