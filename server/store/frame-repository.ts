/**
 * The replay frame store (migration 0008): compressed chunks of live position frames and the car
 * behind each vehicle index of the run that recorded them. Both dialects alike.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** Rows per insert of a run's vehicle table (50,000 vehicles at first sight stay in few statements). */
const VEHICLE_INSERT_BATCH = 1000;

export interface StoredChunk {
  id: number;
  runId: string;
  startMs: number;
  endMs: number;
  frameCount: number;
  vehicleCount: number;
  rawBytes: number;
  data: Uint8Array;
}

export interface NewChunk {
  runId: string;
  startMs: number;
  endMs: number;
  frameCount: number;
  vehicleCount: number;
  rawBytes: number;
  data: Uint8Array;
}

/** Stores chunks and the vehicle indexes they introduce, in one transaction. */
export async function insertChunks(
  db: Kysely<Database>,
  chunks: readonly NewChunk[],
  vehicles: readonly { runId: string; index: number; carId: string }[],
): Promise<void> {
  if (chunks.length === 0 && vehicles.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < vehicles.length; i += VEHICLE_INSERT_BATCH) {
      await tx
        .insertInto('replay_vehicle')
        .values(
          vehicles.slice(i, i + VEHICLE_INSERT_BATCH).map((v) => ({
            run_id: v.runId,
            vehicle_index: v.index,
            car_id: v.carId,
          })),
        )
        .execute();
    }
    for (const chunk of chunks) {
      await tx
        .insertInto('replay_chunk')
        .values({
          run_id: chunk.runId,
          start_ms: chunk.startMs,
          end_ms: chunk.endMs,
          frame_count: chunk.frameCount,
          vehicle_count: chunk.vehicleCount,
          raw_bytes: chunk.rawBytes,
          data: chunk.data,
        })
        .execute();
    }
  });
}

function toChunk(row: {
  id: number;
  run_id: string;
  start_ms: number | string;
  end_ms: number | string;
  frame_count: number;
  vehicle_count: number;
  raw_bytes: number | string;
  data: Uint8Array;
}): StoredChunk {
  return {
    id: Number(row.id),
    runId: row.run_id,
    startMs: Number(row.start_ms),
    endMs: Number(row.end_ms),
    frameCount: Number(row.frame_count),
    vehicleCount: Number(row.vehicle_count),
    rawBytes: Number(row.raw_bytes),
    data: row.data,
  };
}

/** The chunk holding `atMs`: the newest one that starts at or before it (one indexed read). */
export async function findChunkAt(db: Kysely<Database>, atMs: number): Promise<StoredChunk | null> {
  const row = await db
    .selectFrom('replay_chunk')
    .selectAll()
    .where('start_ms', '<=', atMs)
    .orderBy('start_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toChunk(row) : null;
}

/** The oldest and newest recorded moments. */
export async function chunkRange(
  db: Kysely<Database>,
): Promise<{ oldestMs: number | null; newestMs: number | null }> {
  const row = await db
    .selectFrom('replay_chunk')
    .select((eb) => [eb.fn.min('start_ms').as('oldest'), eb.fn.max('end_ms').as('newest')])
    .executeTakeFirst();
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { oldestMs: num(row?.oldest), newestMs: num(row?.newest) };
}

/** Storage used: chunks, their stored (compressed) and raw bytes. */
export async function chunkTotals(
  db: Kysely<Database>,
): Promise<{ chunks: number; storedBytes: number; rawBytes: number }> {
  // length() of a blob is its bytes in both dialects.
  const row = await db
    .selectFrom('replay_chunk')
    .select((eb) => [
      eb.fn.countAll().as('chunks'),
      sql<number>`coalesce(sum(length(data)), 0)`.as('stored'),
      sql<number>`coalesce(sum(raw_bytes), 0)`.as('raw'),
    ])
    .executeTakeFirst();
  return {
    chunks: Number(row?.chunks ?? 0),
    storedBytes: Number(row?.stored ?? 0),
    rawBytes: Number(row?.raw ?? 0),
  };
}

/** A run's vehicle indexes and their cars. */
export async function readRunVehicles(
  db: Kysely<Database>,
  runId: string,
): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('replay_vehicle')
    .select(['vehicle_index', 'car_id'])
    .where('run_id', '=', runId)
    .execute();
  return new Map(rows.map((r) => [Number(r.vehicle_index), r.car_id]));
}

/**
 * Deletes chunks that ended before `cutoffMs`, then the vehicle tables of runs with no chunk
 * left. Returns how many chunks went.
 */
export async function pruneChunks(db: Kysely<Database>, cutoffMs: number): Promise<number> {
  const result = await db
    .deleteFrom('replay_chunk')
    .where('end_ms', '<', cutoffMs)
    .executeTakeFirst();
  const deleted = Number(result.numDeletedRows);
  if (deleted > 0) {
    const live = await db.selectFrom('replay_chunk').select('run_id').distinct().execute();
    const keep = live.map((r) => r.run_id);
    let query = db.deleteFrom('replay_vehicle');
    if (keep.length > 0) query = query.where('run_id', 'not in', keep);
    await query.execute();
  }
  return deleted;
}
