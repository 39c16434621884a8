/**
 * Interlock rules (seed 001 P-03/P-04, DESIGN §5): which device events and which overdue dates
 * are violations, and how grave. Minor violations are watched (모니터링 강화); major ones are TCS
 * candidates (경찰청 TCS 연계) and raise an INTERLOCK alert. Pure: rows and dates in, drafts out.
 */
import type { Severity } from '../../shared/alerts';
import type { ViolationGrade, ViolationRule, ViolationStatus } from '../../shared/interlock';
import { KST_OFFSET_MS } from '../../shared/time';
import type { TopicRow } from '../../shared/topics';

/** The legal limit (도로교통법 §44: 0.03% or more is drunk driving), in % BAC. */
export const BAC_LIMIT_PERCENT = 0.03;
/**
 * Readings are decimals (0.03 arrives as the nearest double, or as text): a reading within this
 * of the limit counts as at the limit, so `0.03` is never "just below" it.
 */
const BAC_TOLERANCE = 1e-9;
/** Devices are calibrated every six months (seed P-04: 6개월 주기 검·교정). */
export const CALIBRATION_INTERVAL_MONTHS = 6;
/** Drivers submit the device log monthly (seed P-03: 주기적 운행기록 제출). */
export const LOG_SUBMISSION_INTERVAL_DAYS = 30;
const MS_PER_DAY = 86_400_000;

export const RULE_GRADES: Readonly<Record<ViolationRule, ViolationGrade>> = {
  alcohol_start: 'major',
  alcohol_retest: 'major',
  retest_missed: 'minor',
  tamper: 'major',
  bypass: 'major',
  power_cut: 'major',
  calibration_overdue: 'minor',
  log_overdue: 'minor',
  // A pattern of minor ones (server/domain/interlock-monitoring.ts): a TCS candidate.
  repeated_minor: 'major',
};

/**
 * How loud a major violation's inbox alert is. Alcohol on a rolling retest means someone is
 * driving drunk right now: critical. The rest happened at a start or to the device: high.
 */
export const MAJOR_ALERT_SEVERITY: Readonly<Partial<Record<ViolationRule, Severity>>> = {
  alcohol_start: 'high',
  alcohol_retest: 'critical',
  tamper: 'high',
  bypass: 'high',
  power_cut: 'high',
};
const DEFAULT_MAJOR_SEVERITY: Severity = 'high';

export function alertSeverityOf(rule: ViolationRule): Severity {
  return MAJOR_ALERT_SEVERITY[rule] ?? DEFAULT_MAJOR_SEVERITY;
}

/** A violation before it is stored. */
export interface ViolationDraft {
  /** What makes it unique: a redelivered event or a repeated check finds the same key. */
  sourceKey: string;
  rule: ViolationRule;
  grade: ViolationGrade;
  deviceId: string;
  occurredMs: number;
  bac: number | null;
  lon: number | null;
  lat: number | null;
  evidenceEventIds: string[];
}

/** `Start-Test`, ` rolling retest ` → `start_test`, `rolling_retest`: feeds differ in spelling. */
export function normaliseToken(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const token = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return token === '' ? null : token;
}

/** At or over the legal limit; null or negative readings are no reading. */
export function isOverLimit(bac: number | null | undefined): boolean {
  return bac !== null && bac !== undefined && bac >= 0 && bac >= BAC_LIMIT_PERCENT - BAC_TOLERANCE;
}

function draft(
  rule: ViolationRule,
  row: TopicRow<'interlock_event'>,
  bac: number | null,
): ViolationDraft {
  return {
    sourceKey: `${rule}:${row.event_id}`,
    rule,
    grade: RULE_GRADES[rule],
    deviceId: row.device_id,
    occurredMs: row.occurred_at,
    bac,
    lon: row.lon ?? null,
    lat: row.lat ?? null,
    evidenceEventIds: [row.event_id],
  };
}

/**
 * The violation one device event shows, or null.
 * - Breath tests: the reading decides, not the device's verdict (a device still set to an old
 *   limit would pass 0.04%). Without a reading, a `fail` verdict counts (same legal limit).
 * - A rolling retest the driver did not take (`missed`) is minor.
 * - Tampering and bypassing are major whenever they happen: they defeat the device, parked or
 *   not. A power cut is major while driving or when the state is unknown; parked, it is a
 *   battery change or a workshop visit, so no violation.
 */
