/**
 * One check for registry rows, whichever way they come: read from the interlock system's tables
 * (server/registry/registry-tables.ts) or imported from a CSV file (registry-csv.ts). A row is
 * a record of column → text (or null); it becomes an operator, subject or device, or it is
 * refused with every problem found, per column. Pure: rows in, entities and problems out.
 */
import type {
  InterlockDevice,
  InterlockOperator,
  InterlockSubject,
  OperatorStatus,
} from '../../shared/interlock';
import { readPlate } from '../../shared/plates';
import {
  REGISTRY_REQUIRED_COLUMNS,
  type RegistryKind,
  type RegistryRowProblem,
} from '../../shared/registry';
import { formatKstSql, parseTimestamp } from '../../shared/time';

export type RawRegistryRow = Readonly<Record<string, string | null | undefined>>;

/** A row and the line it came from (a CSV line, or the row's position in a table read). */
export interface NumberedRow {
  line: number;
  values: RawRegistryRow;
}

/** Column widths of the relay's tables (migration 0004): a longer value is refused, not cut. */
const MAX_LENGTH: Readonly<Record<string, number>> = {
  operator_id: 64,
  company_name: 200,
  contact: 64,
  user_id: 64,
  name: 100,
  license_number: 32,
  phone: 32,
  device_id: 255,
  serial_number: 64,
  model: 100,
  status: 32,
  car_plate_number: 20,
  car_id: 255,
};

/** The seed's Korean status words (P-01: 대기 → 승인 → 활성) and the relay's English ones. */
const OPERATOR_STATUS_WORDS: Readonly<Record<string, OperatorStatus>> = {
  대기: 'pending',
  승인: 'approved',
  활성: 'active',
  pending: 'pending',
  approved: 'approved',
  active: 'active',
};

/** 12-19-123456-78, or the older form with the region's name (서울-19-123456-78). */
const LICENCE = /^(\d{2}|[가-힣]{2})-?\d{2}-?\d{6}-?\d{2}$/u;
/** Korean phone numbers: 010-1234-5678, 051-123-4567, 02-123-4567 (hyphens optional). */
const PHONE = /^0\d{1,2}-?\d{3,4}-?\d{4}$/;
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

class RowCheck {
  readonly problems: RegistryRowProblem[] = [];
  constructor(
    private readonly row: NumberedRow,
    kind: RegistryKind,
  ) {
    for (const column of REGISTRY_REQUIRED_COLUMNS[kind]) {
      if (this.text(column) === null) this.problem(column, `${column} is required`);
    }
  }

  problem(column: string | null, reason: string): void {
    this.problems.push({ line: this.row.line, column, reason });
  }

  /** The trimmed value, null when empty; a value longer than its column is a problem. */
  text(column: string): string | null {
    const raw = this.row.values[column];
    const value = raw === null || raw === undefined ? '' : String(raw).trim();
    if (value === '') return null;
    const max = MAX_LENGTH[column];
    if (max !== undefined && [...value].length > max) {
      this.problem(column, `${column} is longer than ${max} characters`);
    }
    return value;
  }

  /** A date or date-time (KST when it has no zone); null when empty. */
  date(column: string): number | null {
    const value = this.row.values[column];
    const text = value === null || value === undefined ? '' : String(value).trim();
    if (text === '') return null;
    const parsed = parseTimestamp(text);
    // A calendar date must be one (2025-13-01 is not 2026-01-01).
    const ms =
      parsed !== null &&
      DATE_PREFIX.test(text) &&
      formatKstSql(parsed).slice(0, 10) !== text.slice(0, 10)
        ? null
        : parsed;
    if (ms === null) {
      this.problem(column, `${column} "${text}" is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)`);
    }
    return ms;
  }

  matches(column: string, pattern: RegExp, what: string): string | null {
    const value = this.text(column);
    if (value !== null && !pattern.test(value)) this.problem(column, `${column} is not ${what}`);
    return value;
  }
}

export interface RowsChecked<T> {
  accepted: T[];
  /** Problems of the refused rows, in line order. */
  problems: RegistryRowProblem[];
  refusedRows: number;
}

/** The refs a device row may name: subjects and operators the relay knows. */
export interface KnownIds {
  subjects: ReadonlySet<string>;
  operators: ReadonlySet<string>;
}

