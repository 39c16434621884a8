/**
 * Alerts, their comments, and the detections already counted into them. The rows hold the
 * unmasked evidence as JSON text; masking happens on the way out (server/domain/masking.ts).
 */
import type { Kysely, Selectable } from 'kysely';
import {
  OPEN_STATUSES,
  SEVERITY_RANK,
  type Alert,
  type AlertComment,
  type AlertCommentPage,
  type AlertCommentPageQuery,
  type AlertEvidence,
  type AlertListQuery,
  type AlertStatus,
  type AlertType,
  type Resolution,
  type Severity,
} from '../../shared/alerts';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import type { CommentDraft } from '../domain/alert-lifecycle';
import type { AlertCommentTable, AlertTable, Database } from './schema';

/** Comments are counted for this many alerts per query (keeps `in (…)` lists reasonable). */
const COMMENT_QUERY_CHUNK = 500;

type AlertRow = Selectable<AlertTable>;
type CommentRow = Selectable<AlertCommentTable>;

const sqlTime = (ms: number | null): string | null => (ms === null ? null : formatKstSql(ms));
const msOf = (text: string | null): number | null => (text === null ? null : parseTimestamp(text));

function toRow(alert: Alert, vehicleKey: string) {
  return {
    type: alert.type,
    severity: alert.severity,
    severity_rank: SEVERITY_RANK[alert.severity],
    status: alert.status,
    escalated: alert.escalated ? 1 : 0,
    version: alert.version,
    seq: alert.seq,
    merge_count: alert.count,
    first_seen_at: formatKstSql(alert.firstSeenMs),
    last_seen_at: formatKstSql(alert.lastSeenMs),
    created_at: formatKstSql(alert.createdMs),
    updated_at: formatKstSql(alert.updatedMs),
    deadline_at: formatKstSql(alert.deadlineMs),
    vehicle_key: vehicleKey,
    car_id: alert.carId,
    plate: alert.plate,
    lon: alert.lon,
    lat: alert.lat,
    dong_code: alert.dongCode,
    dong_name: alert.dongName,
    district_code: alert.districtCode,
    district_name: alert.districtName,
    evidence: JSON.stringify(alert.evidence),
    assignee: alert.assignee,
    acknowledged_by: alert.acknowledgedBy,
    acknowledged_at: sqlTime(alert.acknowledgedAtMs),
    dispatched_by: alert.dispatchedBy,
    dispatched_at: sqlTime(alert.dispatchedAtMs),
    resolved_by: alert.resolvedBy,
    resolved_at: sqlTime(alert.resolvedAtMs),
    resolution: alert.resolution,
    resolution_note: alert.resolutionNote,
  };
}

function toAlert(row: AlertRow, commentCount: number): Alert {
  return {
    id: Number(row.id),
    type: row.type as AlertType,
    severity: row.severity as Severity,
    status: row.status as AlertStatus,
    escalated: Number(row.escalated) !== 0,
    version: Number(row.version),
    seq: Number(row.seq),
    count: Number(row.merge_count),
    firstSeenMs: msOf(row.first_seen_at) ?? 0,
    lastSeenMs: msOf(row.last_seen_at) ?? 0,
    createdMs: msOf(row.created_at) ?? 0,
    updatedMs: msOf(row.updated_at) ?? 0,
    deadlineMs: msOf(row.deadline_at) ?? 0,
    carId: row.car_id,
    plate: row.plate,
    lon: row.lon === null ? null : Number(row.lon),
    lat: row.lat === null ? null : Number(row.lat),
    dongCode: row.dong_code,
    dongName: row.dong_name,
    districtCode: row.district_code,
    districtName: row.district_name,
    evidence: JSON.parse(row.evidence) as AlertEvidence,
    maskedFields: [],
    assignee: row.assignee,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAtMs: msOf(row.acknowledged_at),
    dispatchedBy: row.dispatched_by,
    dispatchedAtMs: msOf(row.dispatched_at),
    resolvedBy: row.resolved_by,
    resolvedAtMs: msOf(row.resolved_at),
    resolution: row.resolution as Resolution | null,
    resolutionNote: row.resolution_note,
    commentCount,
  };
}

function toComment(row: CommentRow): AlertComment {
  return {
    id: Number(row.id),
    alertId: Number(row.alert_id),
    by: row.author,
    atMs: msOf(row.created_at) ?? 0,
    text: row.body,
  };
}

/** The alerts with their comment counts (one grouped count per chunk, never the comments). */
async function withCommentCounts(db: Kysely<Database>, rows: AlertRow[]): Promise<Alert[]> {
  const counts = new Map<number, number>();
  const ids = rows.map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += COMMENT_QUERY_CHUNK) {
    const part = ids.slice(i, i + COMMENT_QUERY_CHUNK);
    const grouped = await db
      .selectFrom('alert_comment')
      .select((eb) => ['alert_id', eb.fn.countAll<number | string | bigint>().as('n')])
      .where('alert_id', 'in', part)
      .groupBy('alert_id')
      .execute();
    for (const g of grouped) counts.set(Number(g.alert_id), Number(g.n));
  }
  return rows.map((row) => toAlert(row, counts.get(Number(row.id)) ?? 0));
}

