/**
 * The interlock operations system's registry tables (seed 001 §4, docs/INTERLOCK-REGISTRY.md):
 * `registry_operator`, `registry_user`, `registry_device`. In a connected deployment that system
 * writes them and the relay only reads them; in the embedded default the simulator writes them
 * (`writeRegistryTables`), so both go through the same refresh.
 */
import type { Kysely } from 'kysely';
import type { StoreKind } from '../../shared/events';
import type { InterlockMasterData } from '../../shared/interlock';
import { OPERATOR_STATUS_LABELS_KO } from '../../shared/interlock';
import { formatKstSql } from '../../shared/time';
import { newValue } from '../store/dialect';
import { registryDb } from '../store/interlock-repository';
import type { Database } from '../store/schema';
import type { NumberedRow } from './registry-rows';

/** Rows read per statement, so a large registry never sits in one result set. */
const READ_PAGE = 5000;
const WRITE_CHUNK = 200;

export interface RegistryTableRows {
  operators: NumberedRow[];
  subjects: NumberedRow[];
  devices: NumberedRow[];
}

/** Values as text, the way a CSV file has them: one check for both (registry-rows.ts). */
function asText(row: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      value === null || value === undefined
        ? null
        : value instanceof Date
          ? formatKstSql(value.getTime())
          : String(value);
  }
  return out;
}

async function readAll(
  db: Kysely<Database>,
  table: 'registry_operator' | 'registry_user' | 'registry_device',
  key: 'operator_id' | 'user_id' | 'device_id',
): Promise<NumberedRow[]> {
  const rows: NumberedRow[] = [];
  let after: string | null = null;
  // Keyset pages in key order: stable while the interlock system writes.
  for (;;) {
    let query = registryDb(db).selectFrom(table).selectAll();
    if (after !== null) query = query.where(key, '>', after);
    const page = (await query.orderBy(key).limit(READ_PAGE).execute()) as Record<string, unknown>[];
    for (const row of page) rows.push({ line: rows.length + 1, values: asText(row) });
    if (page.length < READ_PAGE) return rows;
    after = String(page[page.length - 1]![key]);
  }
}

export async function readRegistryTables(db: Kysely<Database>): Promise<RegistryTableRows> {
  return {
    operators: await readAll(db, 'registry_operator', 'operator_id'),
    subjects: await readAll(db, 'registry_user', 'user_id'),
    devices: await readAll(db, 'registry_device', 'device_id'),
  };
}

const sqlTime = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : formatKstSql(ms);

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Writes master data into the registry tables as the interlock system would (the simulator in
 * embedded mode): operator status in the seed's Korean words, one row per entity, upserted.
 */
export async function writeRegistryTables(
  db: Kysely<Database>,
  kind: StoreKind,
  data: InterlockMasterData,
  nowMs: number,
): Promise<void> {
  const rdb = registryDb(db);
  const now = formatKstSql(nowMs);
  const upsert = <T extends Record<string, unknown>>(columns: readonly (keyof T & string)[]) =>
    Object.fromEntries(columns.map((c) => [c, newValue(kind, c)])) as never;
  await rdb.transaction().execute(async (trx) => {
    for (const part of chunks(data.operators, WRITE_CHUNK)) {
      const values = part.map((o) => ({
        operator_id: o.operatorId,
        company_name: o.companyName,
        status: OPERATOR_STATUS_LABELS_KO[o.status],
        approval_date: sqlTime(o.approvedMs),
        contact: o.contact,
        updated_at: now,
      }));
      const set = upsert(['company_name', 'status', 'approval_date', 'contact', 'updated_at']);
      await trx
        .insertInto('registry_operator')
        .values(values)
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate(set)
            : q.onConflict((oc) => oc.column('operator_id').doUpdateSet(set)),
        )
        .execute();
    }
    for (const part of chunks(data.subjects, WRITE_CHUNK)) {
      const values = part.map((s) => ({
        user_id: s.subjectId,
        name: s.name,
        license_number: s.licenceNumber,
        phone: s.phone,
        obligation_start: formatKstSql(s.obligationStartMs),
        obligation_end: formatKstSql(s.obligationEndMs),
        updated_at: now,
      }));
      const set = upsert([
        'name',
        'license_number',
        'phone',
        'obligation_start',
        'obligation_end',
        'updated_at',
      ]);
      await trx
        .insertInto('registry_user')
        .values(values)
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate(set)
            : q.onConflict((oc) => oc.column('user_id').doUpdateSet(set)),
        )
        .execute();
    }
    for (const part of chunks(data.devices, WRITE_CHUNK)) {
      const values = part.map((d) => ({
        device_id: d.deviceId,
        serial_number: d.serialNumber,
        model: d.model,
        install_date: formatKstSql(d.installMs),
        last_inspection: sqlTime(d.lastCalibrationMs),
        last_log_submit_date: sqlTime(d.lastLogSubmittedMs),
        status: d.status ?? null,
        user_id: d.subjectId,
        operator_id: d.operatorId,
        car_plate_number: d.plate,
        car_id: d.carId,
        updated_at: now,
      }));
      const set = upsert([
        'serial_number',
        'model',
        'install_date',
        'last_inspection',
        'last_log_submit_date',
        'status',
        'user_id',
        'operator_id',
        'car_plate_number',
        'car_id',
        'updated_at',
      ]);
      await trx
        .insertInto('registry_device')
        .values(values)
        .$call((q) =>
          kind === 'mariadb'
            ? q.onDuplicateKeyUpdate(set)
            : q.onConflict((oc) => oc.column('device_id').doUpdateSet(set)),
        )
        .execute();
    }
  });
}
