/**
 * Calibration follow-up (seed 001 P-04, §7): a failed calibration (검·교정 불합격) creates a
 * re-calibration request (재검·교정 요청) due a set number of days later, fulfilled by the next passed
 * calibration; a calibration coming due shows as a notice (검·교정 기한 임박) some days before it
 * becomes overdue. Pure: dates in, states out.
 */
import { addMonthsKst, CALIBRATION_INTERVAL_MONTHS } from './interlock-rules';

export const DEFAULT_CALIBRATION_NOTICE_DAYS = 7;
export const DEFAULT_RECALIBRATION_DUE_DAYS = 14;
const MS_PER_DAY = 86_400_000;

/** `ok` → `due_soon` (inside the notice period) → `overdue` (past the six months). */
export type CalibrationStanding = 'ok' | 'due_soon' | 'overdue';

export interface CalibrationNotice {
  standing: CalibrationStanding;
  dueMs: number;
  /** Whole days until due (negative once overdue). */
  daysLeft: number;
}

export function calibrationNotice(
  lastCalibrationMs: number | null,
  installMs: number,
  nowMs: number,
  noticeDays: number = DEFAULT_CALIBRATION_NOTICE_DAYS,
): CalibrationNotice {
  const dueMs = addMonthsKst(lastCalibrationMs ?? installMs, CALIBRATION_INTERVAL_MONTHS);
  const daysLeft = Math.floor((dueMs - nowMs) / MS_PER_DAY);
  const standing: CalibrationStanding =
    nowMs > dueMs ? 'overdue' : nowMs >= dueMs - noticeDays * MS_PER_DAY ? 'due_soon' : 'ok';
  return { standing, dueMs, daysLeft };
}

/** A calibration result from the device log (`calibration` events). */
export interface CalibrationResult {
  eventId: string;
  deviceId: string;
  occurredMs: number;
  passed: boolean;
}

export interface RecalibrationRequestDraft {
  /** The failed calibration that asks for it: one request per failure. */
  failedEventId: string;
  deviceId: string;
  failedMs: number;
  dueMs: number;
}

/** The request a failed calibration creates, or null for a pass. */
export function recalibrationRequestOf(
  result: CalibrationResult,
  dueDays: number = DEFAULT_RECALIBRATION_DUE_DAYS,
): RecalibrationRequestDraft | null {
  if (result.passed) return null;
  return {
    failedEventId: result.eventId,
    deviceId: result.deviceId,
    failedMs: result.occurredMs,
    dueMs: result.occurredMs + dueDays * MS_PER_DAY,
  };
}

/** An open request is fulfilled by a passed calibration of its device after the failure. */
export function fulfils(
  request: { deviceId: string; failedMs: number },
  result: CalibrationResult,
): boolean {
  return (
    result.passed && result.deviceId === request.deviceId && result.occurredMs > request.failedMs
  );
}

/** `open` until a pass; `overdue` once past its due date without one. */
export function requestStanding(
  request: { dueMs: number; fulfilledMs: number | null },
  nowMs: number,
): 'open' | 'overdue' | 'fulfilled' {
  if (request.fulfilledMs !== null) return 'fulfilled';
  return nowMs > request.dueMs ? 'overdue' : 'open';
}
