/**
 * Interlock master data (operators, subjects, devices), the device event log and violations.
 * Rows hold personal data unmasked; masking happens on the way out (server/domain/interlock-masking.ts).
 */
import type { Kysely, RawBuilder } from 'kysely';
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
import type { Database } from './schema';

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

// ── Master data ────────────────────────────────────────────────────────────────────────────────

/**
 * Stores master data from a source (the simulator at start). Identity and links are upserted;
 * the dates a device's obligations count from (install, calibration, log) are kept when the
 * device is known, because events move them on and a restarted source must not reset them.
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
        updated_at: take(kind, 'updated_at'),
      };
      await trx
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
