/**
 * The interlock figures of the KPI report (seed 001 §10): read from the store (the registry's
 * devices and obligations, the device log, the violations) and computed by the pure rules in
 * server/domain/interlock-kpis.ts.
 */
import type { Kysely } from 'kysely';
import type { KpiFigure } from '../../shared/kpis';
import { CALIBRATION_PASS_WINDOW_DAYS, complianceRates, passRate } from '../domain/interlock-kpis';
import { figure } from '../domain/seed-kpis';
import {
  abnormalLogsSince,
  calibrationResultsSince,
  listDeviceDueStates,
} from '../store/interlock-repository';
import type { Database } from '../store/schema';

const MS_PER_DAY = 86_400_000;

export async function interlockFigures(
  db: Kysely<Database>,
  nowMs: number,
  dayStartMs: number,
): Promise<KpiFigure[]> {
  const rates = complianceRates(await listDeviceDueStates(db), nowMs);
  const calibrations = await calibrationResultsSince(
    db,
    nowMs - CALIBRATION_PASS_WINDOW_DAYS * MS_PER_DAY,
  );
  return [
    figure('interlock_log_submission_rate', rates.logSubmissionRate, rates.obligedDevices),
    figure('interlock_calibration_compliance', rates.calibrationCompliance, rates.obligedDevices),
    figure(
      'interlock_calibration_pass_rate',
      passRate(calibrations.passed, calibrations.total),
      calibrations.total,
    ),
    figure('interlock_abnormal_logs_today', await abnormalLogsSince(db, dayStartMs)),
  ];
}
