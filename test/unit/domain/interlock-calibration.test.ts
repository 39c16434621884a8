import { describe, expect, it } from 'vitest';
import {
  calibrationNotice,
  fulfils,
  recalibrationRequestOf,
  requestStanding,
} from '../../../server/domain/interlock-calibration';
import { addMonthsKst } from '../../../server/domain/interlock-rules';
import { complianceRates, passRate } from '../../../server/domain/interlock-kpis';

const DAY = 86_400_000;
const T = Date.UTC(2025, 11, 9, 5, 30);

describe('calibration notice (검·교정 기한 임박)', () => {
  const last = addMonthsKst(T, -6); // due exactly at T
  it('is ok more than the notice period before the due date', () => {
    expect(calibrationNotice(last, 0, T - 8 * DAY).standing).toBe('ok');
  });
  it('shows as due soon inside the notice period (default 7 days)', () => {
    const notice = calibrationNotice(last, 0, T - 7 * DAY);
    expect(notice).toEqual({ standing: 'due_soon', dueMs: T, daysLeft: 7 });
    expect(calibrationNotice(last, 0, T).standing).toBe('due_soon');
  });
  it('is overdue after the due date', () => {
    expect(calibrationNotice(last, 0, T + 1).standing).toBe('overdue');
  });
  it('the notice period is configurable', () => {
    expect(calibrationNotice(last, 0, T - 10 * DAY, 14).standing).toBe('due_soon');
    expect(calibrationNotice(last, 0, T - 10 * DAY, 3).standing).toBe('ok');
  });
  it('counts from the installation when never calibrated', () => {
    expect(calibrationNotice(null, last, T - DAY).dueMs).toBe(T);
  });
});

describe('re-calibration request (재검·교정 요청)', () => {
  const failed = { eventId: 'E1', deviceId: 'D1', occurredMs: T, passed: false };
  it('a failed calibration asks for a re-calibration due 14 days later by default', () => {
    expect(recalibrationRequestOf(failed)).toEqual({
      failedEventId: 'E1',
      deviceId: 'D1',
      failedMs: T,
      dueMs: T + 14 * DAY,
    });
    expect(recalibrationRequestOf(failed, 3)?.dueMs).toBe(T + 3 * DAY);
  });
  it('a pass asks for nothing', () => {
    expect(recalibrationRequestOf({ ...failed, passed: true })).toBeNull();
  });
  it('only a later pass of the same device fulfils it', () => {
    const request = { deviceId: 'D1', failedMs: T };
    expect(fulfils(request, { ...failed, occurredMs: T + DAY, passed: true })).toBe(true);
    expect(fulfils(request, { ...failed, occurredMs: T + DAY, passed: false })).toBe(false);
    expect(fulfils(request, { ...failed, occurredMs: T - DAY, passed: true })).toBe(false);
    expect(fulfils(request, { ...failed, deviceId: 'D2', occurredMs: T + DAY, passed: true })).toBe(
      false,
    );
  });
  it('is open, then overdue past its due date, unless fulfilled', () => {
    expect(requestStanding({ dueMs: T, fulfilledMs: null }, T)).toBe('open');
    expect(requestStanding({ dueMs: T, fulfilledMs: null }, T + 1)).toBe('overdue');
    expect(requestStanding({ dueMs: T, fulfilledMs: T + 5 }, T + DAY)).toBe('fulfilled');
  });
});

describe('interlock KPIs (seed 001 §10)', () => {
  const obliged = { obligationStartMs: T - 400 * DAY, obligationEndMs: T + 400 * DAY };
  const device = (id: string, calibratedDaysAgo: number, loggedDaysAgo: number, extra = {}) => ({
    deviceId: id,
    installMs: T - 300 * DAY,
    lastCalibrationMs: T - calibratedDaysAgo * DAY,
    lastLogSubmittedMs: T - loggedDaysAgo * DAY,
    ...obliged,
    ...extra,
  });
  it('log submission and calibration compliance over devices whose subject is obliged now', () => {
    const rates = complianceRates(
      [
        device('A', 10, 5),
        device('B', 200, 5), // calibration overdue
        device('C', 10, 40), // log overdue
        device('D', 10, 5),
        // Not counted: obligation over, no subject on record.
        device('E', 300, 300, { obligationEndMs: T - DAY }),
        device('F', 300, 300, { obligationStartMs: null, obligationEndMs: null }),
      ],
      T,
    );
    expect(rates).toEqual({
      obligedDevices: 4,
      logSubmissionRate: 0.75,
      calibrationCompliance: 0.75,
    });
  });
  it('no obliged device: no figure (not 0 %, not 100 %)', () => {
    expect(complianceRates([], T)).toEqual({
      obligedDevices: 0,
      logSubmissionRate: null,
      calibrationCompliance: null,
    });
  });
  it('pass rate of calibrations; none logged is no figure', () => {
    expect(passRate(9, 10)).toBe(0.9);
    expect(passRate(0, 0)).toBeNull();
  });
});