function checkAll<T>(
  rows: readonly NumberedRow[],
  kind: RegistryKind,
  idColumn: string,
  build: (check: RowCheck, row: NumberedRow) => T | null,
): RowsChecked<T> {
  const accepted: T[] = [];
  const problems: RegistryRowProblem[] = [];
  const seen = new Map<string, number>();
  let refusedRows = 0;
  for (const row of rows) {
    const check = new RowCheck(row, kind);
    const id = check.text(idColumn);
    const entity = build(check, row);
    if (id !== null) {
      const first = seen.get(id);
      // The same id twice in one file: which one is right is for a person to say.
      if (first !== undefined) check.problem(idColumn, `${idColumn} ${id} repeats line ${first}`);
      else seen.set(id, row.line);
    }
    if (check.problems.length > 0 || entity === null) {
      refusedRows += 1;
      problems.push(...check.problems);
    } else {
      accepted.push(entity);
    }
  }
  return { accepted, problems, refusedRows };
}

export function checkOperators(rows: readonly NumberedRow[]): RowsChecked<InterlockOperator> {
  return checkAll(rows, 'operators', 'operator_id', (check) => {
    const operatorId = check.text('operator_id');
    const companyName = check.text('company_name');
    const statusText = check.text('status');
    const status =
      statusText === null ? undefined : OPERATOR_STATUS_WORDS[statusText.toLowerCase()];
    if (statusText !== null && status === undefined) {
      check.problem('status', `status "${statusText}" is not 대기, 승인 or 활성`);
    }
    const approvedMs = check.date('approval_date');
    const contact = check.matches('contact', PHONE, 'a phone number');
    if (operatorId === null || companyName === null || status === undefined) return null;
    return { operatorId, companyName, status, approvedMs, contact };
  });
}

export function checkSubjects(rows: readonly NumberedRow[]): RowsChecked<InterlockSubject> {
  return checkAll(rows, 'subjects', 'user_id', (check) => {
    const subjectId = check.text('user_id');
    const name = check.text('name');
    const licenceNumber = check.matches('license_number', LICENCE, 'a driving licence number');
    const phone = check.matches('phone', PHONE, 'a phone number');
    const start = check.date('obligation_start');
    const end = check.date('obligation_end');
    if (start !== null && end !== null && end <= start) {
      check.problem('obligation_end', 'obligation_end must be after obligation_start');
    }
    if (subjectId === null || name === null || start === null || end === null) return null;
    return {
      subjectId,
      name,
      licenceNumber,
      phone,
      obligationStartMs: start,
      obligationEndMs: end,
    };
  });
}

export function checkDevices(
  rows: readonly NumberedRow[],
  known: KnownIds,
  nowMs: number,
): RowsChecked<InterlockDevice> {
  return checkAll(rows, 'devices', 'device_id', (check) => {
    const deviceId = check.text('device_id');
    const serialNumber = check.text('serial_number');
    const model = check.text('model');
    const installMs = check.date('install_date');
    const lastInspection = check.date('last_inspection');
    const lastLog = check.date('last_log_submit_date');
    const status = check.text('status');
    const subjectId = check.text('user_id');
    const operatorId = check.text('operator_id');
    const plateText = check.text('car_plate_number');
    const carId = check.text('car_id');
    if (subjectId !== null && !known.subjects.has(subjectId)) {
      check.problem(
        'user_id',
        `user_id ${subjectId} is not in the registry (import subjects first)`,
      );
    }
    if (operatorId !== null && !known.operators.has(operatorId)) {
      check.problem(
        'operator_id',
        `operator_id ${operatorId} is not in the registry (import operators first)`,
      );
    }
    if (plateText !== null && !readPlate(plateText).ok) {
      check.problem('car_plate_number', `car_plate_number "${plateText}" is not a Korean plate`);
    }
    if (installMs !== null && installMs > nowMs) {
      check.problem('install_date', 'install_date is in the future');
    }
    if (lastInspection !== null && installMs !== null && lastInspection < installMs) {
      check.problem('last_inspection', 'last_inspection is before install_date');
    }
    if (deviceId === null || serialNumber === null || model === null || installMs === null) {
      return null;
    }
    return {
      deviceId,
      serialNumber,
      model,
      installMs,
      lastCalibrationMs: lastInspection,
      // Empty: the device log stream (interlock_event) moves it.
      lastLogSubmittedMs: lastLog,
      subjectId,
      operatorId,
      carId,
      plate: plateText,
      status,
    };
  });
}