/** Inserts a new alert; returns its id. */
export async function insertAlert(
  db: Kysely<Database>,
  alert: Alert,
  vehicleKey: string,
): Promise<number> {
  const result = await db
    .insertInto('alert')
    .values(toRow(alert, vehicleKey))
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/**
 * Writes a changed alert if the stored one is still at `expectedVersion`; false when someone else
 * changed it first (the version guard holds even with several relays on one database).
 */
export async function updateAlert(
  db: Kysely<Database>,
  alert: Alert,
  expectedVersion: number,
): Promise<boolean> {
  const { vehicle_key: _key, ...row } = toRow(alert, '');
  const result = await db
    .updateTable('alert')
    .set(row)
    .where('id', '=', alert.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setAlertSeq(db: Kysely<Database>, id: number, seq: number): Promise<void> {
  await db.updateTable('alert').set({ seq }).where('id', '=', id).execute();
}

/** Stores a comment; returns it with its id. */
export async function insertComment(
  db: Kysely<Database>,
  draft: CommentDraft,
): Promise<AlertComment> {
  const result = await db
    .insertInto('alert_comment')
    .values({
      alert_id: draft.alertId,
      author: draft.by,
      created_at: formatKstSql(draft.atMs),
      body: draft.text,
    })
    .executeTakeFirstOrThrow();
  return { ...draft, id: Number(result.insertId) };
}

/**
 * One page of an alert's comments: the newest `limit` before the `before` id (the newest of all
 * without it), returned oldest first.
 */
export async function listComments(
  db: Kysely<Database>,
  alertId: number,
  query: AlertCommentPageQuery,
): Promise<AlertCommentPage> {
  let select = db.selectFrom('alert_comment').selectAll().where('alert_id', '=', alertId);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  // One more than asked for tells whether an older page exists.
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const hasOlder = rows.length > query.limit;
  const counted = await db
    .selectFrom('alert_comment')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('alert_id', '=', alertId)
    .executeTakeFirstOrThrow();
  return {
    comments: rows.slice(0, query.limit).reverse().map(toComment),
    hasOlder,
    total: Number(counted.n),
  };
}

export async function findAlert(db: Kysely<Database>, id: number): Promise<Alert | undefined> {
  const row = await db.selectFrom('alert').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [alert] = await withCommentCounts(db, [row]);
  return alert;
}

/** The alerts with these ids (those that exist), in id order. */
export async function findAlerts(db: Kysely<Database>, ids: readonly number[]): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (let i = 0; i < ids.length; i += COMMENT_QUERY_CHUNK) {
    const rows = await db
      .selectFrom('alert')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + COMMENT_QUERY_CHUNK))
      .orderBy('id')
      .execute();
    alerts.push(...(await withCommentCounts(db, rows)));
  }
  return alerts;
}

/** The newest open alert of this type for this vehicle, with its vehicle key. */
export async function findOpenAlertOfVehicle(
  db: Kysely<Database>,
  type: AlertType,
  vehicleKey: string,
): Promise<Alert | undefined> {
  const row = await db
    .selectFrom('alert')
    .selectAll()
    .where('vehicle_key', '=', vehicleKey)
    .where('type', '=', type)
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const [alert] = await withCommentCounts(db, [row]);
  return alert;
}

/** Records that a detection was counted; false when it had been already (a redelivery). */
export async function recordSource(
  db: Kysely<Database>,
  sourceId: string,
  alertId: number,
  nowMs: number,
): Promise<boolean> {
  const result = await db
    .insertInto('alert_source')
    .orIgnore()
    .values({ source_id: sourceId, alert_id: alertId, created_at: formatKstSql(nowMs) })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function hasSource(db: Kysely<Database>, sourceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('alert_source')
    .select('source_id')
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Most severe first, newest first within a severity. */
export async function listAlerts(db: Kysely<Database>, query: AlertListQuery): Promise<Alert[]> {
  let select = db.selectFrom('alert').selectAll();
  if (query.status) select = select.where('status', 'in', query.status);
  if (query.type) select = select.where('type', 'in', query.type);
  if (query.severity) select = select.where('severity', 'in', query.severity);
  if (query.district) select = select.where('district_code', '=', query.district);
  const rows = await select
    .orderBy('severity_rank', 'desc')
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit)
    .execute();
  return withCommentCounts(db, rows);
}

/**
 * What a client starting from a full snapshot gets of the alerts: every open alert and the alerts
 * resolved since `resolvedSinceMs`, in change order.
 */
export async function listSnapshot(
  db: Kysely<Database>,
  resolvedSinceMs: number,
): Promise<Alert[]> {
  const rows = await db
    .selectFrom('alert')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', 'in', OPEN_STATUSES),
        eb('resolved_at', '>=', formatKstSql(resolvedSinceMs)),
      ]),
    )
    .orderBy('seq')
    .execute();
  return withCommentCounts(db, rows);
}

/** Unacknowledged, not yet escalated alerts whose deadline has passed. */
export async function listDueForEscalation(db: Kysely<Database>, nowMs: number): Promise<Alert[]> {
  const rows = await db
    .selectFrom('alert')
    .selectAll()
    .where('status', '=', 'new')
    .where('escalated', '=', 0)
    .where('deadline_at', '<=', formatKstSql(nowMs))
    .orderBy('deadline_at')
    .execute();
  return withCommentCounts(db, rows);
}
