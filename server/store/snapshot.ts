/**
 * What a relay needs from the store before it consumes live topics: master data (vehicles,
 * plates, arrears and missing-person lists), open sessions and their latest positions. Returned as
 * seed-topic rows so the one ingest path applies them.
 */
import type { Kysely } from 'kysely';
import { formatKstSql } from '../../shared/time';
import type { RawMessage } from '../ingest/pipeline';
import type { Database } from './schema';

/** Sessions older than this without an end are taken as abandoned, not as driving now. */
const OPEN_SESSION_MAX_AGE_MS = 24 * 60 * 60_000;
/** A position older than this is not "where the car is now". */
const LATEST_POSITION_MAX_AGE_MS = 10 * 60_000;

export async function loadStoreSnapshot(
  db: Kysely<Database>,
  nowMs: number,
): Promise<RawMessage[]> {
  const messages: RawMessage[] = [];
  const push = (topic: string, rows: object[]) => {
    for (const row of rows) messages.push({ topic, partition: null, offset: null, value: row });
  };
  const vehicles = await db
    .selectFrom('uservehicle')
    .leftJoin('vehicle_plate', 'vehicle_plate.car_id', 'uservehicle.car_id')
    .select([
      'uservehicle.car_id',
      'uservehicle.age',
      'uservehicle.user_sex',
      'uservehicle.user_car_brand',
      'uservehicle.updated_at',
      'vehicle_plate.car_plate_number',
    ])
    .execute();
  push('uservehicle', vehicles);
  push('arrears_info', await db.selectFrom('arrears_info').selectAll().execute());
  push('missing_person_info', await db.selectFrom('missing_person_info').selectAll().execute());
  const sessions = await db
    .selectFrom('driving_session')
    .selectAll()
    .where('end_time', 'is', null)
    .where('start_time', '>', formatKstSql(nowMs - OPEN_SESSION_MAX_AGE_MS))
    .execute();
  push('driving_session', sessions);
  const latest = await db
    .selectFrom('driving_session_info as i')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('driving_session_info')
          .select(['session_id', (f) => f.fn.max('dt').as('max_dt')])
          .where('dt', '>', formatKstSql(nowMs - LATEST_POSITION_MAX_AGE_MS))
          .groupBy('session_id')
          .as('m'),
      (join) => join.onRef('m.session_id', '=', 'i.session_id').onRef('m.max_dt', '=', 'i.dt'),
    )
    .selectAll('i')
    .execute();
  push('driving_session_info', latest);
  return messages;
}
