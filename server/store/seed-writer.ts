/**
 * Writes decoded seed-topic rows into the seed tables, as the upstream's Flink job does
 * (Kafka → RDS). Idempotent: a duplicate delivery changes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { StoreKind } from '../../shared/events';
import { formatKstSql } from '../../shared/time';
import type { TopicRow } from '../../shared/topics';
import type { Database } from './schema';
import { newValue } from './dialect';

/** Rows per INSERT statement: far below both dialects' bound-parameter limits. */
const ROWS_PER_STATEMENT = 400;

export interface SeedRows {
  uservehicle?: TopicRow<'uservehicle'>[];
  driving_session?: TopicRow<'driving_session'>[];
  driving_session_info?: TopicRow<'driving_session_info'>[];
  drowsy_drive?: TopicRow<'drowsy_drive'>[];
  arrears_info?: TopicRow<'arrears_info'>[];
  arrears_detection?: TopicRow<'arrears_detection'>[];
  missing_person_info?: TopicRow<'missing_person_info'>[];
  missing_person_detection?: TopicRow<'missing_person_detection'>[];
}

const ts = (ms: number) => formatKstSql(ms);
const tsOrNull = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : ts(ms);

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/** Latest row per key wins inside one batch, so one statement never upserts a key twice. */
function lastByKey<T>(rows: T[], key: (row: T) => string): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(key(row), row);
  return [...map.values()];
}

export async function writeSeedRows(
  db: Kysely<Database>,
  kind: StoreKind,
  rows: SeedRows,
  nowMs: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await writeMasterData(trx, kind, rows, nowMs);
    await writeEvents(trx, rows);
  });
}

async function writeMasterData(
  trx: Transaction<Database>,
  kind: StoreKind,
  rows: SeedRows,
  nowMs: number,
): Promise<void> {
  const vehicles = lastByKey(rows.uservehicle ?? [], (r) => r.car_id);
  for (const part of chunks(vehicles)) {
    await upsert(
      trx,
      kind,
      'uservehicle',
      'car_id',
      part.map((r) => ({
        car_id: r.car_id,
        age: r.age ?? null,
        user_sex: r.user_sex ?? null,
        user_car_brand: r.user_car_brand ?? null,
        updated_at: tsOrNull(r.updated_at) ?? ts(nowMs),
      })),
      ['age', 'user_sex', 'user_car_brand', 'updated_at'],
    );
  }
  const plates = vehicles.filter((r) => r.car_plate_number);
  for (const part of chunks(plates)) {
    await upsert(
      trx,
      kind,
      'vehicle_plate',
      'car_id',
      part.map((r) => ({
        car_id: r.car_id,
        car_plate_number: r.car_plate_number!,
        updated_at: ts(nowMs),
      })),
      ['car_plate_number', 'updated_at'],
    );
  }
  for (const part of chunks(lastByKey(rows.arrears_info ?? [], (r) => r.car_plate_number))) {
    await upsert(
      trx,
      kind,
      'arrears_info',
      'car_plate_number',
      part.map((r) => ({
        car_plate_number: r.car_plate_number,
        arrears_user_id: r.arrears_user_id ?? null,
        total_arrears_amount: r.total_arrears_amount ?? null,
        notice_count: r.notice_count ?? null,
      })),
      ['arrears_user_id', 'total_arrears_amount', 'notice_count'],
    );
  }
  for (const part of chunks(lastByKey(rows.missing_person_info ?? [], (r) => r.missing_id))) {
    await upsert(
      trx,
      kind,
      'missing_person_info',
      'missing_id',
      part.map((r) => ({
        missing_id: r.missing_id,
        name: r.name ?? null,
        age: r.age ?? null,
        sex: r.sex ?? null,
        car_plate_number: r.car_plate_number ?? null,
        description: r.description ?? null,
        reported_at: tsOrNull(r.reported_at),
      })),
      ['name', 'age', 'sex', 'car_plate_number', 'description', 'reported_at'],
    );
  }
  // A session row may arrive again with its end time set: the later row fills end_time.
  const sessions = lastByKey(rows.driving_session ?? [], (r) => r.session_id);
  for (const part of chunks(sessions)) {
    await upsert(
      trx,
      kind,
      'driving_session',
      'session_id',
      part.map((r) => ({
        session_id: r.session_id,
        car_id: r.car_id,
        start_time: ts(r.start_time),
        end_time: tsOrNull(r.end_time),
      })),
      ['end_time'],
    );
  }
}

