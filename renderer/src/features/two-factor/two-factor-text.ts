/** What a refused two-factor step says to the person at the console. */
import type { TFunction } from 'i18next';
import type { RelayError } from '../../auth/relay-api';

const HTTP_UNAUTHORIZED = 401;
const HTTP_TOO_MANY = 429;
const SECONDS_IN_MESSAGE = /(\d+) seconds/;

export function twoFactorErrorText(t: TFunction, failure: RelayError): string {
  if (failure.status === HTTP_TOO_MANY) {
    // The relay's lock names its seconds in the message; the login limit in Retry-After.
    const seconds =
      failure.retryAfterSec ?? Number(SECONDS_IN_MESSAGE.exec(failure.message)?.[1] ?? NaN);
    return Number.isFinite(seconds)
      ? t('twoFactor.errors.locked', { seconds: String(seconds) })
      : t('twoFactor.errors.lockedSoon');
  }
  if (failure.status === HTTP_UNAUTHORIZED) {
    return failure.message.includes('wrong code')
      ? t('twoFactor.errors.wrong')
      : t('twoFactor.errors.expired');
  }
  if (failure.code === 'network_error') return t('twoFactor.errors.network');
  return t('twoFactor.errors.other', { message: failure.message });
}
