/**
 * A plate gone from the newest daily snapshot (paid, found) stops producing hits at once
 * (server/domain/master-list.ts); its open alert gets a comment by `system` saying so, so whoever
 * works it knows before acting on a hit that no longer stands.
 */
import fp from 'fastify-plugin';
import { MAX_ALERT_LIST_LIMIT, OPEN_STATUSES, type Alert } from '../../shared/alerts';
import { normalizePlate } from '../../shared/plates';
import type { PlateDelisting } from '../ingest/plate-hits';

/** Korean first, English second, as the client shows them. */
export function delistingComment(d: PlateDelisting): string {
  return d.list === 'arrears'
    ? `체납 목록에서 빠졌습니다 (${d.snapshotDay} 일일 스냅샷): 납부 등으로 더 이상 체납 차량이 아닙니다. / ` +
        `No longer on the arrears list (daily snapshot ${d.snapshotDay}): this plate is no longer a hit.`
    : `실종자 목록에서 빠졌습니다 (${d.snapshotDay} 일일 스냅샷): 발견 등으로 수색 대상이 아닙니다. / ` +
        `No longer on the missing-person list (daily snapshot ${d.snapshotDay}): no longer a hit.`;
}

function concerns(alert: Alert, d: PlateDelisting): boolean {
  if (d.list === 'arrears') return alert.type === 'ARREARS_HIT' && alert.plate === d.key;
  if (alert.type !== 'MISSING_PERSON_HIT') return false;
  const evidence = alert.evidence;
  const plate = normalizePlate(d.plateText);
  return (
    (evidence.type === 'MISSING_PERSON_HIT' && evidence.missingId === d.key) ||
    (plate !== null && alert.plate === plate)
  );
}

export default fp(
  async (app) => {
    app.ingest.onDelisted(async (delistings) => {
      const open = await app.alerts.list({
        status: [...OPEN_STATUSES],
        type: ['ARREARS_HIT', 'MISSING_PERSON_HIT'],
        limit: MAX_ALERT_LIST_LIMIT,
      });
      for (const d of delistings) {
        for (const alert of open.filter((a) => concerns(a, d))) {
          await app.alerts.systemComment(alert.id, delistingComment(d));
        }
      }
    });
  },
  { name: 'plate-delistings', dependencies: ['fleet', 'alerts'] },
);
