/**
 * Drives the replayed city from the store's `replay` state (outside React): entering replay shows
 * the replay fleet on the map, each new moment fetches the fleet at it (one request in flight; a
 * moment that moved on meanwhile is fetched next), playing moves the moment on at the chosen
 * speed, and going back to live shows the live fleet again — which was fed all along.
 */
import type { PositionFrame } from '../../../../shared/frames';
import type { ReplayRange } from '../../../../shared/replay';
import type { RelayResult } from '../../auth/relay-api';
import type { FleetBuffer } from '../../live/fleet-buffer';
import type { AppStore } from '../../store';

/** How often the replayable range is asked for again (it grows every chunk, about 10 s). */
export const RANGE_REFRESH_MS = 10_000;
/**
 * A jump of the replayed moment larger than this is a seek, drawn at once; smaller steps (playing)
 * glide like live updates.
 */
export const SEEK_SNAP_MS = 5_000;

export interface ReplayDriverDeps {
  store: AppStore;
  live: FleetBuffer;
  replay: FleetBuffer;
  show: (fleet: FleetBuffer) => void;
  fetchFleetAt: (atMs: number) => Promise<RelayResult<PositionFrame>>;
  fetchRange: () => Promise<RelayResult<ReplayRange>>;
  /** Monotonic clock (performance.now) and the animation-frame scheduler, injected for tests. */
  now: () => number;
  requestFrame: (callback: (now: number) => void) => number;
  cancelFrame: (handle: number) => void;
}

export function startReplayDriver(deps: ReplayDriverDeps): () => void {
  const { store } = deps;
  let stopped = false;
  let inFlight = false;
  /** The moment of the frame last applied (or being fetched), to tell a seek from a step. */
  let requestedMs: number | null = null;
  let shownMs: number | null = null;
  let playHandle = 0;
  let lastTick: number | null = null;

  const refreshRange = async () => {
    const result = await deps.fetchRange();
    if (!stopped && result.ok) store.getState().setReplayRange(result.value);
  };
  void refreshRange();
  const rangeTimer = setInterval(() => void refreshRange(), RANGE_REFRESH_MS);

  const fetchNext = async (): Promise<void> => {
    const target = store.getState().replay.atMs;
    if (inFlight || stopped || target === null || target === requestedMs) return;
    inFlight = true;
    requestedMs = target;
    const result = await deps.fetchFleetAt(target);
    inFlight = false;
    if (stopped) return;
    const state = store.getState();
    if (state.replay.atMs === null) return; // back to live meanwhile
    if (result.ok) {
      const seek =
        shownMs === null || Math.abs(target - shownMs) > SEEK_SNAP_MS || !state.replay.playing;
      if (seek) deps.replay.clear();
      deps.replay.apply(result.value, deps.now());
      shownMs = target;
      state.replayFrameShown(result.value.serverTimeMs);
    } else {
      state.setReplayError(result.error.message);
      if (state.replay.playing) state.setReplayPlaying(false);
    }
    void fetchNext();
  };

  const tick = (now: number): void => {
    playHandle = 0;
    const { replay } = store.getState();
    if (!replay.playing || replay.atMs === null) {
      lastTick = null;
      return;
    }
    if (lastTick !== null) {
      const newest = replay.range?.newestMs ?? Number.POSITIVE_INFINITY;
      const next = Math.min(newest, replay.atMs + (now - lastTick) * replay.speed);
      store.getState().advanceReplay(next);
      // At the newest recorded moment playback stops there; "live" is one click away.
      if (next >= newest) store.getState().setReplayPlaying(false);
    }
    lastTick = now;
    playHandle = deps.requestFrame(tick);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    const now = state.replay;
    const before = previous.replay;
    if (now.atMs !== null && before.atMs === null) {
      deps.replay.clear();
      shownMs = null;
      deps.show(deps.replay);
      void refreshRange();
    } else if (now.atMs === null && before.atMs !== null) {
      deps.show(deps.live);
      deps.replay.clear();
      requestedMs = null;
      shownMs = null;
    }
    if (now.atMs !== before.atMs) void fetchNext();
    if (now.playing && !before.playing && playHandle === 0) {
      lastTick = null;
      playHandle = deps.requestFrame(tick);
    }
  });

  return () => {
    stopped = true;
    unsubscribe();
    clearInterval(rangeTimer);
    if (playHandle !== 0) deps.cancelFrame(playHandle);
    deps.show(deps.live);
  };
}
