/**
 * Live / reconnecting / lost, decided from the link and the age of the last position frame; busy
 * while the relay refuses this client for load (it retries after the relay's hint).
 */
export type ConnectionState = 'live' | 'reconnecting' | 'busy' | 'lost';

/** Live needs a frame at most this old (the relay sends one about every second). */
export const LIVE_MAX_FRAME_AGE_MS = 5000;
/** No frame, or no link, for this long is a lost feed. */
export const LOST_AFTER_MS = 15_000;

export interface ConnectionFacts {
  connected: boolean;
  /** Monotonic ms of the last frame, or null before the first. */
  lastFrameAt: number | null;
  /** Monotonic ms since when the link has been down, or null while up / before first connect. */
  disconnectedSince: number | null;
  /** Monotonic ms when the client started; stands in for the last frame before the first one. */
  startedAt: number;
  /** The relay's last answer was a load refusal (shared/socket-admission.ts). */
  refusedForLoad?: boolean;
}

export function deriveConnectionState(facts: ConnectionFacts, now: number): ConnectionState {
  const frameAge = now - (facts.lastFrameAt ?? facts.startedAt);
  const downFor = facts.disconnectedSince === null ? 0 : now - facts.disconnectedSince;
  if (frameAge >= LOST_AFTER_MS || downFor >= LOST_AFTER_MS) return 'lost';
  if (facts.connected && facts.lastFrameAt !== null && frameAge <= LIVE_MAX_FRAME_AGE_MS) {
    return 'live';
  }
  return !facts.connected && facts.refusedForLoad ? 'busy' : 'reconnecting';
}
