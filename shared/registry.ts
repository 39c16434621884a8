/**
 * The interlock registry (seed 001 §4) over REST: installers, obliged drivers (subjects) and
 * devices as the registry screen lists them, the CSV import's columns and its validation report,
 * and the refresh status. The columns are the registry tables' (docs/INTERLOCK-REGISTRY.md), so a
 * file exported from the interlock system's tables imports as it is.
 */
import { z } from 'zod';
import { decimal } from './decimal';

export const REGISTRY_KINDS = ['operators', 'subjects', 'devices'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The columns of each registry table, and of the CSV file that imports into it (header row). */
export const REGISTRY_COLUMNS = {
  operators: ['operator_id', 'company_name', 'status', 'approval_date', 'contact'],
  subjects: ['user_id', 'name', 'license_number', 'phone', 'obligation_start', 'obligation_end'],
  devices: [
    'device_id',
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
  ],
} as const satisfies Record<RegistryKind, readonly string[]>;

/** Columns a row must have a value in. */
export const REGISTRY_REQUIRED_COLUMNS = {
  operators: ['operator_id', 'company_name', 'status'],
  subjects: ['user_id', 'name', 'obligation_start', 'obligation_end'],
  devices: ['device_id', 'serial_number', 'model', 'install_date'],
} as const satisfies Record<RegistryKind, readonly string[]>;

/** The largest CSV file the relay takes (about 50,000 device rows). */
export const MAX_REGISTRY_CSV_BYTES = 10 * 1024 * 1024;
export const MAX_REGISTRY_CSV_ROWS = 50_000;
/** A report lists at most this many problems (the counts are always complete). */
export const MAX_REPORTED_PROBLEMS = 500;

/** One reason a row (or the file) was refused. `line` is the file's line (header = 1). */
export interface RegistryRowProblem {
  line: number;
  /** The column at fault; null when the whole row is (wrong number of fields, a duplicate). */
  column: string | null;
  reason: string;
}

/** `POST /api/registry/import?kind=` (text/csv): what was taken and what was refused, and why. */
export interface RegistryImportReport {
  kind: RegistryKind;
  fileName: string | null;
  /** Data rows in the file (the header not counted). */
  rows: number;
  accepted: number;
  refused: number;
  /** Refused rows' problems, in line order; at most MAX_REPORTED_PROBLEMS. */
  problems: RegistryRowProblem[];
  problemsTruncated: boolean;
  /** Header columns the relay does not know (ignored). */
  ignoredColumns: string[];
  atMs: number;
  by: string;
}

const fileNameField = z.string('fileName must be text').trim().max(255).optional();

export const registryImportQuerySchema = z.object({
  kind: z.enum(REGISTRY_KINDS, `kind must be one of ${REGISTRY_KINDS.join(', ')}`),
  fileName: fileNameField,
});

/**
 * The import's body: the CSV file itself (`text/csv`, for scripts), or JSON `{csv, fileName?}`
 * (the client, which sends every call as JSON).
 */
export const registryImportBodySchema = z.object({
  csv: z.string('csv must be the file as text'),
  fileName: fileNameField,
});

/** A calibration's standing: `due_soon` inside the notice period before its six months end. */
export type CalibrationStandingView = 'ok' | 'due_soon' | 'overdue';

/** A re-calibration request (재검·교정 요청) opened by a failed calibration. */
export interface RecalibrationRequestView {
  id: number;
  deviceId: string;
  failedMs: number;
  dueMs: number;
  fulfilledMs: number | null;
  standing: 'open' | 'overdue' | 'fulfilled';
}

export interface RegistryDeviceView {
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
  calibrationDueMs: number;
  calibration: CalibrationStandingView;
  lastLogSubmittedMs: number | null;
  logDueMs: number;
  logOverdue: boolean;
  lastEventMs: number | null;
  /** Major violations not finished (open or being handed to TCS). */
  openViolations: number;
  /** The newest re-calibration request not fulfilled, if any. */
  recalibration: RecalibrationRequestView | null;
}

/** Closer monitoring (모니터링 강화): minor violations in the window, and what they led to. */
export interface MonitoringView {
  flagged: boolean;
  minorCount: number;
  /** Repeated-minor escalations to major in the window. */
  escalations: number;
  untilMs: number | null;
}

/** An obliged driver; name, licence number and phone are masked (`maskedFields`). */
export interface RegistrySubjectView {
  subjectId: string;
  name: string;
  licenceNumber: string | null;
  phone: string | null;
  obligationStartMs: number;
  obligationEndMs: number;
  /** Inside the obligation period now. */
  obliged: boolean;
  /** The subject's device (the newest installed when there are several). */
  device: RegistryDeviceView | null;
  openViolations: number;
  monitoring: MonitoringView;
  maskedFields: string[];
}

export interface RegistryRefreshResult {
  atMs: number;
  ok: boolean;
  /** Rows read from each registry table and stored. */
  operators: number;
  subjects: number;
  devices: number;
  /** Rows the relay could not use (counted; the log names them). */
  skipped: number;
  error: string | null;
  trigger: 'schedule' | 'start' | 'admin';
}

/** `GET /api/registry/status` */
export interface RegistryStatus {
  lastRefresh: RegistryRefreshResult | null;
  refreshIntervalMs: number;
  counts: {
    operators: number;
    subjects: number;
    devices: number;
    flagged: number;
    calibrationDueSoon: number;
    calibrationOverdue: number;
    recalibrationOpen: number;
  };
  policy: {
    repeatCount: number;
    windowDays: number;
    noticeDays: number;
    recalibrationDueDays: number;
  };
}

export const DEFAULT_REGISTRY_LIST_LIMIT = 500;
export const MAX_REGISTRY_LIST_LIMIT = 5000;

const listLimit = decimal(
  z
    .number('limit must be a number')
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_REGISTRY_LIST_LIMIT, `limit must be at most ${MAX_REGISTRY_LIST_LIMIT}`)
    .default(DEFAULT_REGISTRY_LIST_LIMIT),
);

/** `GET /api/registry/subjects?flagged=true&limit=` and `GET /api/registry/devices?limit=` */
export const registryListQuerySchema = z.object({
  flagged: z.enum(['true', 'false'], 'flagged must be true or false').optional(),
  limit: listLimit,
});
export type RegistryListQuery = z.output<typeof registryListQuerySchema>;

export interface RegistrySubjectListResponse {
  subjects: RegistrySubjectView[];
}
export interface RegistryDeviceListResponse {
  devices: RegistryDeviceView[];
}
