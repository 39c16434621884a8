import type { TFunction } from 'i18next';
import type { RelayError } from '../../auth/relay-api';
import { relayErrorText } from '../../lib/relay-error-text';

/**
 * A refused interlock command in the operator's language. The shared texts speak of alerts; a
 * stale version and a conflict (a hand-off exists already) are worded for violations and
 * hand-offs here, with the relay's reason, which names the existing hand-off or who was first.
 */
export function interlockErrorText(t: TFunction, error: RelayError): string {
  if (error.code === 'stale_version' || error.code === 'conflict') {
    const text = t(
      error.code === 'stale_version' ? 'interlock.errors.stale' : 'interlock.errors.conflict',
    );
    return error.message === '' ? text : t('errors.withReason', { text, reason: error.message });
  }
  return relayErrorText(t, error);
}
