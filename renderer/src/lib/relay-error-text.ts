import type { TFunction } from 'i18next';
import type { RelayError } from '../auth/relay-api';

type ErrorKey =
  | 'stale'
  | 'illegal'
  | 'forbidden'
  | 'notFound'
  | 'badRequest'
  | 'unauthorized'
  | 'rateLimited'
  | 'tooLarge'
  | 'storeUnavailable'
  | 'network'
  | 'timeout'
  | 'internal';

const KEY_OF_CODE: Readonly<Record<RelayError['code'], ErrorKey>> = {
  stale_version: 'stale',
  illegal_transition: 'illegal',
  forbidden: 'forbidden',
  not_found: 'notFound',
  bad_request: 'badRequest',
  conflict: 'badRequest',
  unauthorized: 'unauthorized',
  rate_limited: 'rateLimited',
  payload_too_large: 'tooLarge',
  store_unavailable: 'storeUnavailable',
  network_error: 'network',
  timeout: 'timeout',
  internal_error: 'internal',
};

/** Codes whose relay message says what a person needs (who may, which status, which field). */
const WITH_REASON: ReadonlySet<RelayError['code']> = new Set([
  'forbidden',
  'illegal_transition',
  'bad_request',
  'conflict',
  'not_found',
  'rate_limited',
  'store_unavailable',
]);

/** The call never reached the relay or got no answer: about the link, not the record. */
export function isLinkError(error: RelayError): boolean {
  return error.code === 'network_error' || error.code === 'timeout';
}

/** A relay refusal in the operator's language; the relay's own reason follows where it helps. */
export function relayErrorText(t: TFunction, error: RelayError): string {
  const text = t(`errors.${KEY_OF_CODE[error.code] ?? 'internal'}`);
  if (!WITH_REASON.has(error.code) || error.message === '') return text;
  return t('errors.withReason', { text, reason: error.message });
}
