/** The relay's replay endpoints as the logged-in user (shared/replay.ts). */
import { decodePositionFrame, type PositionFrame } from '../../../../shared/frames';
import { FLEET_AT_PATH, REPLAY_RANGE_PATH, type ReplayRange } from '../../../../shared/replay';
import { api } from '../../auth/api';
import type { RelayResult } from '../../auth/relay-api';

export function fetchReplayRange(): Promise<RelayResult<ReplayRange>> {
  return api.json<ReplayRange>(REPLAY_RANGE_PATH);
}

/** The whole fleet at `atMs` as one key frame (its time is the newest frame folded into it). */
export async function fetchFleetAt(atMs: number): Promise<RelayResult<PositionFrame>> {
  const result = await api.request(`${FLEET_AT_PATH}?t=${Math.round(atMs)}`);
  if (!result.ok) return result;
  try {
    return { ok: true, value: decodePositionFrame(await result.value.arrayBuffer()) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { status: 0, code: 'internal_error', message } };
  }
}
