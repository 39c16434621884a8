import { describe, expect, it } from 'vitest';
import {
  deriveConnectionState,
  LIVE_MAX_FRAME_AGE_MS,
  LOST_AFTER_MS,
} from '../../../renderer/src/features/connection/connection-state';

const base = { connected: true, lastFrameAt: 0, disconnectedSince: null, startedAt: 0 };

describe('deriveConnectionState', () => {
  it('is live while connected with a recent frame', () => {
    expect(deriveConnectionState(base, LIVE_MAX_FRAME_AGE_MS)).toBe('live');
  });

  it('is reconnecting when frames are late or the link is down briefly', () => {
    expect(deriveConnectionState(base, LIVE_MAX_FRAME_AGE_MS + 1)).toBe('reconnecting');
    expect(
      deriveConnectionState({ ...base, connected: false, disconnectedSince: 1000 }, 2000),
    ).toBe('reconnecting');
  });

  it('is reconnecting before the first frame, and lost if none comes for 15 s', () => {
    const fresh = { ...base, connected: false, lastFrameAt: null, startedAt: 100 };
    expect(deriveConnectionState(fresh, 200)).toBe('reconnecting');
    expect(deriveConnectionState(fresh, 100 + LOST_AFTER_MS)).toBe('lost');
  });

  it('is lost after 15 s without a frame, even while connected', () => {
    expect(deriveConnectionState(base, LOST_AFTER_MS)).toBe('lost');
  });

  it('is lost after 15 s disconnected', () => {
    const down = { ...base, connected: false, lastFrameAt: 20_000, disconnectedSince: 10_000 };
    expect(deriveConnectionState(down, 10_000 + LOST_AFTER_MS)).toBe('lost');
  });
});
