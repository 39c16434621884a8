/**
 * Interlock master data (operators, subjects, devices), the device event log and violations.
 * Rows hold personal data unmasked; masking happens on the way out (server/domain/interlock-masking.ts).
 */
import { sql, type Generated, type Kysely, type RawBuilder } from 'kysely';
import type { StoreKind } from '../../shared/events';
import type {
  InterlockMasterData,
  Violation,
  ViolationGrade,
  ViolationListQuery,
  ViolationRule,
  ViolationStatus,
} from '../../shared/interlock';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import type { TopicRow } from '../../shared/topics';
import type { DeviceDueState, ViolationDraft } from '../domain/interlock-rules';
import { newValue } from './dialect';
import type { Database, InterlockDeviceTable } from './schema';

/** Rows per INSERT statement: far below both dialects' bound-parameter limits. */
const ROWS_PER_STATEMENT = 200;
/** Ids per `in (…)` list. */
const IN_CHUNK = 500;

const sqlTime = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : formatKstSql(ms);
const msOf = (text: string | null | undefined): number | null =>
  text === null || text === undefined ? null : parseTimestamp(text);
const numberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * The incoming row's value of a column, for an upsert's update part. Typed `never` so it fits
 * any column: Kysely cannot type the dialect-specific reference.
 */
const take = (kind: StoreKind, column: string) => newValue(kind, column) as RawBuilder<never>;

/**
 * For an upsert: the later of the stored date and the incoming one (a registry refresh or an
 * import never moves a calibration or log date back; events may have moved it on already).
 */
const laterOf = (kind: StoreKind, column: string) => {
  const incoming = newValue(kind, column);
  const current = sql.ref(column);
  return sql<never>`case when ${incoming} is not null and (${current} is null or ${incoming} > ${current}) then ${incoming} else ${current} end`;
};

// ── Tables of migration 0009 (the registry, calibration requests) ───────────────────────────────

export interface RegistryOperatorTable {
  operator_id: string;
  company_name: string;
  status: string;
  approval_date: string | null;
  contact: string | null;
  updated_at: string | null;
}
export interface RegistryUserTable {
  user_id: string;
  name: string;
  license_number: string | null;
  phone: string | null;
  obligation_start: string;
  obligation_end: string;
  updated_at: string | null;
}
export interface RegistryDeviceTable {
  device_id: string;
  serial_number: string;
  model: string;
  install_date: string;
  last_inspection: string | null;
  last_log_submit_date: string | null;
  status: string | null;
  user_id: string | null;
  operator_id: string | null;
  car_plate_number: string | null;
  car_id: string | null;
  updated_at: string | null;
}
export interface CalibrationRequestTable {
  id: Generated<number>;
  failed_event_id: string;
  device_id: string;
  subject_id: string | null;
  failed_at: string;
  due_at: string;
  fulfilled_at: string | null;
  fulfilled_event_id: string | null;
  created_at: string;
  updated_at: string;
}
// A type, not an interface: withTables wants an index signature.
export type RegistryTables = {
  registry_operator: RegistryOperatorTable;
  registry_user: RegistryUserTable;
  registry_device: RegistryDeviceTable;
  interlock_calibration_request: CalibrationRequestTable;
  interlock_device: InterlockDeviceTable & { status: string | null };
};
export type RegistryDatabase = Database & RegistryTables;

/** The store with the tables of migration 0009 (declared here, next to their only queries). */
export function registryDb(db: Kysely<Database>): Kysely<RegistryDatabase> {
  return db.withTables<RegistryTables>();
}

// ── Master data ────────────────────────────────────────────────────────────────────────────────

/**
 * Stores master data from a source (a registry refresh, an import). Identity, links and status
 * are upserted; the install date is kept when the device is known, and the calibration and log
 * dates only move forward (events may have moved them on; a stale registry row must not reset
 * them).
 */
