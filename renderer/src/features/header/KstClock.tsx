import { useTranslation } from 'react-i18next';
import { formatKstTime } from '../../lib/format-time';
import { useNow } from '../../lib/use-now';

const CLOCK_TICK_MS = 1000;

export function KstClock() {
  const { t } = useTranslation();
  const now = useNow(CLOCK_TICK_MS);
  return (
    <div className="clock" data-testid="kst-clock">
      <time className="clock__time" dateTime={new Date(now).toISOString()}>
        {formatKstTime(now)}
      </time>
      <span className="clock__zone">{t('header.clock')}</span>
    </div>
  );
}
