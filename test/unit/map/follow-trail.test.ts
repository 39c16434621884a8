import { describe, expect, it } from 'vitest';
import { FollowTrail } from '../../../renderer/src/features/follow/follow-trail';

const MINUTE = 60_000;

describe('FollowTrail', () => {
  it('starts from the stored track and grows with live positions', () => {
    const trail = new FollowTrail(5 * MINUTE);
    trail.seed(
      [
        { t: 0, lon: 129.0, lat: 35.1 },
        { t: MINUTE, lon: 129.001, lat: 35.1 },
      ],
      MINUTE,
    );
    trail.add({ t: 2 * MINUTE, lon: 129.002, lat: 35.1 });
    expect(trail.path()).toEqual([
      [129.0, 35.1],
      [129.001, 35.1],
      [129.002, 35.1],
    ]);
  });

  it('drops points older than its window', () => {
    const trail = new FollowTrail(5 * MINUTE);
    trail.add({ t: 0, lon: 129.0, lat: 35.1 });
    trail.add({ t: 3 * MINUTE, lon: 129.001, lat: 35.1 });
    trail.add({ t: 6 * MINUTE, lon: 129.002, lat: 35.1 });
    expect(trail.path()).toEqual([
      [129.001, 35.1],
      [129.002, 35.1],
    ]);
  });

  it('skips repeats of a standing vehicle and starts over after a jump', () => {
    const trail = new FollowTrail(5 * MINUTE);
    trail.add({ t: 0, lon: 129.0, lat: 35.1 });
    trail.add({ t: 1000, lon: 129.0, lat: 35.1 });
    expect(trail.length).toBe(1);
    trail.add({ t: 2000, lon: 129.1, lat: 35.2 });
    expect(trail.path()).toEqual([[129.1, 35.2]]);
  });

  it('keeps live points newer than a track that arrives late', () => {
    const trail = new FollowTrail(5 * MINUTE);
    trail.add({ t: 2 * MINUTE, lon: 129.002, lat: 35.1 });
    trail.seed([{ t: MINUTE, lon: 129.001, lat: 35.1 }], 2 * MINUTE);
    expect(trail.path()).toEqual([
      [129.001, 35.1],
      [129.002, 35.1],
    ]);
  });
});
