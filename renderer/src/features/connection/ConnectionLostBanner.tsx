import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgeText } from '../../lib/use-age-text';
import { useAppStore } from '../../store';
import './connection.css';
import { feedDim } from './feed-dim';
import { useConnectionState } from './use-connection-state';

/**
 * Says at once, calmly, that the map is not live: as soon as frames stop (reconnecting), with the
 * age of the last data the map shows, and more firmly once the feed counts as lost (15 s). The
 * vehicles dim meanwhile (feed-dim.ts). Before the first frame a starting client is just waiting:
 * no banner unless it waits long enough to count as lost.
 */
export function ConnectionLostBanner() {
  const { t } = useTranslation();
  const ageText = useAgeText();
  const { state, frameAgeMs } = useConnectionState();
  const everLive = frameAgeMs !== null;
  const disconnected = useAppStore((s) => !s.connected && s.disconnectedSince !== null);
  const shown = state === 'lost' || (state !== 'live' && (everLive || disconnected));

  useEffect(() => {
    feedDim.set(shown && everLive);
  }, [shown, everLive]);
  useEffect(() => () => feedDim.set(false), []);

  if (!shown) return null;
  const age =
    frameAgeMs === null
      ? t('connection.noDataYet')
      : t('connection.lastData', { age: ageText(frameAgeMs) });
  return (
    <div
      className={`feed-banner feed-banner--${state}`}
      role={state === 'lost' ? 'alert' : 'status'}
      data-testid="connection-lost-banner"
      data-state={state}
    >
      <span className="feed-banner__dot" aria-hidden="true" />
      <span className="feed-banner__what">{t(`connection.banner.${state}`)}</span>
      <span className="feed-banner__age" data-testid="connection-banner-age">
        {age}
      </span>
    </div>
  );
}
