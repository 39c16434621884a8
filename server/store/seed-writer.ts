/**
 * Writes decoded seed-topic rows into the seed tables, as the upstream's Flink job does
 * (Kafka → RDS). Idempotent: a duplicate delivery changes nothing.
 *
 * `createSeedWriter` picks where the writes run: embedded SQLite on a worker thread
 * (seed-write-worker.ts; better-sqlite3 is synchronous and one row per position starved the
 * serving path), MariaDB in one transaction per batch on the relay's pool (already asynchronous).
 */
import { Worker } from 'node:worker_threads';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { StoreKind } from '../../shared/events';
import { formatKstSql } from '../../shared/time';
import type { TopicRow } from '../../shared/topics';
import type { Store } from './database';
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
  /** Plate photos of reads: in the embedded default the simulator's generated ones. */
  vehicle_exterior_image?: PlatePhotoRow[];
}

/** A `vehicle_exterior_image` row as the camera side writes it (seed 000 §7, §5.4). */
export interface PlatePhotoRow {
  image_id: string;
  session_id: string | null;
  image_base64: string;
  /** The plate as read (VARCHAR(20)); null when the read failed. */
  plate_number: string | null;
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

/** The seed tables in the order a batch writes them: master data first, then events. */
const SEED_TABLE_ORDER = [
  'uservehicle',
  'arrears_info',
  'missing_person_info',
  'driving_session',
  'driving_session_info',
  'drowsy_drive',
  'arrears_detection',
  'missing_person_detection',
  'vehicle_exterior_image',
] as const satisfies readonly (keyof SeedRows)[];

/**
 * Cuts a batch into parts of at most `maxRows` rows, keeping the tables' order, so each part can
 * be its own short transaction. A key repeated across parts is upserted again (harmless: later
 * rows win, as within one part).
 */
export function splitSeedRows(rows: SeedRows, maxRows: number): SeedRows[] {
  const parts: SeedRows[] = [];
  let current: SeedRows = {};
  let size = 0;
  for (const table of SEED_TABLE_ORDER) {
    const list = (rows[table] ?? []) as unknown[];
    for (let i = 0; i < list.length;) {
      if (size === maxRows) {
        parts.push(current);
        current = {};
        size = 0;
      }
      const take = Math.min(maxRows - size, list.length - i);
      const slice = list.slice(i, i + take);
      const existing = (current[table] ?? []) as unknown[];
      (current as Record<string, unknown[]>)[table] = existing.concat(slice);
      size += take;
      i += take;
    }
  }
  if (size > 0 || parts.length === 0) parts.push(current);
  return parts;
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
    await writePlatePhotos(trx, kind, rows);
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
  | 'uservehicle'
  | 'vehicle_plate'
  | 'arrears_info'
  | 'missing_person_info'
  | 'driving_session'
  | 'vehicle_exterior_image';

/**
 * Photos in the same transaction as their reads, so an alert's photo is there when the alert is.
 * A row of the same image id is replaced: the simulator's image ids start again with each run.
 */
async function writePlatePhotos(
  trx: Transaction<Database>,
  kind: StoreKind,
  rows: SeedRows,
): Promise<void> {
  for (const part of chunks(lastByKey(rows.vehicle_exterior_image ?? [], (r) => r.image_id))) {
    await upsert(
      trx,
      kind,
      'vehicle_exterior_image',
      'image_id',
      part.map((r) => ({
        image_id: r.image_id,
        session_id: r.session_id,
        image_base64: r.image_base64,
        // Read already: the camera side did the OCR (seed §5.4 processed = 1).
        processed: 1,
        plate_number: r.plate_number,
      })),
      ['session_id', 'image_base64', 'processed', 'plate_number'],
    );
  }
}

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

/**
 * Drops position history older than the retention window (embedded mode keeps the file small).
 * With `limit` (SQLite only), at most that many rows, so a caller can prune in short slices.
 */
export async function pruneHistory(
  db: Kysely<Database>,
  olderThanMs: number,
  limit?: number,
): Promise<number> {
  const cutoff = formatKstSql(olderThanMs);
  if (limit !== undefined) {
    const result =
      await sql`delete from driving_session_info where rowid in (select rowid from driving_session_info where dt < ${cutoff} limit ${limit})`.execute(
        db,
      );
    return Number(result.numAffectedRows ?? 0);
  }
  const result = await db
    .deleteFrom('driving_session_info')
    .where('dt', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Requests to and replies from seed-write-worker.ts. */
export type SeedWorkerRequest =
  | { type: 'write'; id: number; rows: SeedRows; nowMs: number }
  | { type: 'prune'; id: number; olderThanMs: number };
export type SeedWorkerReply =
  | { id: number; ok: true; seconds: number; deleted?: number }
  | { id: number; ok: false; error: string };

export interface SeedWriter {
  /**
   * Writes a batch. With `acknowledge: 'stored'` it resolves once the rows are stored (a Kafka
   * source commits offsets after it); with `'queued'` once they are queued, waiting only while
   * more than MAX_QUEUED_ROWS are ahead (the simulator: history may trail the map a little).
   */
  write(rows: SeedRows, nowMs: number): Promise<void>;
  /** Drops history older than `olderThanMs`; resolves with the number of rows dropped. */
  prune(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}

export interface SeedWriterOptions {
  acknowledge: 'stored' | 'queued';
  /** Called with each batch's write time (seconds), for the store-write metric. */
  onWritten?: (seconds: number) => void;
  log: { warn: (obj: object, msg: string) => void };
}

/** Rows queued ahead of a new batch before `write` waits (acknowledge: 'queued'): ~2 s at 50,000. */
export const MAX_QUEUED_ROWS = 100_000;
/** Rows per transaction when SQLite is written on the main thread (`:memory:`). */
const INLINE_ROWS_PER_TRANSACTION = 2_000;

export function createSeedWriter(
  store: Pick<Store, 'db' | 'kind' | 'location'>,
  options: SeedWriterOptions,
): SeedWriter {
  if (store.kind === 'sqlite' && store.location !== ':memory:') {
    return new WorkerSeedWriter(store.location, options);
  }
  return inlineSeedWriter(store, options);
}

/** MariaDB (asynchronous already), or an in-memory SQLite a worker cannot open. */
function inlineSeedWriter(
  store: Pick<Store, 'db' | 'kind'>,
  options: SeedWriterOptions,
): SeedWriter {
  return {
    write: async (rows, nowMs) => {
      const started = performance.now();
      if (store.kind === 'mariadb') {
        await writeSeedRows(store.db, store.kind, rows, nowMs);
      } else {
        // Short transactions with a turn of the event loop between them.
        for (const part of splitSeedRows(rows, INLINE_ROWS_PER_TRANSACTION)) {
          await writeSeedRows(store.db, store.kind, part, nowMs);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      options.onWritten?.((performance.now() - started) / 1000);
    },
    prune: (olderThanMs) => pruneHistory(store.db, olderThanMs),
    close: async () => undefined,
  };
}

class WorkerSeedWriter implements SeedWriter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: SeedWorkerReply & { ok: true }) => void; reject: (error: Error) => void }
  >();
  /** Completion of each queued write, oldest first, and its rows (acknowledge: 'queued'). */
  private readonly queued: { done: Promise<unknown>; rows: number }[] = [];
  private queuedRows = 0;
  private failed: Error | null = null;
  private warnedAt = 0;

  constructor(
    path: string,
    private readonly options: SeedWriterOptions,
  ) {
    // The relay runs its TypeScript through tsx: the worker registers it before loading its
    // module (a `--import tsx` in execArgv is not in place yet when a worker's entry loads).
    const entry = new URL('./seed-write-worker.ts', import.meta.url).href;
    this.worker = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
      { eval: true, workerData: { path } },
    );
    this.worker.on('message', (reply: SeedWorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(`seed-table write failed: ${reply.error}`));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`seed-table writer exited with code ${code}`));
    });
  }

