/**
 * The embedded default's seed-table writer, on its own thread. better-sqlite3 is synchronous: on
 * the thread that serves clients, writing one history row per position (20,000–50,000 a second)
 * held the event loop for most of every second, and /healthz and new sockets waited behind it
 * (issue 14 §3). Here the writes run on a second connection to the same WAL file.
 *
 * Each batch is written in transactions of at most ROWS_PER_TRANSACTION rows with a short pause
 * between them: SQLite has one writer at a time, and the relay's own writes (alerts, audit) on the
 * main connection wait for the lock synchronously (busy_timeout), so no transaction here may hold
 * it for long.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';
import { formatKstSql } from '../../shared/time';
import { pruneHistory, splitSeedRows, writeSeedRows } from './seed-writer';
import type { SeedRows, SeedWorkerReply, SeedWorkerRequest } from './seed-writer';

/** About 10–30 ms of writing on this machine class. */
export const ROWS_PER_TRANSACTION = 2_000;
/** Gap between transactions, long enough for a waiting writer on the main connection to get in. */
const LOCK_GAP_MS = 3;
const BUSY_TIMEOUT_MS = 5_000;

const { path } = workerData as { path: string };
const database = new SqliteDatabase(path);
database.pragma('journal_mode = WAL');
database.pragma('synchronous = NORMAL');
database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
/**
 * Position history is nearly every row (one per vehicle a second): one prepared statement run per
 * row instead of a query built, compiled and parsed per 400 rows. The same columns and the same
 * duplicate rule (`or ignore`) as writeSeedRows.
 */
const insertInfo = database.prepare(
  `insert or ignore into driving_session_info
     (info_id, session_id, app_lat, app_lon, speed, app_rapid_acc, app_weather_status, dt)
   values (?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertInfoRows = database.transaction(
  (rows: NonNullable<SeedRows['driving_session_info']>) => {
    for (const r of rows) {
      insertInfo.run(
        r.info_id,
        r.session_id,
        r.app_lat,
        r.app_lon,
        r.speed ?? null,
        r.app_rapid_acc ?? null,
        r.app_weather_status ?? null,
        formatKstSql(r.dt),
      );
    }
  },
);
const pause = () => new Promise((resolve) => setTimeout(resolve, LOCK_GAP_MS));

async function handle(request: SeedWorkerRequest): Promise<SeedWorkerReply> {
  const started = performance.now();
  try {
    if (request.type === 'write') {
      let first = true;
      for (const part of splitSeedRows(request.rows, ROWS_PER_TRANSACTION)) {
        if (!first) await pause();
        first = false;
        const { driving_session_info: info, ...rest } = part;
        if (Object.values(rest).some((rows) => rows.length > 0)) {
          await writeSeedRows(db, 'sqlite', rest, request.nowMs);
        }
        if (info?.length) insertInfoRows(info);
      }
      return { id: request.id, ok: true, seconds: (performance.now() - started) / 1000 };
    }
    let deleted = 0;
    // Pruning a minute of a large fleet deletes millions of rows: in slices, as the writes.
    for (;;) {
      const n = await pruneHistory(db, request.olderThanMs, ROWS_PER_TRANSACTION * 5);
      deleted += n;
      if (n === 0) break;
      await pause();
    }
    return { id: request.id, ok: true, deleted, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

// One request at a time, in order: a later batch never overtakes an earlier one.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (request: SeedWorkerRequest | { type: 'close' }) => {
  if (request.type === 'close') {
    queue = queue.then(async () => {
      await db.destroy();
      parentPort!.close();
    });
    return;
  }
  queue = queue.then(async () => parentPort!.postMessage(await handle(request)));
});
