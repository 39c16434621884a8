/** The wall's feed status (feed-status.ts), re-evaluated every second and on every frame. */
import { useSyncExternalStore } from 'react';
import { fleet } from '../live/fleet';
import { monotonicNow, useNow } from '../lib/use-now';
import { useAppStore } from '../store';
import { feedStatus, type FeedStatus } from './feed-status';

const TICK_MS = 1000;
const lastFrameAtSnapshot = (): number | null => fleet.lastFrameAt;

export function useFeedStatus(): FeedStatus {
  const now = useNow(TICK_MS, monotonicNow);
  const lastFrameAt = useSyncExternalStore(fleet.subscribe, lastFrameAtSnapshot);
  const connected = useAppStore((state) => state.connected);
  const disconnectedSince = useAppStore((state) => state.disconnectedSince);
  const startedAt = useAppStore((state) => state.startedAt);
  const health = useAppStore((state) => state.health);
  // A frame can arrive between ticks; never show a negative age.
  const at = Math.max(now, lastFrameAt ?? now);
  return feedStatus(
    { connected, lastFrameAt, disconnectedSince, startedAt, health },
    at,
    Date.now(),
  );
}
