import { useSyncExternalStore } from 'react';
import { fleet } from '../../live/fleet';
import { monotonicNow, useNow } from '../../lib/use-now';
import { SOCKET_LOAD_REFUSAL_PREFIX } from '../../../../shared/socket-admission';
import { useAppStore } from '../../store';
import { deriveConnectionState, type ConnectionState } from './connection-state';

/** Re-evaluated at least this often, so "live" turns to "reconnecting" without any event. */
const TICK_MS = 1000;

const lastFrameAtSnapshot = (): number | null => fleet.lastFrameAt;

export interface ConnectionView {
  state: ConnectionState;
  /** Age of the last position frame in ms, or null before the first. */
  frameAgeMs: number | null;
}

export function useConnectionState(): ConnectionView {
  const now = useNow(TICK_MS, monotonicNow);
  const lastFrameAt = useSyncExternalStore(fleet.subscribe, lastFrameAtSnapshot);
  const connected = useAppStore((state) => state.connected);
  const disconnectedSince = useAppStore((state) => state.disconnectedSince);
  const startedAt = useAppStore((state) => state.startedAt);
  const refusedForLoad = useAppStore(
    (state) => state.lastError?.startsWith(SOCKET_LOAD_REFUSAL_PREFIX) ?? false,
  );
  // A frame can arrive between ticks; never show a negative age.
  const at = Math.max(now, lastFrameAt ?? now);
  return {
    state: deriveConnectionState(
      { connected, lastFrameAt, disconnectedSince, startedAt, refusedForLoad },
      at,
    ),
    frameAgeMs: lastFrameAt === null ? null : at - lastFrameAt,
  };
}