export function violationOfEvent(row: TopicRow<'interlock_event'>): ViolationDraft | null {
  const type = normaliseToken(row.event_type);
  const result = normaliseToken(row.result);
  const bac = row.bac ?? null;
  switch (type) {
    case 'start_test':
    case 'rolling_retest': {
      const rule = type === 'start_test' ? 'alcohol_start' : 'alcohol_retest';
      if (type === 'rolling_retest' && result === 'missed')
        return draft('retest_missed', row, null);
      if (isOverLimit(bac)) return draft(rule, row, bac);
      if (result === 'fail' && (bac === null || bac < 0)) return draft(rule, row, null);
      return null;
    }
    case 'tamper':
    case 'bypass':
      return draft(type, row, null);
    case 'power_cut':
      return result === 'parked' ? null : draft('power_cut', row, null);
    default:
      return null;
  }
}

/**
 * `ms` moved by whole calendar months in KST, the day clamped to the month's end
 * (31 August + 6 months = 28/29 February), the time of day kept.
 */
export function addMonthsKst(ms: number, months: number): number {
  const wall = new Date(ms + KST_OFFSET_MS);
  const day = wall.getUTCDate();
  const moved = new Date(wall.getTime());
  moved.setUTCDate(1);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(moved.getUTCFullYear(), moved.getUTCMonth() + 1, 0),
  ).getUTCDate();
  moved.setUTCDate(Math.min(day, lastDay));
  return moved.getTime() - KST_OFFSET_MS;
}

/** What the overdue checks need to know about a device and its subject. */
export interface DeviceDueState {
  deviceId: string;
  installMs: number;
  lastCalibrationMs: number | null;
  lastLogSubmittedMs: number | null;
  /** The subject's obligation period; null when the device has no subject on record. */
  obligationStartMs: number | null;
  obligationEndMs: number | null;
}

export function calibrationDueMs(device: DeviceDueState): number {
  return addMonthsKst(device.lastCalibrationMs ?? device.installMs, CALIBRATION_INTERVAL_MONTHS);
}

export function logDueMs(device: DeviceDueState): number {
  return (
    (device.lastLogSubmittedMs ?? device.installMs) + LOG_SUBMISSION_INTERVAL_DAYS * MS_PER_DAY
  );
}

/**
 * Overdue calibration and log submission at `nowMs`. One violation per missed due date: the key
 * names the date it counts from, so a check repeated every minute finds the same key, and a new
 * calibration starts a new period. Only while the subject is obliged (outside the period the
 * device may still be fitted, but nobody owes anything).
 */
export function overdueViolations(device: DeviceDueState, nowMs: number): ViolationDraft[] {
  const { obligationStartMs: start, obligationEndMs: end } = device;
  if ((start !== null && nowMs < start) || (end !== null && nowMs > end)) return [];
  const drafts: ViolationDraft[] = [];
  const overdue = (rule: ViolationRule, sinceMs: number, dueMs: number) => {
    if (nowMs <= dueMs) return;
    drafts.push({
      sourceKey: `${rule}:${device.deviceId}:${sinceMs}`,
      rule,
      grade: RULE_GRADES[rule],
      deviceId: device.deviceId,
      occurredMs: dueMs,
      bac: null,
      lon: null,
      lat: null,
      evidenceEventIds: [],
    });
  };
  overdue(
    'calibration_overdue',
    device.lastCalibrationMs ?? device.installMs,
    calibrationDueMs(device),
  );
  overdue('log_overdue', device.lastLogSubmittedMs ?? device.installMs, logDueMs(device));
  return drafts;
}

/** Minor violations are watched; major ones wait for someone to ask TCS. */
export function initialStatus(grade: ViolationGrade): ViolationStatus {
  return grade === 'major' ? 'open' : 'monitoring';
}

/**
 * What a device event changes on the device record: a passed calibration restarts the six
 * months, a submitted log restarts the month.
 */
export function deviceDatesAfter(row: TopicRow<'interlock_event'>): {
  lastCalibrationMs?: number;
  lastLogSubmittedMs?: number;
} {
  const type = normaliseToken(row.event_type);
  const result = normaliseToken(row.result);
  if (type === 'calibration' && result !== 'fail') return { lastCalibrationMs: row.occurred_at };
  if (type === 'log_submitted') return { lastLogSubmittedMs: row.occurred_at };
  return {};
}
