import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../server/auth/password-policy';

describe('password policy (ASVS V6.2: common passwords and context words refused)', () => {
  it.each([
    ['12345678', 'kim', /commonly used/],
    ['password', 'kim', /commonly used/],
    ['Password1!', 'kim', /commonly used/],
    ['qwertyuiop', 'kim', /commonly used/],
    ['iloveyou2024', 'kim', /commonly used/],
    ['kim.minsu-2025', 'kim.minsu', /username/],
    ['Busan1234!', 'lee', /product name/],
    ['관제1234', 'lee', /product name/],
    ['aaaaaaaaaaaa', 'lee', /repeat/],
    ['abababababab', 'lee', /repeat/],
  ])('refuses %s for %s', (password, username, reason) => {
    expect(passwordProblem(password, username)).toMatch(reason);
  });

  it.each([
    ['correct horse battery staple', 'kim'],
    ['해운대-야간-근무-7', 'park'],
    ['busan-night-shift-desk', 'lee'],
    ['op1-long-passphrase', 'op'],
  ])('accepts %s for %s', (password, username) => {
    expect(passwordProblem(password, username)).toBeNull();
  });
});