async function writeEvents(trx: Transaction<Database>, rows: SeedRows): Promise<void> {
  for (const part of chunks(rows.driving_session_info ?? [])) {
    await trx
      .insertInto('driving_session_info')
      .orIgnore()
      .values(
        part.map((r) => ({
          info_id: r.info_id,
          session_id: r.session_id,
          app_lat: r.app_lat,
          app_lon: r.app_lon,
          speed: r.speed ?? null,
          app_rapid_acc: r.app_rapid_acc ?? null,
          app_weather_status: r.app_weather_status ?? null,
          dt: ts(r.dt),
        })),
      )
      .execute();
  }
  for (const part of chunks(rows.drowsy_drive ?? [])) {
    await trx
      .insertInto('drowsy_drive')
      .orIgnore()
      .values(
        part.map((r) => ({
          drowsy_id: r.drowsy_id,
          session_id: r.session_id,
          detected_at: ts(r.detected_at),
          gaze_closure: r.gaze_closure ?? null,
          head_drop: r.head_drop ?? null,
        })),
      )
      .execute();
  }
  for (const part of chunks(rows.arrears_detection ?? [])) {
    await trx
      .insertInto('arrears_detection')
      .orIgnore()
      .values(
        part.map((r) => ({
          detection_id: r.detection_id,
          image_id: r.image_id ?? null,
          car_plate_number: r.car_plate_number ?? null,
          detection_success: r.detection_success ? 1 : 0,
          detected_lat: r.detected_lat ?? null,
          detected_lon: r.detected_lon ?? null,
          detected_time: ts(r.detected_time),
        })),
      )
      .execute();
  }
  for (const part of chunks(rows.missing_person_detection ?? [])) {
    await trx
      .insertInto('missing_person_detection')
      .orIgnore()
      .values(
        part.map((r) => ({
          detection_id: r.detection_id,
          image_id: r.image_id ?? null,
          car_plate_number: r.car_plate_number ?? null,
          missing_id: r.missing_id ?? null,
          detection_success: r.detection_success ? 1 : 0,
          detected_lat: r.detected_lat ?? null,
          detected_lon: r.detected_lon ?? null,
          detected_time: ts(r.detected_time),
        })),
      )
      .execute();
  }
}

type UpsertTable =
  'uservehicle' | 'vehicle_plate' | 'arrears_info' | 'missing_person_info' | 'driving_session';

async function upsert<T extends UpsertTable>(
  trx: Transaction<Database>,
  kind: StoreKind,
  table: T,
  key: string,
  values: Record<string, unknown>[],
  updateColumns: string[],
): Promise<void> {
  if (values.length === 0) return;
  const set = Object.fromEntries(updateColumns.map((c) => [c, newValue(kind, c)]));
  // Kysely cannot type a table chosen at run time; the column names above are checked by tests.
  const insert = trx.insertInto(table as 'uservehicle').values(values as never);
  if (kind === 'mariadb') {
    await insert.onDuplicateKeyUpdate(set as never).execute();
  } else {
    await insert.onConflict((oc) => oc.column(key as 'car_id').doUpdateSet(set as never)).execute();
  }
}

/** Drops position history older than the retention window (embedded mode keeps the file small). */
export async function pruneHistory(db: Kysely<Database>, olderThanMs: number): Promise<number> {
  const result = await db
    .deleteFrom('driving_session_info')
    .where('dt', '<', formatKstSql(olderThanMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
