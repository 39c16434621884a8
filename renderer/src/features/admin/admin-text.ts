/**
 * The relay's refusals on the admin screen in the reader's language: the password policy's reasons
 * (server/auth/password-policy.ts and the shared length rule), the last admin, a taken username.
 * Anything else keeps the relay's own words.
 */
import type { TFunction } from 'i18next';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../../shared/auth';
import type { RelayError } from '../../auth/relay-api';
import { relayErrorText } from '../../lib/relay-error-text';

/** The relay's messages (English, stable) and what they mean here. */
const KNOWN_REASONS: ReadonlyArray<[RegExp, (t: TFunction) => string]> = [
  [/commonly used passwords/u, (t) => t('admin.passwordProblem.common')],
  [/must not contain the username/u, (t) => t('admin.passwordProblem.username')],
  [/product name and digits/u, (t) => t('admin.passwordProblem.product')],
  [/repeat one or two characters/u, (t) => t('admin.passwordProblem.repeat')],
  [
    /password must be at least/u,
    (t) => t('admin.passwordProblem.short', { min: String(MIN_PASSWORD_LENGTH) }),
  ],
  [
    /password must be at most/u,
    (t) => t('admin.passwordProblem.long', { max: String(MAX_PASSWORD_LENGTH) }),
  ],
  [/at least one enabled admin must remain/u, (t) => t('admin.lastAdmin')],
  [/is taken/u, (t) => t('admin.taken')],
  [/^username must be/u, (t) => t('admin.badUsername')],
];

export function adminErrorText(t: TFunction, error: RelayError): string {
  for (const [pattern, words] of KNOWN_REASONS) if (pattern.test(error.message)) return words(t);
  return relayErrorText(t, error);
}

/** A password's problem the client can tell before asking the relay (its length), or null. */
export function passwordLengthProblem(t: TFunction, password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return t('admin.passwordProblem.short', { min: String(MIN_PASSWORD_LENGTH) });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return t('admin.passwordProblem.long', { max: String(MAX_PASSWORD_LENGTH) });
  }
  return null;
}
