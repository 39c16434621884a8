/** TOTP codes (window, replay), recovery codes (shape, normal form, hashes) and the sealed secret. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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
  totpCode,
  totpStep,
} from '../../../server/auth/totp';
import { RECOVERY_CODE_COUNT, RECOVERY_CODE_PATTERN } from '../../../shared/two-factor';

/** RFC 6238 appendix B's SHA-1 key ("12345678901234567890") in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const PERIOD_MS = 30_000;
const T = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('TOTP', () => {
  it('computes the RFC 6238 test vectors (6 digits)', () => {
    // Appendix B: T = 59 s → 94287082, T = 1111111109 s → 07081804 (last six digits here).
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
  });

  it('accepts the code of now and of one period either side, nothing further', () => {
    const secret = newTotpSecret();
    const step = totpStep(T);
    expect(checkTotp(secret, totpCode(secret, T), T, 0)).toEqual({ ok: true, step });
    expect(checkTotp(secret, totpCode(secret, T - PERIOD_MS), T, 0)).toEqual({
      ok: true,
      step: step - 1,
    });
    expect(checkTotp(secret, totpCode(secret, T + PERIOD_MS), T, 0)).toEqual({
      ok: true,
      step: step + 1,
    });
    for (const far of [T - 2 * PERIOD_MS, T + 2 * PERIOD_MS, T - 10 * PERIOD_MS]) {
      const code = totpCode(secret, far);
      // A code of a far period can by chance equal a near one (1 in 10^6); not with these.
      if (code === totpCode(secret, T)) continue;
      expect(checkTotp(secret, code, T, 0)).toEqual({ ok: false, reason: 'wrong' });
    }
  });

  it('never accepts a code of a step already used, nor an earlier one', () => {
    const secret = newTotpSecret();
    const first = checkTotp(secret, totpCode(secret, T), T, 0);
    expect(first.ok).toBe(true);
    const step = (first as { step: number }).step;
    expect(checkTotp(secret, totpCode(secret, T), T + 1000, step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(checkTotp(secret, totpCode(secret, T - PERIOD_MS), T, step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(checkTotp(secret, totpCode(secret, T + PERIOD_MS), T + PERIOD_MS, step)).toMatchObject({
      ok: true,
    });
  });

  it('refuses what is not six digits, forgiving spaces', () => {
    const secret = newTotpSecret();
    const code = totpCode(secret, T);
    expect(checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, T, 0).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x']) {
      expect(checkTotp(secret, bad, T, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('makes 160-bit secrets and an otpauth URI apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = otpauthUri(secret, 'sup.kim');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Busan%20Control%20Room:sup\.kim\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  it('hands out ten distinct codes of the readable shape', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
  });

  it('reads what a person typed: case, spaces, no hyphen, I/L as 1, O as 0', () => {
    expect(normalizeRecoveryCode('7gq2m-xk4pd')).toBe('7GQ2M-XK4PD');
    expect(normalizeRecoveryCode(' 7GQ2M XK4PD ')).toBe('7GQ2M-XK4PD');
    expect(normalizeRecoveryCode('7GQ2MXK4PD')).toBe('7GQ2M-XK4PD');
    expect(normalizeRecoveryCode('O1LI0-ABCDE')).toBe('01110-ABCDE');
    expect(normalizeRecoveryCode('7GQ2M-XK4P')).toBeNull();
    expect(normalizeRecoveryCode('7GQ2M-XK4PU')).toBeNull();
    expect(normalizeRecoveryCode('123456')).toBeNull();
  });

  it('keeps only a salted hash that matches its code and no other', async () => {
    const [code, other] = newRecoveryCodes();
    const stored = await hashRecoveryCode(code!);
    expect(stored).not.toContain(code!);
    expect(stored).toMatch(/^scrypt\$4096\$8\$1\$/);
    expect(await hashRecoveryCode(code!)).not.toBe(stored);
    expect(await recoveryCodeMatches(code!, stored)).toBe(true);
    expect(await recoveryCodeMatches(other!, stored)).toBe(false);
  });
});

describe('the secret at rest', () => {
  const KEY = 'totp-secret-key-for-tests-0123456789';

  it('seals it with the key (AES-256-GCM) and opens it only with that key', () => {
    const secret = newTotpSecret();
    const sealed = sealSecret(secret, KEY);
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(secret, KEY)).not.toBe(sealed);
    expect(openSecret(sealed, KEY)).toBe(secret);
    expect(openSecret(sealed, `${KEY}x`)).toBeNull();
    expect(openSecret(sealed, undefined)).toBeNull();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(openSecret(tampered, KEY)).toBeNull();
  });

  it('marks it plain without a key, and still reads it after a key is set', () => {
    const secret = newTotpSecret(() => randomBytes(20));
    const stored = sealSecret(secret, undefined);
    expect(stored).toBe(`plain:${secret}`);
    expect(openSecret(stored, undefined)).toBe(secret);
    expect(openSecret(stored, KEY)).toBe(secret);
  });
});
