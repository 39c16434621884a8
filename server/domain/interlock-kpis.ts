/**
 * The interlock KPIs of seed 001 §10 that the relay can know from the registry and the device
 * log. Pure: device states and counts in, figures out.
 * - 로그 제출률 (log submission rate, ≥ 90 %): of the devices whose subject is obliged now, the
 *   share whose monthly log is not overdue.
 * - 정기 검·교정 이행률 (calibration compliance, ≥ 95 %): of the same devices, the share whose
 *   six-monthly calibration is not overdue.
 * - 검·교정 합격률 (calibration pass rate, ≥ 90 %): passed calibrations among those logged in
 *   the window.
 * - 이상 로그 탐지 (abnormal-log detections): violations found in device logs this KST day. The
 *   seed's target is a detection *rate* of 100 %, whose denominator (every abnormal log there
 *   was) no system can count; the relay shows how many it detected, without a target.
 */
import { calibrationDueMs, logDueMs, type DeviceDueState } from './interlock-rules';

export const LOG_SUBMISSION_RATE_TARGET = 0.9;
export const CALIBRATION_COMPLIANCE_TARGET = 0.95;
export const CALIBRATION_PASS_RATE_TARGET = 0.9;
/** Calibrations counted for the pass rate: the last 90 days. */
export const CALIBRATION_PASS_WINDOW_DAYS = 90;

export interface ComplianceRates {
  /** Devices whose subject is obliged at the time (the denominator). */
  obligedDevices: number;
  logSubmissionRate: number | null;
  calibrationCompliance: number | null;
}

/** Whether the subject owes anything at `nowMs`: devices without a subject are not counted. */
function obliged(d: DeviceDueState, nowMs: number): boolean {
  return (
    d.obligationStartMs !== null &&
    d.obligationEndMs !== null &&
    nowMs >= d.obligationStartMs &&
    nowMs <= d.obligationEndMs
  );
}

export function complianceRates(
  devices: readonly DeviceDueState[],
  nowMs: number,
): ComplianceRates {
  const counted = devices.filter((d) => obliged(d, nowMs));
  if (counted.length === 0) {
    return { obligedDevices: 0, logSubmissionRate: null, calibrationCompliance: null };
  }
  const logOk = counted.filter((d) => nowMs <= logDueMs(d)).length;
  const calibrationOk = counted.filter((d) => nowMs <= calibrationDueMs(d)).length;
  return {
    obligedDevices: counted.length,
    logSubmissionRate: logOk / counted.length,
    calibrationCompliance: calibrationOk / counted.length,
  };
}

export function passRate(passed: number, total: number): number | null {
  return total === 0 ? null : passed / total;
}