  async write(rows: SeedRows, nowMs: number): Promise<void> {
    const done = this.request({ type: 'write', id: this.nextId++, rows, nowMs }).then((reply) =>
      this.options.onWritten?.(reply.seconds),
    );
    if (this.options.acknowledge === 'stored') return done;
    const entry = { done: done.catch((error: unknown) => this.warn(error)), rows: countRows(rows) };
    this.queued.push(entry);
    this.queuedRows += entry.rows;
    void entry.done.then(() => {
      this.queued.splice(this.queued.indexOf(entry), 1);
      this.queuedRows -= entry.rows;
    });
    // Back-pressure: the writer may trail, but never by more than a couple of seconds of rows.
    while (this.queuedRows > MAX_QUEUED_ROWS && this.queued.length > 1) await this.queued[0]!.done;
  }

  async prune(olderThanMs: number): Promise<number> {
    const reply = await this.request({ type: 'prune', id: this.nextId++, olderThanMs });
    return reply.deleted ?? 0;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.queued.map((entry) => entry.done));
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ type: 'close' });
    await exited;
  }

  private request(message: SeedWorkerRequest): Promise<SeedWorkerReply & { ok: true }> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private fail(error: Error): void {
    this.failed = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** A failed queued write is logged (at most every few seconds), never thrown at the ticker. */
  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.warnedAt < WARN_INTERVAL_MS) return;
    this.warnedAt = now;
    this.options.log.warn({ err: error }, 'seed-table write failed');
  }
}

const WARN_INTERVAL_MS = 10_000;

function countRows(rows: SeedRows): number {
  let n = 0;
  for (const list of Object.values(rows)) n += (list as unknown[] | undefined)?.length ?? 0;
  return n;
}
