import { describe, expect, it } from 'vitest';
import { deriveConnectionState } from '../../../renderer/src/features/connection/connection-state';
import { LOAD_RETRY_MAX_MS, loadRetryDelayMs } from '../../../renderer/src/live/load-retry';
import { isLoadRefusal } from '../../../shared/socket-admission';

describe('loadRetryDelayMs', () => {
  const top = () => 1; // no jitter taken off

  it('waits at least the relay hint', () => {
    expect(loadRetryDelayMs(1, 1800, top)).toBe(1800);
  });

  it('backs off while refusals go on, up to a cap', () => {
    expect(loadRetryDelayMs(1, 0, top)).toBe(1000);
    expect(loadRetryDelayMs(3, 0, top)).toBe(4000);
    expect(loadRetryDelayMs(20, 0, top)).toBe(LOAD_RETRY_MAX_MS);
  });

  it('spreads clients with jitter of up to half its own back-off', () => {
    expect(loadRetryDelayMs(2, 0, () => 0)).toBe(1000);
  });
});

describe('load refusal state', () => {
  it('tells a load refusal from other connect errors', () => {
    expect(
      isLoadRefusal({ data: { code: 'overloaded', reason: 'clients', retryAfterMs: 5 } }),
    ).toBe(true);
    expect(isLoadRefusal({ data: { code: 'unauthorized' } })).toBe(false);
    expect(isLoadRefusal({})).toBe(false);
  });

  it('shows busy while refused for load, and lost after 15 s all the same', () => {
    const facts = {
      connected: false,
      lastFrameAt: null,
      disconnectedSince: 0,
      startedAt: 0,
      refusedForLoad: true,
    };
    expect(deriveConnectionState(facts, 1000)).toBe('busy');
    expect(deriveConnectionState({ ...facts, refusedForLoad: false }, 1000)).toBe('reconnecting');
    expect(deriveConnectionState(facts, 15_000)).toBe('lost');
  });
});
