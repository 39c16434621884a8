/**
 * A supervisor's bulk acknowledgement (`POST /api/alerts/ack-bulk`): the alerts checked in the
 * inbox, each at the version on screen, with one note. The answer's acknowledged alerts go into
 * the store at once (the broadcast brings the same versions); refusals come back per alert.
 */
import type { TFunction } from 'i18next';
import type { Alert, BulkAckResponse } from '../../../../shared/alerts';
import { api } from '../../auth/api';
import type { RelayResult } from '../../auth/relay-api';
import { relayErrorText } from '../../lib/relay-error-text';
import { useAppStore } from '../../store';

export function acknowledgeAlerts(
  alerts: readonly Alert[],
  note: string,
): Promise<RelayResult<BulkAckResponse>> {
  const trimmed = note.trim();
  return api.json<BulkAckResponse>('/api/alerts/ack-bulk', {
    method: 'POST',
    body: {
      items: alerts.map((alert) => ({ id: alert.id, version: alert.version })),
      ...(trimmed === '' ? {} : { note: trimmed }),
    },
  });
}

/** Applies the acknowledged alerts to the store; returns the ids that were refused. */
export function applyBulkAck(response: BulkAckResponse): number[] {
  const store = useAppStore.getState();
  const refused: number[] = [];
  for (const result of response.results) {
    if (result.ok) store.upsertAlert(result.alert);
    else refused.push(result.id);
  }
  return refused;
}

/** Each refusal in words, one line per alert: `#12: 다른 사용자가 먼저 변경했습니다…`. */
export function bulkRefusalLines(t: TFunction, response: BulkAckResponse): string[] {
  return response.results.flatMap((result) =>
    result.ok ? [] : [`#${result.id}: ${relayErrorText(t, result.error)}`],
  );
}
