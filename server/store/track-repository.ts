/** A vehicle's recent path, read from the seed table `driving_session_info`. */
import type { Kysely } from 'kysely';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import type { Database } from './schema';

export interface TrackPoint {
  /** Epoch ms. */
  t: number;
  lon: number;
  lat: number;
  speed: number | null;
  sessionId: string;
}

/** The most points one request returns; a 24-hour track at 1 Hz is thinned to fit. */
export const MAX_TRACK_POINTS = 5_000;
/**
 * The most rows one request reads (a day at 1 Hz is 86,400): the newest are kept. Bounds the
 * relay's memory and the transfer whether or not the upstream table has the track indexes.
 */
export const MAX_TRACK_ROWS = 100_000;

export async function readTrack(
  db: Kysely<Database>,
  carId: string,
  sinceMs: number,
): Promise<TrackPoint[]> {
  const rows = await db
    .selectFrom('driving_session_info as i')
    .innerJoin('driving_session as s', 's.session_id', 'i.session_id')
    .select(['i.dt', 'i.app_lon', 'i.app_lat', 'i.speed', 'i.session_id'])
    .where('s.car_id', '=', carId)
    .where('i.dt', '>=', formatKstSql(sinceMs))
    .orderBy('i.dt', 'desc')
    .limit(MAX_TRACK_ROWS)
    .execute();
  rows.reverse();
  const step = Math.max(1, Math.ceil(rows.length / MAX_TRACK_POINTS));
  const points: TrackPoint[] = [];
  for (let i = 0; i < rows.length; i += step) {
    const row = rows[i]!;
    points.push({
      t: parseTimestamp(row.dt) ?? 0,
      lon: Number(row.app_lon),
      lat: Number(row.app_lat),
      speed: row.speed === null ? null : Number(row.speed),
      sessionId: row.session_id,
    });
  }
  return points;
}
