import type { WallView } from '../../../shared/ipc';
import { Bi } from './Bi';
import { KioskClock } from './KioskClock';
import { KIOSK_TEXT, VIEW_TITLES, type Bilingual } from './kiosk-text';
import type { FeedState } from './feed-status';
import { useFeedStatus } from './use-feed-status';

const FEED_CHIP: Readonly<Record<FeedState, Bilingual>> = {
  live: { ko: '실시간', en: 'Live' },
  waiting: { ko: '연결 중', en: 'Connecting' },
  stale: { ko: '지연', en: 'Stale' },
  lost: { ko: '끊김', en: 'Lost' },
};

export function KioskHeader({ view }: { view?: WallView }) {
  const feed = useFeedStatus();
  return (
    <header className="kiosk-header">
      <div className="kiosk-header__title">
        <Bi text={KIOSK_TEXT.title} />
      </div>
      <div className="kiosk-header__view">{view && <Bi text={VIEW_TITLES[view]} />}</div>
      <div className={`kiosk-feed-chip kiosk-feed-chip--${feed.state}`} data-state={feed.state}>
        <span className="kiosk-feed-chip__dot" aria-hidden="true" />
        <Bi text={FEED_CHIP[feed.state]} />
      </div>
      <KioskClock />
    </header>
  );
}
