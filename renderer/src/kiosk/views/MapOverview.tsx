import { useAppStore } from '../../store';
import { useNow } from '../../lib/use-now';
import { Bi } from '../Bi';
import { fill, KIOSK_TEXT } from '../kiosk-text';
import { Figure } from './Figure';
import { SeverityKey } from './SeverityKey';
import { formatCount, useAlertFigures } from './use-alert-figures';

const TICK_MS = 5000;
const OVERDUE = { ko: '기한 초과 {{n}}건', en: '{{n}} overdue' };

/**
 * The map overview's panel: the map itself (vehicles, large district names, alert markers) is
 * KioskMap behind it.
 */
export function MapOverview() {
  const vehicles = useAppStore((state) => state.liveCount);
  const { figures, open } = useAlertFigures(useNow(TICK_MS));
  return (
    <section className="kiosk-view kiosk-view--map" data-testid="kiosk-view-map">
      <aside className="kiosk-side">
        <Figure
          label={KIOSK_TEXT.vehicles}
          value={formatCount(vehicles)}
          testId="kiosk-vehicle-count"
          dataValue={vehicles}
        />
        <Figure
          label={KIOSK_TEXT.openAlerts}
          value={formatCount(open)}
          testId="kiosk-open-alerts"
          dataValue={open}
          alarm={figures.overdue > 0}
          detail={<Bi text={fill(OVERDUE, { n: formatCount(figures.overdue) })} inline />}
        />
        <SeverityKey />
      </aside>
    </section>
  );
}
