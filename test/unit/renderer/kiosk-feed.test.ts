import { describe, expect, it } from 'vitest';
import { LOST_AFTER_MS } from '../../../renderer/src/features/connection/connection-state';
import {
  feedStatus,
  formatDataAge,
  showsFeedBanner,
  type FeedFacts,
} from '../../../renderer/src/kiosk/feed-status';

const EPOCH = Date.UTC(2025, 11, 9, 5, 30, 0);
const live: FeedFacts = {
  connected: true,
  lastFrameAt: 10_000,
  disconnectedSince: null,
  startedAt: 0,
  health: { status: 'ok', lastIngestMs: EPOCH - 1000 },
};

describe('feedStatus', () => {
  it('is live, without a banner, while frames arrive and the relay ingests', () => {
    const status = feedStatus(live, 11_000, EPOCH);
    expect(status).toEqual({ state: 'live', lastDataAgeMs: 1000 });
    expect(showsFeedBanner(status)).toBe(false);
  });

  it('waits quietly through a short drop: a relay restart does not flash every wall', () => {
    // Down for 3 s, the last frame 5 s old.
    const dropped = { ...live, connected: false, disconnectedSince: 12_000 };
    const status = feedStatus(dropped, 15_000, EPOCH);
    expect(status.state).toBe('waiting');
    expect(showsFeedBanner(status)).toBe(false);
  });

  it('is lost after 15 s without a frame, with the age of the last one', () => {
    const at = 10_000 + LOST_AFTER_MS;
    const status = feedStatus(live, at, EPOCH);
    expect(status).toEqual({ state: 'lost', lastDataAgeMs: LOST_AFTER_MS });
    expect(showsFeedBanner(status)).toBe(true);
    // Two minutes later the same frame is two minutes older.
    expect(feedStatus(live, at + 120_000, EPOCH).lastDataAgeMs).toBe(LOST_AFTER_MS + 120_000);
  });

  it('is lost after 15 s with the link down, even if the last frame was recent then', () => {
    const down = { ...live, connected: false, disconnectedSince: 10_500 };
    expect(feedStatus(down, 10_500 + LOST_AFTER_MS, EPOCH).state).toBe('lost');
  });

  it('is lost with no data at all when nothing arrived for 15 s after the start', () => {
    const never = { ...live, connected: false, lastFrameAt: null, health: null };
    expect(feedStatus(never, LOST_AFTER_MS - 1, EPOCH).state).toBe('waiting');
    expect(feedStatus(never, LOST_AFTER_MS, EPOCH)).toEqual({ state: 'lost', lastDataAgeMs: null });
  });

  it('is stale when the link is up but the relay reports its source quiet', () => {
    const quiet = {
      ...live,
      health: { status: 'degraded' as const, lastIngestMs: EPOCH - 95_000 },
    };
    const status = feedStatus(quiet, 11_000, EPOCH);
    expect(status).toEqual({ state: 'stale', lastDataAgeMs: 95_000 });
    expect(showsFeedBanner(status)).toBe(true);
  });

  it('is stale with no age when the relay never ingested anything', () => {
    const empty = { ...live, health: { status: 'degraded' as const, lastIngestMs: null } };
    expect(feedStatus(empty, 11_000, EPOCH)).toEqual({ state: 'stale', lastDataAgeMs: null });
  });

  it('never reports a negative age when the relay’s clock runs ahead', () => {
    const ahead = { ...live, health: { status: 'degraded' as const, lastIngestMs: EPOCH + 5000 } };
    expect(feedStatus(ahead, 11_000, EPOCH).lastDataAgeMs).toBe(0);
  });

  it('ignores an old degraded report while the link is down (lost decides then)', () => {
    const down = {
      ...live,
      connected: false,
      disconnectedSince: 10_500,
      health: { status: 'degraded' as const, lastIngestMs: EPOCH - 60_000 },
    };
    expect(feedStatus(down, 11_000, EPOCH).state).toBe('waiting');
  });

  it('clears by itself once frames flow again', () => {
    const lost = feedStatus(live, 10_000 + LOST_AFTER_MS + 5000, EPOCH);
    expect(lost.state).toBe('lost');
    const recovered = { ...live, lastFrameAt: 10_000 + LOST_AFTER_MS + 6000 };
    expect(feedStatus(recovered, 10_000 + LOST_AFTER_MS + 6500, EPOCH).state).toBe('live');
  });
});

describe('formatDataAge', () => {
  it('states seconds under a minute', () => {
    expect(formatDataAge(0)).toEqual({ ko: '0초', en: '0 s' });
    expect(formatDataAge(14_999)).toEqual({ ko: '14초', en: '14 s' });
  });

  it('states minutes and seconds under an hour', () => {
    expect(formatDataAge(134_000)).toEqual({ ko: '2분 14초', en: '2 m 14 s' });
    expect(formatDataAge(60_000)).toEqual({ ko: '1분 0초', en: '1 m 0 s' });
  });

  it('states hours and minutes, then days and hours', () => {
    expect(formatDataAge(3_900_000)).toEqual({ ko: '1시간 5분', en: '1 h 5 m' });
    expect(formatDataAge(2 * 86_400_000 + 3 * 3_600_000 + 59_000)).toEqual({
      ko: '2일 3시간',
      en: '2 d 3 h',
    });
  });

  it('never goes below zero', () => {
    expect(formatDataAge(-5000)).toEqual({ ko: '0초', en: '0 s' });
  });
});