export async function upsertMasterData(
  db: Kysely<Database>,
  kind: StoreKind,
  data: InterlockMasterData,
  nowMs: number,
): Promise<void> {
  const now = formatKstSql(nowMs);
  await db.transaction().execute(async (trx) => {
    for (const part of chunks(data.operators, ROWS_PER_STATEMENT)) {
      await trx
        .insertInto('interlock_operator')
        .values(
          part.map((o) => ({
            operator_id: o.operatorId,
            company_name: o.companyName,
            status: o.status,
            approved_at: sqlTime(o.approvedMs),
            contact: o.contact,
            created_at: now,
            updated_at: now,
          })),
        )
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate({
                company_name: take(kind, 'company_name'),
                status: take(kind, 'status'),
                approved_at: take(kind, 'approved_at'),
                contact: take(kind, 'contact'),
                updated_at: take(kind, 'updated_at'),
              })
            : q.onConflict((oc) =>
                oc.column('operator_id').doUpdateSet({
                  company_name: take(kind, 'company_name'),
                  status: take(kind, 'status'),
                  approved_at: take(kind, 'approved_at'),
                  contact: take(kind, 'contact'),
                  updated_at: take(kind, 'updated_at'),
                }),
              ),
        )
        .execute();
    }
    for (const part of chunks(data.subjects, ROWS_PER_STATEMENT)) {
      const set = {
        name: take(kind, 'name'),
        licence_number: take(kind, 'licence_number'),
        phone: take(kind, 'phone'),
        obligation_start: take(kind, 'obligation_start'),
        obligation_end: take(kind, 'obligation_end'),
        updated_at: take(kind, 'updated_at'),
      };
      await trx
        .insertInto('interlock_subject')
        .values(
          part.map((s) => ({
            subject_id: s.subjectId,
            name: s.name,
            licence_number: s.licenceNumber,
            phone: s.phone,
            obligation_start: formatKstSql(s.obligationStartMs),
            obligation_end: formatKstSql(s.obligationEndMs),
            created_at: now,
            updated_at: now,
          })),
        )
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate(set)
            : q.onConflict((oc) => oc.column('subject_id').doUpdateSet(set)),
        )
        .execute();
    }
    for (const part of chunks(data.devices, ROWS_PER_STATEMENT)) {
      const set = {
        serial_number: take(kind, 'serial_number'),
        model: take(kind, 'model'),
        subject_id: take(kind, 'subject_id'),
        operator_id: take(kind, 'operator_id'),
        car_id: take(kind, 'car_id'),
        plate: take(kind, 'plate'),
        status: take(kind, 'status'),
        last_calibration_at: laterOf(kind, 'last_calibration_at'),
        last_log_submitted_at: laterOf(kind, 'last_log_submitted_at'),
        updated_at: take(kind, 'updated_at'),
      };
      await registryDb(trx)
        .insertInto('interlock_device')
        .values(
          part.map((d) => ({
            device_id: d.deviceId,
            serial_number: d.serialNumber,
            model: d.model,
            install_date: formatKstSql(d.installMs),
            last_calibration_at: sqlTime(d.lastCalibrationMs),
            last_log_submitted_at: sqlTime(d.lastLogSubmittedMs),
            subject_id: d.subjectId,
            operator_id: d.operatorId,
            car_id: d.carId,
            plate: d.plate,
            status: d.status ?? null,
            last_event_at: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate(set)
            : q.onConflict((oc) => oc.column('device_id').doUpdateSet(set)),
        )
        .execute();
    }
  });
}

/** What ingest needs to know about a device: its links and the dates rules count from. */
export interface DeviceRecord {
  deviceId: string;
  subjectId: string | null;
  carId: string | null;
  plate: string | null;
  lastCalibrationMs: number | null;
  lastLogSubmittedMs: number | null;
  lastEventMs: number | null;
}

export async function findDevices(
  db: Kysely<Database>,
  deviceIds: readonly string[],
): Promise<Map<string, DeviceRecord>> {
  const found = new Map<string, DeviceRecord>();
  for (const part of chunks([...new Set(deviceIds)], IN_CHUNK)) {
    const rows = await db
      .selectFrom('interlock_device')
      .select([
        'device_id',
        'subject_id',
        'car_id',
        'plate',
        'last_calibration_at',
        'last_log_submitted_at',
        'last_event_at',
      ])
      .where('device_id', 'in', part)
      .execute();
    for (const r of rows) {
      found.set(r.device_id, {
        deviceId: r.device_id,
        subjectId: r.subject_id,
        carId: r.car_id,
        plate: r.plate,
        lastCalibrationMs: msOf(r.last_calibration_at),
        lastLogSubmittedMs: msOf(r.last_log_submitted_at),
        lastEventMs: msOf(r.last_event_at),
      });
    }
  }
  return found;
}

/** Moves a device's dates on (never back: events may arrive out of order). */
export async function updateDeviceDates(
  db: Kysely<Database>,
  before: DeviceRecord,
  after: {
    lastCalibrationMs: number | null;
    lastLogSubmittedMs: number | null;
    lastEventMs: number | null;
  },
  nowMs: number,
): Promise<void> {
  const later = (a: number | null, b: number | null) =>
    a === null ? b : b === null ? a : Math.max(a, b);
  const calibration = later(before.lastCalibrationMs, after.lastCalibrationMs);
  const log = later(before.lastLogSubmittedMs, after.lastLogSubmittedMs);
  const event = later(before.lastEventMs, after.lastEventMs);
  if (
    calibration === before.lastCalibrationMs &&
    log === before.lastLogSubmittedMs &&
    event === before.lastEventMs
  ) {
    return;
  }
  await db
    .updateTable('interlock_device')
    .set({
      last_calibration_at: sqlTime(calibration),
      last_log_submitted_at: sqlTime(log),
      last_event_at: sqlTime(event),
      updated_at: formatKstSql(nowMs),
    })
    .where('device_id', '=', before.deviceId)
    .execute();
}

/** Devices with the dates the overdue checks count from and their subject's obligation. */
export async function listDeviceDueStates(db: Kysely<Database>): Promise<DeviceDueState[]> {
  const rows = await db
    .selectFrom('interlock_device as d')
    .leftJoin('interlock_subject as s', 's.subject_id', 'd.subject_id')
    .select([
      'd.device_id',
      'd.install_date',
      'd.last_calibration_at',
      'd.last_log_submitted_at',
      's.obligation_start',
      's.obligation_end',
    ])
    .execute();
  return rows.map((r) => ({
    deviceId: r.device_id,
    installMs: msOf(r.install_date) ?? 0,
    lastCalibrationMs: msOf(r.last_calibration_at),
    lastLogSubmittedMs: msOf(r.last_log_submitted_at),
    obligationStartMs: msOf(r.obligation_start),
    obligationEndMs: msOf(r.obligation_end),
  }));
}

// ── Device events ──────────────────────────────────────────────────────────────────────────────

/** Stores events once each; returns the ids that were new (not a redelivery). */
export async function insertEvents(
  db: Kysely<Database>,
  rows: readonly TopicRow<'interlock_event'>[],
  nowMs: number,
): Promise<Set<string>> {
  const unique = new Map(rows.map((r) => [r.event_id, r]));
  const known = new Set<string>();
  for (const part of chunks([...unique.keys()], IN_CHUNK)) {
    const existing = await db
      .selectFrom('interlock_device_event')
      .select('event_id')
      .where('event_id', 'in', part)
      .execute();
    for (const e of existing) known.add(e.event_id);
  }
  const fresh = [...unique.values()].filter((r) => !known.has(r.event_id));
  const received = formatKstSql(nowMs);
  for (const part of chunks(fresh, ROWS_PER_STATEMENT)) {
    await db
      .insertInto('interlock_device_event')
      .orIgnore()
      .values(
        part.map((r) => ({
          event_id: r.event_id,
          device_id: r.device_id,
          // Longer values are the feed's problem; the column keeps what fits.
          event_type: r.event_type.slice(0, 64),
          bac: r.bac ?? null,
          result: r.result?.slice(0, 64) ?? null,
          lat: r.lat ?? null,
          lon: r.lon ?? null,
          occurred_at: formatKstSql(r.occurred_at),
          received_at: received,
        })),
      )
      .execute();
  }
  return new Set(fresh.map((r) => r.event_id));
}

// ── Violations ─────────────────────────────────────────────────────────────────────────────────

export interface NewViolation extends ViolationDraft {
  subjectId: string | null;
  carId: string | null;
  plate: string | null;
  dongName: string | null;
  districtName: string | null;
  status: ViolationStatus;
}

/** Inserts a violation unless its source key exists; returns the new id, or null. */
export async function insertViolation(
  db: Kysely<Database>,
  v: NewViolation,
  nowMs: number,
): Promise<number | null> {
  const now = formatKstSql(nowMs);
  const result = await db
    .insertInto('interlock_violation')
    .orIgnore()
    .values({
      source_key: v.sourceKey.slice(0, 300),
      rule: v.rule,
      grade: v.grade,
      status: v.status,
      version: 1,
      device_id: v.deviceId,
      subject_id: v.subjectId,
      car_id: v.carId,
      plate: v.plate,
      lon: v.lon,
      lat: v.lat,
      dong_name: v.dongName,
      district_name: v.districtName,
      bac: v.bac,
      evidence_event_ids: JSON.stringify(v.evidenceEventIds),
      alert_id: null,
      occurred_at: formatKstSql(v.occurredMs),
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirst();
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  return inserted ? Number(result.insertId) : null;
}

function violationQuery(db: Kysely<Database>) {
  return db
    .selectFrom('interlock_violation as v')
    .leftJoin('interlock_device as d', 'd.device_id', 'v.device_id')
    .leftJoin('interlock_operator as o', 'o.operator_id', 'd.operator_id')
    .leftJoin('interlock_subject as s', 's.subject_id', 'v.subject_id')
    .leftJoin('tcs_dispatch as t', 't.violation_id', 'v.id')
    .select([
      'v.id',
      'v.source_key',
      'v.rule',
      'v.grade',
      'v.status',
      'v.version',
      'v.device_id',
      'v.subject_id',
      'v.car_id',
      'v.plate',
      'v.lon',
      'v.lat',
      'v.dong_name',
      'v.district_name',
      'v.bac',
      'v.evidence_event_ids',
      'v.alert_id',
      'v.occurred_at',
      'v.created_at',
      'v.updated_at',
      'd.serial_number',
      'd.model',
      'd.operator_id',
      'o.company_name',
      's.name as subject_name',
      's.licence_number',
      's.phone',
      's.obligation_start',
      's.obligation_end',
      't.id as dispatch_id',
    ]);
}

type ViolationRow = Awaited<ReturnType<ReturnType<typeof violationQuery>['execute']>>[number];

/** A stored violation with its natural key (what the hand-off's idempotency key derives from). */
export interface StoredViolation {
  violation: Violation;
  sourceKey: string;
}

function toStored(r: ViolationRow): StoredViolation {
  const subject =
    r.subject_id !== null && r.subject_name !== null
      ? {
          subjectId: r.subject_id,
          name: r.subject_name,
          licenceNumber: r.licence_number,
          phone: r.phone,
          obligationStartMs: msOf(r.obligation_start) ?? 0,
          obligationEndMs: msOf(r.obligation_end) ?? 0,
        }
      : null;
  return {
    sourceKey: r.source_key,
    violation: {
      id: Number(r.id),
      rule: r.rule as ViolationRule,
      grade: r.grade as ViolationGrade,
      status: r.status as ViolationStatus,
      version: Number(r.version),
      occurredMs: msOf(r.occurred_at) ?? 0,
      createdMs: msOf(r.created_at) ?? 0,
      updatedMs: msOf(r.updated_at) ?? 0,
      device: {
        deviceId: r.device_id,
        serialNumber: r.serial_number,
        model: r.model,
        operatorId: r.operator_id,
        operatorName: r.company_name,
      },
      subject,
      carId: r.car_id,
      plate: r.plate,
      lon: numberOrNull(r.lon),
      lat: numberOrNull(r.lat),
      dongName: r.dong_name,
      districtName: r.district_name,
      bac: numberOrNull(r.bac),
      evidenceEventIds: parseIds(r.evidence_event_ids),
      alertId: numberOrNull(r.alert_id),
      dispatchId: numberOrNull(r.dispatch_id),
      maskedFields: [],
    },
  };
}

function parseIds(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export async function findViolation(
  db: Kysely<Database>,
  id: number,
): Promise<StoredViolation | undefined> {
  const row = await violationQuery(db).where('v.id', '=', id).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** The violations with these ids (those that exist), in id order. */
export async function findViolations(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const part of chunks([...new Set(ids)], IN_CHUNK)) {
    const rows = await violationQuery(db).where('v.id', 'in', part).orderBy('v.id').execute();
    found.push(...rows.map((r) => toStored(r).violation));
  }
  return found;
}

export async function findViolationsBySourceKeys(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<StoredViolation[]> {
  const found: StoredViolation[] = [];
  for (const part of chunks([...new Set(keys)], IN_CHUNK)) {
    const rows = await violationQuery(db)
      .where('v.source_key', 'in', part)
      .orderBy('v.id')
      .execute();
    found.push(...rows.map(toStored));
  }
  return found;
}

/** Newest first. */
export async function listViolations(
  db: Kysely<Database>,
  query: ViolationListQuery,
): Promise<Violation[]> {
  let select = violationQuery(db);
  if (query.grade) select = select.where('v.grade', 'in', query.grade);
  if (query.status) select = select.where('v.status', 'in', query.status);
  if (query.rule) select = select.where('v.rule', 'in', query.rule);
  if (query.device) select = select.where('v.device_id', '=', query.device);
  const rows = await select
    .orderBy('v.occurred_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map((r) => toStored(r).violation);
}

/** Writes a status change if the stored violation is still at `expectedVersion`. */
export async function updateViolationStatus(
  db: Kysely<Database>,
  id: number,
  status: ViolationStatus,
  expectedVersion: number,
  nowMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('interlock_violation')
    .set({ status, version: expectedVersion + 1, updated_at: formatKstSql(nowMs) })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Links the inbox alert if the stored violation is still at `expectedVersion` (a new version, so
 * clients that hold the unlinked one take the linked one); false when it changed meanwhile.
 */
export async function setViolationAlert(
  db: Kysely<Database>,
  id: number,
  alertId: number,
  expectedVersion: number,
): Promise<boolean> {
  const result = await db
    .updateTable('interlock_violation')
    .set({ alert_id: alertId, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ── Re-calibration requests (seed P-04) ────────────────────────────────────────────────────────

export interface StoredCalibrationRequest {
  id: number;
  failedEventId: string;
  deviceId: string;
  subjectId: string | null;
  failedMs: number;
  dueMs: number;
  fulfilledMs: number | null;
}

function toRequest(r: {
  id: number | string;
  failed_event_id: string;
  device_id: string;
  subject_id: string | null;
  failed_at: string;
  due_at: string;
  fulfilled_at: string | null;
}): StoredCalibrationRequest {
  return {
    id: Number(r.id),
    failedEventId: r.failed_event_id,
    deviceId: r.device_id,
    subjectId: r.subject_id,
    failedMs: msOf(r.failed_at) ?? 0,
    dueMs: msOf(r.due_at) ?? 0,
    fulfilledMs: msOf(r.fulfilled_at),
  };
}

const REQUEST_COLUMNS = [
  'id',
  'failed_event_id',
  'device_id',
  'subject_id',
  'failed_at',
  'due_at',
  'fulfilled_at',
] as const;

/** Opens a request for a failed calibration unless that failure has one; returns the new id. */
export async function insertCalibrationRequest(
  db: Kysely<Database>,
  request: {
    failedEventId: string;
    deviceId: string;
    subjectId: string | null;
    failedMs: number;
    dueMs: number;
  },
  nowMs: number,
): Promise<number | null> {
  const now = formatKstSql(nowMs);
  const result = await registryDb(db)
    .insertInto('interlock_calibration_request')
    .orIgnore()
    .values({
      failed_event_id: request.failedEventId,
      device_id: request.deviceId,
      subject_id: request.subjectId,
      failed_at: formatKstSql(request.failedMs),
      due_at: formatKstSql(request.dueMs),
      fulfilled_at: null,
      fulfilled_event_id: null,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? Number(result.insertId) : null;
}

/** Requests not fulfilled yet, of these devices (every device when `deviceIds` is null). */
export async function openCalibrationRequests(
  db: Kysely<Database>,
  deviceIds: readonly string[] | null,
): Promise<StoredCalibrationRequest[]> {
  const base = registryDb(db)
    .selectFrom('interlock_calibration_request')
    .select([...REQUEST_COLUMNS])
    .where('fulfilled_at', 'is', null)
    .orderBy('failed_at');
  if (deviceIds === null) return (await base.execute()).map(toRequest);
  const found: StoredCalibrationRequest[] = [];
  for (const part of chunks([...new Set(deviceIds)], IN_CHUNK)) {
    found.push(...(await base.where('device_id', 'in', part).execute()).map(toRequest));
  }
  return found;
}

/** Closes a request with the pass that fulfilled it; false when it was closed already. */
export async function fulfilCalibrationRequest(
  db: Kysely<Database>,
  id: number,
  fulfilledMs: number,
  eventId: string,
  nowMs: number,
): Promise<boolean> {
  const result = await registryDb(db)
    .updateTable('interlock_calibration_request')
    .set({
      fulfilled_at: formatKstSql(fulfilledMs),
      fulfilled_event_id: eventId,
      updated_at: formatKstSql(nowMs),
    })
    .where('id', '=', id)
    .where('fulfilled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ── Closer monitoring ──────────────────────────────────────────────────────────────────────────

/** Whose minors are counted together: the subject, or the device when it has no subject. */
export type MonitoringKey = { subjectId: string } | { deviceId: string };

/** Minor violations of one subject (or device) since `sinceMs`, oldest first. */
export async function minorViolationsSince(
  db: Kysely<Database>,
  key: MonitoringKey,
  sinceMs: number,
): Promise<
  { violationId: number; deviceId: string; occurredMs: number; evidenceEventIds: string[] }[]
> {
  let query = db
    .selectFrom('interlock_violation')
    .select(['id', 'device_id', 'occurred_at', 'evidence_event_ids'])
    .where('grade', '=', 'minor')
    .where('occurred_at', '>', formatKstSql(sinceMs));
  query =
    'subjectId' in key
      ? query.where('subject_id', '=', key.subjectId)
      : query.where('device_id', '=', key.deviceId).where('subject_id', 'is', null);
  const rows = await query.orderBy('occurred_at').orderBy('id').execute();
  return rows.map((r) => ({
    violationId: Number(r.id),
    deviceId: r.device_id,
    occurredMs: msOf(r.occurred_at) ?? 0,
    evidenceEventIds: parseIds(r.evidence_event_ids),
  }));
}

/** When the subject's (or device's) minors were last raised to major, since `sinceMs`. */
export async function lastEscalationSince(
  db: Kysely<Database>,
  key: MonitoringKey,
  sinceMs: number,
): Promise<number | null> {
  let query = db
    .selectFrom('interlock_violation')
    .select((eb) => eb.fn.max('occurred_at').as('last'))
    .where('rule', '=', 'repeated_minor')
    .where('occurred_at', '>', formatKstSql(sinceMs));
  query =
    'subjectId' in key
      ? query.where('subject_id', '=', key.subjectId)
      : query.where('device_id', '=', key.deviceId).where('subject_id', 'is', null);
  const row = await query.executeTakeFirst();
  return msOf(row?.last ?? null);
}

// ── Registry listings ──────────────────────────────────────────────────────────────────────────

export interface RegistryDeviceRow {
  deviceId: string;
  serialNumber: string;
  model: string;
  status: string | null;
  installMs: number;
  operatorId: string | null;
  operatorName: string | null;
  subjectId: string | null;
  carId: string | null;
  plate: string | null;
  lastCalibrationMs: number | null;
  lastLogSubmittedMs: number | null;
  lastEventMs: number | null;
}

function deviceRowsQuery(db: Kysely<Database>) {
  return registryDb(db)
    .selectFrom('interlock_device as d')
    .leftJoin('interlock_operator as o', 'o.operator_id', 'd.operator_id')
    .select([
      'd.device_id',
      'd.serial_number',
      'd.model',
      'd.status',
      'd.install_date',
      'd.operator_id',
      'o.company_name',
      'd.subject_id',
      'd.car_id',
      'd.plate',
      'd.last_calibration_at',
      'd.last_log_submitted_at',
      'd.last_event_at',
    ]);
}

function toDeviceRow(
  r: Awaited<ReturnType<ReturnType<typeof deviceRowsQuery>['execute']>>[number],
): RegistryDeviceRow {
  return {
    deviceId: r.device_id,
    serialNumber: r.serial_number,
    model: r.model,
    status: r.status,
    installMs: msOf(r.install_date) ?? 0,
    operatorId: r.operator_id,
    operatorName: r.company_name,
    subjectId: r.subject_id,
    carId: r.car_id,
    plate: r.plate,
    lastCalibrationMs: msOf(r.last_calibration_at),
    lastLogSubmittedMs: msOf(r.last_log_submitted_at),
    lastEventMs: msOf(r.last_event_at),
  };
}

/** Devices in id order (at most `limit`), or those of these subjects. */
export async function listRegistryDevices(
  db: Kysely<Database>,
  options: { limit: number } | { subjectIds: readonly string[] },
): Promise<RegistryDeviceRow[]> {
  if ('limit' in options) {
    const rows = await deviceRowsQuery(db).orderBy('d.device_id').limit(options.limit).execute();
    return rows.map(toDeviceRow);
  }
  const found: RegistryDeviceRow[] = [];
  for (const part of chunks([...new Set(options.subjectIds)], IN_CHUNK)) {
    const rows = await deviceRowsQuery(db)
      .where('d.subject_id', 'in', part)
      .orderBy('d.install_date', 'desc')
      .execute();
    found.push(...rows.map(toDeviceRow));
  }
  return found;
}

export interface RegistrySubjectRow {
  subjectId: string;
  name: string;
  licenceNumber: string | null;
  phone: string | null;
  obligationStartMs: number;
  obligationEndMs: number;
}

/** Subjects in id order; `only` narrows to these ids. */
export async function listRegistrySubjects(
  db: Kysely<Database>,
  limit: number,
  only: readonly string[] | null = null,
): Promise<RegistrySubjectRow[]> {
  let query = db
    .selectFrom('interlock_subject')
    .select([
      'subject_id',
      'name',
      'licence_number',
      'phone',
      'obligation_start',
      'obligation_end',
    ]);
  if (only !== null) {
    if (only.length === 0) return [];
    query = query.where('subject_id', 'in', only.slice(0, MAX_IN_LIST));
  }
  const rows = await query.orderBy('subject_id').limit(limit).execute();
  return rows.map((r) => ({
    subjectId: r.subject_id,
    name: r.name,
    licenceNumber: r.licence_number,
    phone: r.phone,
    obligationStartMs: msOf(r.obligation_start) ?? 0,
    obligationEndMs: msOf(r.obligation_end) ?? 0,
  }));
}
/** The most ids one `in (…)` list of a listing filter carries. */
const MAX_IN_LIST = 5000;

/** Unfinished major violations (open or being handed over) per device or per subject. */
export async function openViolationCounts(
  db: Kysely<Database>,
  by: 'device_id' | 'subject_id',
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('interlock_violation')
    .select([by, (eb) => eb.fn.countAll<number>().as('n')])
    .where('grade', '=', 'major')
    .where('status', 'in', ['open', 'dispatching'])
    .where(by, 'is not', null)
    .groupBy(by)
    .execute();
  return new Map(rows.map((r) => [String(r[by]), Number(r.n)]));
}

/** Per subject: minor violations since `sinceMs`, and repeated-minor escalations since it. */
export async function monitoringCounts(
  db: Kysely<Database>,
  sinceMs: number,
): Promise<Map<string, { minors: number[]; escalations: number }>> {
  const rows = await db
    .selectFrom('interlock_violation')
    .select(['subject_id', 'grade', 'rule', 'occurred_at'])
    .where('subject_id', 'is not', null)
    .where('occurred_at', '>', formatKstSql(sinceMs))
    .where((eb) => eb.or([eb('grade', '=', 'minor'), eb('rule', '=', 'repeated_minor')]))
    .execute();
  const out = new Map<string, { minors: number[]; escalations: number }>();
  for (const r of rows) {
    const entry = out.get(r.subject_id!) ?? { minors: [], escalations: 0 };
    if (r.rule === 'repeated_minor') entry.escalations += 1;
    else entry.minors.push(msOf(r.occurred_at) ?? 0);
    out.set(r.subject_id!, entry);
  }
  return out;
}

export async function registryCounts(
  db: Kysely<Database>,
): Promise<{ operators: number; subjects: number; devices: number }> {
  const count = async (table: 'interlock_operator' | 'interlock_subject' | 'interlock_device') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  return {
    operators: await count('interlock_operator'),
    subjects: await count('interlock_subject'),
    devices: await count('interlock_device'),
  };
}

// ── KPI counts (seed 001 §10) ──────────────────────────────────────────────────────────────────

/** Calibrations in the device log since `sinceMs`, and how many passed. */
export async function calibrationResultsSince(
  db: Kysely<Database>,
  sinceMs: number,
): Promise<{ total: number; passed: number }> {
  const rows = await db
    .selectFrom('interlock_device_event')
    .select(['result'])
    .where('event_type', '=', 'calibration')
    .where('occurred_at', '>=', formatKstSql(sinceMs))
    .execute();
  const failed = rows.filter((r) => (r.result ?? '').trim().toLowerCase() === 'fail').length;
  return { total: rows.length, passed: rows.length - failed };
}

/** Rules found in the device log itself (not a missed date, not a pattern of others). */
const LOG_RULES: readonly ViolationRule[] = [
  'alcohol_start',
  'alcohol_retest',
  'retest_missed',
  'tamper',
  'bypass',
  'power_cut',
];

/** Abnormal logs the relay detected (violations from device events) since `sinceMs`. */
export async function abnormalLogsSince(db: Kysely<Database>, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom('interlock_violation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('rule', 'in', LOG_RULES)
    .where('created_at', '>=', formatKstSql(sinceMs))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
