/**
 * Drives the replayed city from the store's `replay` state (outside React): entering replay shows
 * the replay fleet on the map; a seek (or a paused moment) fetches the fleet at that moment (one
 * request in flight; a moment that moved on meanwhile is fetched next); playing moves a play
 * head on at the chosen speed every animation frame and shows recorded frames fetched ahead of
 * it; going back to live shows the live fleet again — which was fed all along.
 *
 * Playback never waits on a request: the frames for the next seconds of play are asked for
 * before the play head reaches them (PREFETCH_AHEAD_MS of real time, a few at once), and the
 * head and its clock move on by the animation frame whether or not a frame has arrived. The
 * store hears the head once per shown second (the time bar's clock), not every animation frame.
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
/** The recorder keeps a frame about every second: playback never asks for moments closer. */
export const RECORDED_STEP_MS = 1_000;
/**
 * Playback shows a new frame at most this often (real time): ×1–×5 show every recorded second,
 * ×10 every second one, ×60 every twelfth, so a 50,000-vehicle city costs at most five frame
 * fetches and applies a second at any speed.
 */
export const PLAYBACK_FRAME_INTERVAL_MS = 200;
/** Frames are fetched this far (real time) ahead of the play head. */
export const PREFETCH_AHEAD_MS = 2_000;
/** Prefetch requests in flight at once. */
export const PREFETCH_PARALLEL = 2;
/** The clock's resolution: the store hears the play head when this changes… */
const CLOCK_STEP_MS = 1_000;
/** …but not more often than this (at ×60 every animation frame would be a new second). */
const CLOCK_MIN_INTERVAL_MS = 100;

/** Replayed time between two frames shown while playing at `speed`. */
export function playbackStepMs(speed: number): number {
  const step = Math.max(RECORDED_STEP_MS, speed * PLAYBACK_FRAME_INTERVAL_MS);
  return Math.ceil(step / RECORDED_STEP_MS) * RECORDED_STEP_MS;
}

/** The moments to have fetched while the head is at `headMs`: the next steps within reach. */
export function momentsAhead(headMs: number, speed: number, newestMs: number): number[] {
  const step = playbackStepMs(speed);
  const until = Math.min(newestMs, headMs + PREFETCH_AHEAD_MS * speed);
  const moments: number[] = [];
  for (let m = Math.floor(headMs / step) * step + step; m <= until; m += step) moments.push(m);
  return moments;
}

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

/** A frame asked for ahead of the play head: pending until its answer arrives. */
type Prefetched = { state: 'pending' } | { state: 'ready'; frame: PositionFrame };

export function startReplayDriver(deps: ReplayDriverDeps): () => void {
  const { store } = deps;
  let stopped = false;
  let inFlight = false;
  /** The moment of the frame last applied (or being fetched), to tell a seek from a step. */
  let requestedMs: number | null = null;
  let shownMs: number | null = null;
  let playHandle = 0;
  let lastTick: number | null = null;
  /** The exact replayed moment while playing; the store holds it to the clock's second. */
  let headMs = 0;
  let clockAt = Number.NEGATIVE_INFINITY;
  /** Set while the driver itself moves the store's moment on (not a seek). */
  let advancing = false;
  /** Frames fetched ahead, by moment; a new generation drops answers to older requests. */
  const ahead = new Map<number, Prefetched>();
  let generation = 0;
  let prefetching = 0;

  const refreshRange = async () => {
    const result = await deps.fetchRange();
    if (!stopped && result.ok) store.getState().setReplayRange(result.value);
  };
  void refreshRange();
  const rangeTimer = setInterval(() => void refreshRange(), RANGE_REFRESH_MS);

  const dropAhead = () => {
    ahead.clear();
    generation++;
    prefetching = 0;
  };

  const failed = (message: string) => {
    const state = store.getState();
    state.setReplayError(message);
    if (state.replay.playing) state.setReplayPlaying(false);
  };

  const show = (frame: PositionFrame, atMs: number, seek: boolean) => {
    if (seek) deps.replay.clear();
    deps.replay.apply(frame, deps.now());
    shownMs = atMs;
    store.getState().replayFrameShown(frame.serverTimeMs);
  };

  /** The moment a seek or a pause asks for, fetched exactly. */
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
      show(result.value, target, seek);
    } else {
      failed(result.error.message);
    }
    void fetchNext();
  };

  /** Asks for the frames the play head reaches next, a few at a time. */
  const prefetch = (): void => {
    const { replay } = store.getState();
    if (stopped || !replay.playing || replay.atMs === null) return;
    const newest = replay.range?.newestMs ?? Number.POSITIVE_INFINITY;
    for (const moment of momentsAhead(headMs, replay.speed, newest)) {
      if (prefetching >= PREFETCH_PARALLEL) return;
      if (ahead.has(moment)) continue;
      ahead.set(moment, { state: 'pending' });
      prefetching++;
      const asked = generation;
      void deps.fetchFleetAt(moment).then((result) => {
        if (asked === generation) prefetching--;
        if (stopped || asked !== generation || !ahead.has(moment)) return;
        if (result.ok) ahead.set(moment, { state: 'ready', frame: result.value });
        else {
          ahead.delete(moment);
          failed(result.error.message);
          return;
        }
        prefetch();
      });
    }
  };

  /** Shows the newest fetched frame the play head has reached; forgets those behind it. */
  const showReached = (): void => {
    let reached: { moment: number; frame: PositionFrame } | null = null;
    for (const [moment, entry] of ahead) {
      if (moment > headMs) continue;
      if (entry.state === 'ready' && (reached === null || moment > reached.moment)) {
        reached = { moment, frame: entry.frame };
      }
    }
    if (reached === null) return;
    for (const moment of [...ahead.keys()]) if (moment <= reached.moment) ahead.delete(moment);
    if (shownMs !== null && reached.moment <= shownMs) return;
    // Frames are whole key frames: each one replaces the city, gliding from where it is drawn.
    show(reached.frame, reached.moment, shownMs === null);
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
      headMs = Math.min(newest, headMs + (now - lastTick) * replay.speed);
      showReached();
      prefetch();
      const atEnd = headMs >= newest;
      const newSecond =
        Math.floor(headMs / CLOCK_STEP_MS) !== Math.floor(replay.atMs / CLOCK_STEP_MS);
      if ((newSecond && now - clockAt >= CLOCK_MIN_INTERVAL_MS) || atEnd) {
        clockAt = now;
        advancing = true;
        store.getState().advanceReplay(headMs);
        advancing = false;
      }
      // At the newest recorded moment playback stops there; "live" is one click away.
      if (atEnd) store.getState().setReplayPlaying(false);
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
      dropAhead();
      requestedMs = null;
      shownMs = null;
    }
    // A moment set from outside (a seek, a jump, a tick on the bar) is fetched exactly; the play
    // head's own steps are shown from the frames fetched ahead.
    if (now.atMs !== before.atMs && !advancing) {
      if (now.atMs !== null) headMs = now.atMs;
      dropAhead();
      void fetchNext();
    }
    if (now.speed !== before.speed) dropAhead();
    if (now.playing && !before.playing && now.atMs !== null) {
      headMs = now.atMs;
      prefetch();
      if (playHandle === 0) {
        lastTick = null;
        playHandle = deps.requestFrame(tick);
      }
    }
  });

  return () => {
    stopped = true;
    dropAhead();
    unsubscribe();
    clearInterval(rangeTimer);
    if (playHandle !== 0) deps.cancelFrame(playHandle);
    deps.show(deps.live);
  };
}
