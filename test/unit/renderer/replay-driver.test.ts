/**
 * The replay driver's playback (issue 18): frames are asked for ahead of the play head, never one
 * per animation frame, the clock (the store's moment) moves each replayed second whatever the
 * requests do, and a frame that is late does not hold the play head.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameKind, type PositionFrame } from '../../../shared/frames';
import type { RelayResult } from '../../../renderer/src/auth/relay-api';
import {
  momentsAhead,
  playbackStepMs,
  PREFETCH_AHEAD_MS,
  PREFETCH_PARALLEL,
  startReplayDriver,
} from '../../../renderer/src/features/replay/replay-driver';
import { FleetBuffer } from '../../../renderer/src/live/fleet-buffer';
import { useAppStore } from '../../../renderer/src/store';

const T0 = 1_800_000_000_000;
const FRAME_MS = 16;

function frameAt(ms: number): PositionFrame {
  return {
    kind: FrameKind.Key,
    seq: 0,
    serverTimeMs: ms,
    count: 1,
    tableVersion: 0,
    index: Uint32Array.of(1),
    lon: Float32Array.of(129.05),
    lat: Float32Array.of(35.15),
    speed: Uint16Array.of(450),
    heading: Uint16Array.of(0),
    flags: Uint8Array.of(0),
  };
}

describe('playback steps', () => {
  it('shows every recorded second up to ×5 and at most five frames a real second beyond', () => {
    expect(playbackStepMs(1)).toBe(1000);
    expect(playbackStepMs(5)).toBe(1000);
    expect(playbackStepMs(10)).toBe(2000);
    expect(playbackStepMs(60)).toBe(12000);
    expect(momentsAhead(T0 + 500, 10, Number.POSITIVE_INFINITY)).toEqual(
      Array.from({ length: 10 }, (_, i) => T0 + 2000 * (i + 1)),
    );
    // Never past the newest recorded moment.
    expect(momentsAhead(T0 + 500, 1, T0 + 1500)).toEqual([T0 + 1000]);
  });
});

describe('replay driver playback', () => {
  let frames: ((now: number) => void)[];
  let clock: number;
  let asked: number[];
  let answers: Map<number, (result: RelayResult<PositionFrame>) => void>;
  let stop: () => void;
  const replayFleet = new FleetBuffer();

  /** Runs the animation frames for `ms` of real time. */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += FRAME_MS) {
      clock += FRAME_MS;
      const due = frames;
      frames = [];
      for (const callback of due) callback(clock);
      await Promise.resolve();
    }
  };
  const answer = async (moment: number) => {
    answers.get(moment)?.({ ok: true, value: frameAt(moment) });
    answers.delete(moment);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };

  beforeEach(() => {
    frames = [];
    clock = 0;
    asked = [];
    answers = new Map();
    useAppStore.getState().backToLive();
    useAppStore.getState().setReplaySpeed(1);
    useAppStore.getState().setReplayRange({
      oldestMs: T0 - 3_600_000,
      newestMs: T0 + 3_600_000,
      retentionMs: 4 * 3_600_000,
      serverNowMs: T0 + 3_600_000,
    });
    stop = startReplayDriver({
      store: useAppStore,
      live: new FleetBuffer(),
      replay: replayFleet,
      show: () => undefined,
      fetchFleetAt: (atMs) => {
        asked.push(atMs);
        return new Promise((resolve) => answers.set(atMs, resolve));
      },
      fetchRange: () => new Promise(() => undefined),
      now: () => clock,
      requestFrame: (callback) => frames.push(callback),
      cancelFrame: () => undefined,
    });
  });

  afterEach(() => stop());

  it('asks ahead, a few at a time, and shows each frame as the head reaches it', async () => {
    useAppStore.getState().seekReplay(T0);
    expect(asked).toEqual([T0]);
    await answer(T0);
    useAppStore.getState().setReplaySpeed(10);
    useAppStore.getState().setReplayPlaying(true);
    // Before the head moves: the next frames are asked for, no more than PREFETCH_PARALLEL.
    expect(asked.slice(1)).toEqual([T0 + 2000, T0 + 4000].slice(0, PREFETCH_PARALLEL));
    await answer(T0 + 2000);
    await answer(T0 + 4000);
    await answer(T0 + 6000);
    await run(250);
    // 250 ms at ×10: 2.5 s replayed; the 2 s frame is on screen, the clock says 2 s.
    expect(useAppStore.getState().replay.shownAsOfMs).toBe(T0 + 2000);
    expect(Math.floor((useAppStore.getState().replay.atMs! - T0) / 1000)).toBe(2);
    // Requests stay within the window ahead; none for the moments in between.
    expect(Math.max(...asked)).toBeLessThanOrEqual(T0 + 2500 + PREFETCH_AHEAD_MS * 10);
    expect(asked.every((m) => (m - T0) % 2000 === 0)).toBe(true);
  });

  it('moves the clock each second at ×1 while a frame is late', async () => {
    useAppStore.getState().seekReplay(T0);
    await answer(T0);
    useAppStore.getState().setReplayPlaying(true);
    await run(FRAME_MS); // the first animation frame only starts the clock
    const seconds: number[] = [];
    for (let i = 0; i < 4; i++) {
      await run(1000);
      seconds.push(Math.floor((useAppStore.getState().replay.atMs! - T0) / 1000));
    }
    // No answer came at all, yet the clock went on second by second.
    expect(seconds).toEqual([1, 2, 3, 4]);
    expect(useAppStore.getState().replay.playing).toBe(true);
    expect(useAppStore.getState().replay.shownAsOfMs).toBe(T0);
    // Only the frames ahead were asked for, not one per animation frame (250 of them ran).
    expect(asked.length).toBeLessThanOrEqual(1 + PREFETCH_PARALLEL);
  });
});
