/**
 * What a new password must be, beyond its length (checked by the shared schema): OWASP ASVS 5.0
 * V6.2 asks that passwords be checked against a list of common ones (at least the top 3,000) and
 * against words of the context — the user's own name, the product. We use zxcvbn-ts's list of
 * ~49,000 common passwords, loaded once, on the relay only (the client does not need 400 kB of it).
 */
import { dictionary } from '@zxcvbn-ts/language-common';

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);
/** Words of this product that a guesser tries first. */
/** Shorter names (`op`) are too likely to occur by chance to refuse a password for. */
const MIN_USERNAME_IN_PASSWORD = 3;
const CONTEXT_WORDS = ['busan', 'controlroom', 'control-room', 'kiosk', 'relay', '부산', '관제'];

/**
 * Why this password may not be used, or null when it may. Same rule for a new user, an admin's
 * reset and a password change; the message is shown to the person choosing it.
 */
export function passwordProblem(password: string, username: string): string | null {
  const folded = password.normalize('NFC').toLowerCase();
  if (COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(folded.replace(/[\d\W_]+$/u, ''))) {
    return 'password is on the list of commonly used passwords: choose another';
  }
  const compact = folded.replace(/[\s._-]+/gu, '');
  if (
    username.length >= MIN_USERNAME_IN_PASSWORD &&
    compact.includes(username.toLowerCase().replace(/[._-]+/gu, ''))
  ) {
    return 'password must not contain the username';
  }
  const withoutContext = CONTEXT_WORDS.reduce((rest, word) => rest.replaceAll(word, ''), compact);
  if (withoutContext.replace(/[\d\W_]/gu, '').length === 0 && withoutContext !== compact) {
    return 'password must be more than the product name and digits';
  }
  if (new Set(compact).size <= 2) return 'password must not repeat one or two characters';
  return null;
}
