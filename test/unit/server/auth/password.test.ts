import { describe, expect, it } from 'vitest';
import {
  generatePassword,
  hashPassword,
  verifyPassword,
  type ScryptParams,
} from '../../../../server/auth/password';

/** Cheap parameters keep the unit test fast; the format and checks are the same. */
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('stores the parameters and a per-user salt with the hash', async () => {
    const a = await hashPassword('비밀번호-correct horse', FAST);
    const b = await hashPassword('비밀번호-correct horse', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('s3cret-password', FAST);
    expect(await verifyPassword('s3cret-password', stored)).toBe(true);
    expect(await verifyPassword('s3cret-passwor', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('uses the parameters stored with each hash (so they can be raised later)', async () => {
    const stronger = await hashPassword('pw-12345678', { N: 2 ** 11, r: 8, p: 1 });
    expect(await verifyPassword('pw-12345678', stronger)).toBe(true);
  });

  it('refuses malformed or tampered hashes without throwing', async () => {
    const stored = await hashPassword('pw-12345678', FAST);
    for (const bad of [
      '',
      'plain',
      stored.replace('scrypt', 'md5'),
      stored.replace('$1024$', '$1000$'), // not a power of two
      stored.replace('$1024$', `$${2 ** 30}$`), // would exhaust memory
      `${stored}$extra`,
    ]) {
      expect(await verifyPassword('pw-12345678', bad)).toBe(false);
    }
  });

  it('generates long random passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[\w-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
