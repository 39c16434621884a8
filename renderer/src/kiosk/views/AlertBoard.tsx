import type { Alert } from '../../../../shared/alerts';
import { placeText } from '../../features/alerts/districts';
import { SEVERITY_COLORS } from '../../features/alerts/alert-visuals';
import { useNow } from '../../lib/use-now';
import { rgbToCss } from '../../map/vehicle-colors';
import { useAppStore } from '../../store';
import { Bi } from '../Bi';
import { formatDataAge } from '../feed-status';
import { boardAlerts, isOverdue } from '../kiosk-figures';
import { KIOSK_HEADER_PX } from '../kiosk-layout';
import { bilingual, fill, KIOSK_TEXT, type Bilingual } from '../kiosk-text';
import { useViewport } from '../use-viewport';
import { formatCount, useAlertFigures } from './use-alert-figures';

const TICK_MS = 1000;
/**
 * The status counts strip, the view's padding and gaps and the "+N more" line, and one row with
 * its gap, in CSS pixels (kiosk.css).
 */
const COUNTS_PX = 210;
const MARGINS_PX = 56 + 2 * 24 + 44;
const ROW_GAP_PX = 14;
const ROW_PX = 128 + ROW_GAP_PX;
const MIN_ROWS = 2;
const MAX_ROWS = 10;

const RAISED: Bilingual = { ko: '발생 {{age}} 전', en: 'Raised {{age}} ago' };
const MERGED: Bilingual = { ko: '{{count}}회 감지', en: '{{count}} detections' };

function rowsFor(height: number, footer: number): number {
  const room = height - KIOSK_HEADER_PX - footer - COUNTS_PX - MARGINS_PX;
  // The last row needs no gap after it.
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.floor((room + ROW_GAP_PX) / ROW_PX)));
}

/**
 * The alert board: counts per status, then the open alerts that matter most (overdue first, then
 * the most severe, then the newest) in very large type. Overdue rows flash.
 */
export function AlertBoard({ footer }: { footer: number }) {
  const now = useNow(TICK_MS);
  const loaded = useAppStore((state) => state.alertsLoaded);
  const { alertsById, counts, figures, open } = useAlertFigures(now);
  const rows = rowsFor(useViewport().height, footer);
  const shown = boardAlerts(alertsById, rows);
  const more = open - shown.length;

  return (
    <section className="kiosk-view kiosk-view--alerts" data-testid="kiosk-view-alerts">
      <div className="kiosk-counts">
        <Count label={bilingual('alertStatus.new')} value={counts.new} status="new" />
        <Count
          label={KIOSK_TEXT.overdue}
          value={figures.overdue}
          status="overdue"
          alarm={figures.overdue > 0}
        />
        <Count
          label={bilingual('alertStatus.acknowledged')}
          value={counts.acknowledged}
          status="acknowledged"
        />
        <Count
          label={bilingual('alertStatus.dispatched')}
          value={counts.dispatched}
          status="dispatched"
        />
        <Count label={KIOSK_TEXT.resolved24h} value={counts.resolved} status="resolved" />
      </div>
      {shown.length === 0 ? (
        <p className="kiosk-board__empty">
          <Bi text={loaded ? KIOSK_TEXT.noOpenAlerts : KIOSK_TEXT.waitingForAlerts} />
        </p>
      ) : (
        <ol className="kiosk-board">
          {shown.map((alert) => (
            <BoardRow key={alert.id} alert={alert} now={now} />
          ))}
        </ol>
      )}
      {more > 0 && (
        <p className="kiosk-board__more">
          <Bi text={fill(KIOSK_TEXT.moreAlerts, { count: formatCount(more) })} inline />
        </p>
      )}
    </section>
  );
}

function Count({
  label,
  value,
  status,
  alarm = false,
}: {
  label: Bilingual;
  value: number;
  status: string;
  alarm?: boolean;
}) {
  return (
    <div
      className={`kiosk-count kiosk-count--${status}${alarm ? ' kiosk-count--alarm' : ''}`}
      data-testid={`kiosk-count-${status}`}
      data-value={value}
    >
      <span className="kiosk-count__value">{formatCount(value)}</span>
      <span className="kiosk-count__label">
        <Bi text={label} />
      </span>
    </div>
  );
}

function BoardRow({ alert, now }: { alert: Alert; now: number }) {
  const overdue = isOverdue(alert);
  // Neighbourhoods have Korean names only; the district's romanisation adds little on a wall.
  const place = placeText(alert, 'ko');
  const status = overdue ? KIOSK_TEXT.overdue : bilingual(`alertStatus.${alert.status}`);
  return (
    <li
      className={`kiosk-board__row kiosk-board__row--${alert.severity}${
        overdue ? ' kiosk-board__row--overdue' : ''
      }`}
      data-testid="kiosk-board-row"
      data-alert-id={alert.id}
      data-overdue={overdue}
      style={{ borderLeftColor: rgbToCss(SEVERITY_COLORS[alert.severity]) }}
    >
      <div className="kiosk-board__what">
        <span className="kiosk-board__type">
          <Bi text={bilingual(`alertType.${alert.type}`)} inline />
        </span>
        <span className="kiosk-board__where">
          {place === '' ? <Bi text={KIOSK_TEXT.unknownPlace} inline /> : place}
          {alert.plate !== null && <span className="kiosk-board__plate">{alert.plate}</span>}
        </span>
      </div>
      <div className="kiosk-board__severity">
        <Bi text={bilingual(`severity.${alert.severity}`)} />
      </div>
      <div className="kiosk-board__when">
        <Bi text={fill(RAISED, { age: formatDataAge(now - alert.createdMs) })} />
        {alert.count > 1 && (
          <span className="kiosk-board__merged">
            <Bi text={fill(MERGED, { count: alert.count })} inline />
          </span>
        )}
      </div>
      <div
        className={
          overdue ? 'kiosk-board__status kiosk-board__status--overdue' : 'kiosk-board__status'
        }
      >
        <Bi text={status} />
      </div>
    </li>
  );
}
