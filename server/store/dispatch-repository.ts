/** TCS hand-offs (dispatches) and their attempts. Every write of a hand-off is version-guarded. */
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  MAX_ATTEMPT_LOG,
  type AttemptOutcome,
  type Dispatch,
  type DispatchAttempt,
  type DispatchListQuery,
  type DispatchState,
  type ManualOutcome,
} from '../../shared/interlock';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import { isAwaitingPerson, type DispatchOutcomeFacts } from '../domain/tcs-dispatch';
import type { Database, TcsDispatchTable } from './schema';

const IN_CHUNK = 500;
const MAX_ERROR_LENGTH = 1000;

type DispatchRow = Selectable<TcsDispatchTable>;

const sqlTime = (ms: number | null): string | null => (ms === null ? null : formatKstSql(ms));
const msOf = (text: string | null): number | null => (text === null ? null : parseTimestamp(text));
const numberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

function toRow(d: Dispatch) {
  return {
    violation_id: d.violationId,
    idempotency_key: d.idempotencyKey,
    state: d.state,
    version: d.version,
    attempts: d.attempts,
    attempt_limit: d.attemptLimit,
    next_attempt_at: sqlTime(d.nextAttemptMs),
    last_error: d.lastError?.slice(0, MAX_ERROR_LENGTH) ?? null,
    last_http_status: d.lastHttpStatus,
    case_number: d.caseNumber,
    requested_by: d.requestedBy,
    requested_at: formatKstSql(d.requestedMs),
    request_note: d.requestNote,
    approved_by: d.approvedBy,
    approved_at: sqlTime(d.approvedMs),
    manual_outcome: d.manualOutcome,
    manual_by: d.manualBy,
    manual_at: sqlTime(d.manualMs),
    manual_note: d.manualNote,
    created_at: formatKstSql(d.createdMs),
    updated_at: formatKstSql(d.updatedMs),
  };
}

function toDispatch(r: DispatchRow, attemptLog: DispatchAttempt[]): Dispatch {
  const state = r.state as DispatchState;
  const manualOutcome = r.manual_outcome as ManualOutcome | null;
  return {
    id: Number(r.id),
    violationId: Number(r.violation_id),
    idempotencyKey: r.idempotency_key,
    state,
    version: Number(r.version),
    attempts: Number(r.attempts),
    attemptLimit: Number(r.attempt_limit),
    nextAttemptMs: msOf(r.next_attempt_at),
    lastError: r.last_error,
    lastHttpStatus: numberOrNull(r.last_http_status),
    caseNumber: r.case_number,
    awaitingPerson: isAwaitingPerson(state, manualOutcome),
    requestedBy: r.requested_by,
    requestedMs: msOf(r.requested_at) ?? 0,
    requestNote: r.request_note,
    approvedBy: r.approved_by,
    approvedMs: msOf(r.approved_at),
    manualOutcome,
    manualBy: r.manual_by,
    manualMs: msOf(r.manual_at),
    manualNote: r.manual_note,
    createdMs: msOf(r.created_at) ?? 0,
    updatedMs: msOf(r.updated_at) ?? 0,
    attemptLog,
  };
}

async function withAttempts(db: Kysely<Database>, rows: DispatchRow[]): Promise<Dispatch[]> {
  const byDispatch = new Map<number, DispatchAttempt[]>();
  const ids = rows.map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const attempts = await db
      .selectFrom('tcs_dispatch_attempt')
      .selectAll()
      .where('dispatch_id', 'in', ids.slice(i, i + IN_CHUNK))
      .orderBy('id')
      .execute();
    for (const a of attempts) {
      const id = Number(a.dispatch_id);
      const list = byDispatch.get(id) ?? [];
      list.push({
        attemptNo: Number(a.attempt_no),
        startedMs: msOf(a.started_at) ?? 0,
        durationMs: Number(a.duration_ms),
        httpStatus: numberOrNull(a.http_status),
        outcome: a.outcome as AttemptOutcome,
        error: a.error,
        caseNumber: a.case_number,
      });
      byDispatch.set(id, list);
    }
  }
  return rows.map((r) =>
    toDispatch(r, (byDispatch.get(Number(r.id)) ?? []).slice(-MAX_ATTEMPT_LOG)),
  );
}

