import { KST_OFFSET_MS } from '../../../shared/time';
import { formatKstTime } from '../lib/format-time';
import { useNow } from '../lib/use-now';

const TICK_MS = 1000;
const WEEKDAYS_KO = ['일', '월', '화', '수', '목', '금', '토'] as const;
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const ISO_DATE_END = 10;

/** The KST date with its weekday in both languages: `2025-12-09 (화 Tue)`. */
export function kstDateText(epochMs: number): string {
  const kst = new Date(epochMs + KST_OFFSET_MS);
  const day = kst.getUTCDay();
  return `${kst.toISOString().slice(0, ISO_DATE_END)} (${WEEKDAYS_KO[day]} ${WEEKDAYS_EN[day]})`;
}

/** Wall-clock time in Korea, whatever the machine's own zone. */
export function KioskClock() {
  const now = useNow(TICK_MS);
  return (
    <div className="kiosk-clock" data-testid="kiosk-clock">
      <time className="kiosk-clock__time" dateTime={new Date(now).toISOString()}>
        {formatKstTime(now)}
      </time>
      <span className="kiosk-clock__date">{kstDateText(now)} KST</span>
    </div>
  );
}
