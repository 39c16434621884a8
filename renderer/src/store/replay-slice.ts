/**
 * The time bar's state (issue 18): live, or a replayed moment. `replay.atMs` is the replayed
 * moment (epoch ms) and null while live — the one field other parts (the QA hook) read to know.
 * Frames themselves live outside React (live/fleet.ts `replayFleet`).
 */
import type { StateCreator } from 'zustand';
import type { ReplayRange, ReplaySpeed } from '../../../shared/replay';
import type { AppState } from './types';

export interface ReplayState {
  /** The replayed moment (epoch ms, the relay's clock), or null while live. */
  atMs: number | null;
  playing: boolean;
  speed: ReplaySpeed;
  /** The moment of the frame on screen (it trails `atMs` while a frame is being fetched). */
  shownAsOfMs: number | null;
  /** Why the last frame could not be had (the relay's reason), or null. */
  error: string | null;
  /** What can be replayed, as the relay last said. */
  range: ReplayRange | null;
}

export interface ReplaySlice {
  replay: ReplayState;
  /** Leaves live (or moves) to a moment; playback pauses. */
  seekReplay: (atMs: number) => void;
  /** Moves the replayed moment on while playing (keeps playing). */
  advanceReplay: (atMs: number) => void;
  setReplayPlaying: (playing: boolean) => void;
  setReplaySpeed: (speed: ReplaySpeed) => void;
  setReplayRange: (range: ReplayRange) => void;
  replayFrameShown: (asOfMs: number) => void;
  setReplayError: (error: string | null) => void;
  backToLive: () => void;
}

const LIVE: Omit<ReplayState, 'range' | 'speed'> = {
  atMs: null,
  playing: false,
  shownAsOfMs: null,
  error: null,
};

export const createReplaySlice: StateCreator<AppState, [], [], ReplaySlice> = (set, get) => ({
  replay: { ...LIVE, speed: 1, range: null },
  seekReplay: (atMs) => set({ replay: { ...get().replay, atMs, playing: false, error: null } }),
  advanceReplay: (atMs) => {
    const { replay } = get();
    if (replay.atMs !== null) set({ replay: { ...replay, atMs } });
  },
  setReplayPlaying: (playing) => {
    const { replay } = get();
    if (replay.atMs !== null) set({ replay: { ...replay, playing } });
  },
  setReplaySpeed: (speed) => set({ replay: { ...get().replay, speed } }),
  setReplayRange: (range) => set({ replay: { ...get().replay, range } }),
  replayFrameShown: (shownAsOfMs) => set({ replay: { ...get().replay, shownAsOfMs, error: null } }),
  setReplayError: (error) => set({ replay: { ...get().replay, error } }),
  backToLive: () => set({ replay: { ...get().replay, ...LIVE } }),
});
