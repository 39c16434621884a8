import { describe, expect, it } from 'vitest';
import {
  FeedCadence,
  MIN_STALE_MS,
  STALE_CADENCE_FACTOR,
} from '../../../server/domain/feed-cadence';

const T0 = 1_765_258_200_000;
const MINUTE = 60_000;

describe('feed freshness', () => {
  it('a 1 Hz feed: stale after the 15 s floor, not before', () => {
    const feed = new FeedCadence();
    for (let s = 0; s <= 120; s++) feed.arrived(T0 + s * 1000);
    const last = T0 + 120_000;
    expect(feed.cadenceMs()).toBe(1000);
    expect(feed.staleAfterMs()).toBe(MIN_STALE_MS);
    expect(feed.isStale(last + 5_000, T0)).toBe(false);
    expect(feed.isStale(last + MIN_STALE_MS + 1, T0)).toBe(true);
  });

  it('a one-minute batch feed (seed §5.1) is healthy between batches, stale past three of them', () => {
    const feed = new FeedCadence();
    for (let batch = 0; batch < 10; batch++) {
      // Each batch: a burst of 500 rows within 200 ms.
      for (let i = 0; i < 500; i++) feed.arrived(T0 + batch * MINUTE + Math.floor(i * 0.4));
    }
    const lastBatch = T0 + 9 * MINUTE + 200;
    expect(feed.cadenceMs()).toBeGreaterThan(59_000);
    expect(feed.cadenceMs()).toBeLessThanOrEqual(MINUTE);
    // A minute and a half without data is a normal wait for the next batch…
    expect(feed.isStale(lastBatch + 90_000, T0)).toBe(false);
    // … three missed batches are not.
    expect(feed.isStale(lastBatch + STALE_CADENCE_FACTOR * MINUTE + 1, T0)).toBe(true);
  });

  it('a fixed threshold wins over the cadence', () => {
    const feed = new FeedCadence(5 * MINUTE);
    for (let batch = 0; batch < 3; batch++) feed.arrived(T0 + batch * MINUTE);
    expect(feed.staleAfterMs()).toBe(5 * MINUTE);
    expect(feed.isStale(T0 + 2 * MINUTE + 4 * MINUTE, T0)).toBe(false);
  });

  it('a feed that never delivered is stale the threshold after start', () => {
    const feed = new FeedCadence();
    expect(feed.isStale(T0 + MIN_STALE_MS, T0)).toBe(false);
    expect(feed.isStale(T0 + MIN_STALE_MS + 1, T0)).toBe(true);
  });

  it('one freak silence does not set the cadence', () => {
    const feed = new FeedCadence();
    let t = T0;
    for (let i = 0; i < 30; i++) feed.arrived((t += 1000));
    feed.arrived((t += 10 * MINUTE));
    for (let i = 0; i < 30; i++) feed.arrived((t += 1000));
    expect(feed.cadenceMs()).toBe(1000);
  });
});
