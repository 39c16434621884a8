/**
 * Rewinding the city (DESIGN §13): the contract of the relay's replay endpoints.
 *
 * `GET /api/fleet/at?t=<epoch ms>` answers the positions frame at that moment in the live
 * `positions` format (shared/frames.ts: one key frame of every vehicle then on the road), as
 * `application/octet-stream`. `GET /api/fleet/replay-range` says which moments can be asked for.
 */
import { z } from 'zod';
import { decimal } from './decimal';

export const FLEET_AT_PATH = '/api/fleet/at';
export const REPLAY_RANGE_PATH = '/api/fleet/replay-range';
export const FRAME_CONTENT_TYPE = 'application/octet-stream';

/** The query of `GET /api/fleet/at`: one moment as epoch milliseconds. */
export const fleetAtQuerySchema = z.object({
  t: decimal(
    z
      .number('t must be epoch milliseconds in decimal digits')
      .int('t must be whole epoch milliseconds')
      .min(0, 't must not be negative'),
  ),
});

/** What the time bar may offer: from the oldest recorded moment to the newest. */
export interface ReplayRange {
  /** Oldest moment a frame can be had for (epoch ms), or null before anything is recorded. */
  oldestMs: number | null;
  /** Newest recorded moment (epoch ms), or null before anything is recorded. */
  newestMs: number | null;
  /** How far back frames are kept (REPLAY_RETENTION_HOURS). */
  retentionMs: number;
  /** The relay's clock when it answered, so the client can tell its own clock's offset. */
  serverNowMs: number;
}

/** Playback speeds the time bar offers (×1 to ×60). */
export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
