import { formatDataAge, showsFeedBanner } from './feed-status';
import { fill, KIOSK_TEXT } from './kiosk-text';
import { useFeedStatus } from './use-feed-status';

/**
 * Full width, red, its border flashing: a wall showing old data must not pass for a live one.
 * It clears by itself when data flows again.
 */
export function KioskFeedBanner() {
  const status = useFeedStatus();
  if (!showsFeedBanner(status)) return null;
  const headline = status.state === 'stale' ? KIOSK_TEXT.feedStale : KIOSK_TEXT.feedLost;
  const age =
    status.lastDataAgeMs === null
      ? KIOSK_TEXT.noData
      : fill(KIOSK_TEXT.lastData, { age: formatDataAge(status.lastDataAgeMs) });
  return (
    <div
      className="kiosk-feed-banner"
      role="alert"
      data-testid="kiosk-feed-banner"
      data-state={status.state}
      data-age-ms={status.lastDataAgeMs ?? undefined}
    >
      <span className="kiosk-feed-banner__icon" aria-hidden="true">
        ⚠
      </span>
      <div className="kiosk-feed-banner__text">
        <p className="kiosk-feed-banner__line" lang="ko">
          {headline.ko} · {age.ko}
        </p>
        <p className="kiosk-feed-banner__line kiosk-feed-banner__line--en" lang="en">
          {headline.en} · {age.en}
        </p>
      </div>
    </div>
  );
}