/** Inserts a new hand-off; returns its id. Throws on a second one for the same violation. */
export async function insertDispatch(db: Kysely<Database>, d: Dispatch): Promise<number> {
  const result = await db.insertInto('tcs_dispatch').values(toRow(d)).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/**
 * Writes a changed hand-off if the stored one is still at `expectedVersion`; false when someone
 * (a person, the worker, another relay) changed it first.
 */
export async function updateDispatch(
  db: Kysely<Database>,
  d: Dispatch,
  expectedVersion: number,
): Promise<boolean> {
  const result = await db
    .updateTable('tcs_dispatch')
    .set(toRow(d))
    .where('id', '=', d.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertAttempt(
  db: Kysely<Database>,
  dispatchId: number,
  attempt: DispatchAttempt,
): Promise<void> {
  await db
    .insertInto('tcs_dispatch_attempt')
    .values({
      dispatch_id: dispatchId,
      attempt_no: attempt.attemptNo,
      started_at: formatKstSql(attempt.startedMs),
      duration_ms: attempt.durationMs,
      http_status: attempt.httpStatus,
      outcome: attempt.outcome,
      error: attempt.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
      case_number: attempt.caseNumber,
    })
    .execute();
}

export async function findDispatch(
  db: Kysely<Database>,
  id: number,
): Promise<Dispatch | undefined> {
  const row = await db
    .selectFrom('tcs_dispatch')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const [dispatch] = await withAttempts(db, [row]);
  return dispatch;
}

/** The hand-offs with these ids (those that exist), in id order. */
export async function findDispatches(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Dispatch[]> {
  const found: Dispatch[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom('tcs_dispatch')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + IN_CHUNK))
      .orderBy('id')
      .execute();
    found.push(...(await withAttempts(db, rows)));
  }
  return found;
}

export async function findDispatchOfViolation(
  db: Kysely<Database>,
  violationId: number,
): Promise<Dispatch | undefined> {
  const row = await db
    .selectFrom('tcs_dispatch')
    .selectAll()
    .where('violation_id', '=', violationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [dispatch] = await withAttempts(db, [row]);
  return dispatch;
}

/** Newest first. */
export async function listDispatches(
  db: Kysely<Database>,
  query: DispatchListQuery,
): Promise<Dispatch[]> {
  let select = db.selectFrom('tcs_dispatch').selectAll();
  if (query.state) select = select.where('state', 'in', query.state);
  if (query.violation !== undefined) select = select.where('violation_id', '=', query.violation);
  const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
  return withAttempts(db, rows);
}

/** Hand-offs the worker should send now: queued ones, and waiting ones whose time has come. */
export async function listDueDispatches(
  db: Kysely<Database>,
  nowMs: number,
  limit: number,
): Promise<Dispatch[]> {
  const rows = await db
    .selectFrom('tcs_dispatch')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('state', '=', 'queued'),
        eb.and([eb('state', '=', 'retry_wait'), eb('next_attempt_at', '<=', formatKstSql(nowMs))]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return withAttempts(db, rows);
}

/**
 * Hand-offs left in `sending` since before `olderThanMs`: their attempt cannot still be running
 * (it would have timed out), so the relay that sent them stopped or crashed mid-attempt.
 */
export async function listStaleSending(
  db: Kysely<Database>,
  olderThanMs: number,
): Promise<Dispatch[]> {
  const rows = await db
    .selectFrom('tcs_dispatch')
    .selectAll()
    .where('state', '=', 'sending')
    .where('updated_at', '<', formatKstSql(olderThanMs))
    .orderBy('id')
    .execute();
  return withAttempts(db, rows);
}

/** Hand-offs counted by what the KPIs tell apart (server/domain/tcs-dispatch.ts dispatchStats). */
export async function countDispatchOutcomes(
  db: Kysely<Database>,
): Promise<(DispatchOutcomeFacts & { count: number })[]> {
  const rows = await db
    .selectFrom('tcs_dispatch')
    .select([
      'state',
      'manual_outcome',
      'last_http_status',
      // Only "sent at least once" matters, so the groups stay few.
      (eb) => eb.fn.min('attempts').as('attempts'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['state', 'manual_outcome', 'last_http_status', sql`attempts > 0`])
    .execute();
  return rows.map((r) => ({
    state: r.state as DispatchState,
    manualOutcome: r.manual_outcome as ManualOutcome | null,
    lastHttpStatus: r.last_http_status === null ? null : Number(r.last_http_status),
    attempts: Number(r.attempts),
    count: Number(r.n),
  }));
}

export async function countDispatchesByState(
  db: Kysely<Database>,
): Promise<Partial<Record<DispatchState, number>>> {
  const rows = await db
    .selectFrom('tcs_dispatch')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
