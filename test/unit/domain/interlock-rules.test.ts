import { describe, expect, it } from 'vitest';
import {
  addMonthsKst,
  alertSeverityOf,
  BAC_LIMIT_PERCENT,
  calibrationDueMs,
  deviceDatesAfter,
  initialStatus,
  isOverLimit,
  logDueMs,
  overdueViolations,
  RULE_GRADES,
  violationOfEvent,
  type DeviceDueState,
} from '../../../server/domain/interlock-rules';
import { VIOLATION_RULES } from '../../../shared/interlock';
import { parseTimestamp } from '../../../shared/time';
import { decodeTopicMessage, type TopicRow } from '../../../shared/topics';

const T = Date.UTC(2025, 11, 9, 5, 30);
const DAY = 86_400_000;
const MINUTE = 60_000;

function event(
  event_type: string,
  result: string | null,
  bac: number | null,
  extra: Partial<TopicRow<'interlock_event'>> = {},
): TopicRow<'interlock_event'> {
  return {
    event_id: 'E1',
    device_id: 'D1',
    event_type,
    bac,
    result,
    lat: 35.15,
    lon: 129.05,
    occurred_at: T,
    ...extra,
  };
}

describe('interlock rules: one device event → a violation or none', () => {
  // [event type, result, bac, rule or null, grade]
  const table: [string, string | null, number | null, string | null, string | null][] = [
    // Start test: the reading decides.
    ['start_test', 'pass', 0, null, null],
    ['start_test', 'pass', 0.029, null, null],
    ['start_test', 'pass', 0.0299999, null, null],
    ['start_test', 'fail', 0.03, 'alcohol_start', 'major'],
    ['start_test', 'pass', 0.03, 'alcohol_start', 'major'],
    ['start_test', 'pass', 0.0300000000001, 'alcohol_start', 'major'],
    ['start_test', 'fail', 0.124, 'alcohol_start', 'major'],
    // A fail verdict without a reading counts; a fail under the limit with a reading does not.
    ['start_test', 'fail', null, 'alcohol_start', 'major'],
    ['start_test', 'fail', 0.01, null, null],
    ['start_test', null, null, null, null],
    // Rolling retests while driving.
    ['rolling_retest', 'pass', 0.0, null, null],
    ['rolling_retest', 'fail', 0.05, 'alcohol_retest', 'major'],
    ['rolling_retest', 'pass', 0.031, 'alcohol_retest', 'major'],
    ['rolling_retest', 'missed', null, 'retest_missed', 'minor'],
    ['rolling_retest', 'MISSED', null, 'retest_missed', 'minor'],
    // Interference.
    ['tamper', 'driving', null, 'tamper', 'major'],
    ['tamper', 'parked', null, 'tamper', 'major'],
    ['bypass', 'driving', null, 'bypass', 'major'],
    ['bypass', null, null, 'bypass', 'major'],
    ['power_cut', 'driving', null, 'power_cut', 'major'],
    ['power_cut', null, null, 'power_cut', 'major'],
    ['power_cut', 'parked', null, null, null],
    // Spellings differ between feeds.
    ['Start-Test', 'FAIL', 0.08, 'alcohol_start', 'major'],
    [' rolling retest ', 'Missed', null, 'retest_missed', 'minor'],
    ['POWER_CUT', 'Driving', null, 'power_cut', 'major'],
    // Service events and unknown types are no violation.
    ['calibration', 'pass', null, null, null],
    ['calibration', 'fail', null, null, null],
    ['log_submitted', 'submitted', null, null, null],
    ['heartbeat', null, 0.2, null, null],
  ];
  it.each(table)('%s / %s / bac %s → %s', (type, result, bac, rule, grade) => {
    const draft = violationOfEvent(event(type, result, bac));
    if (rule === null) {
      expect(draft).toBeNull();
      return;
    }
    expect(draft).toMatchObject({
      rule,
      grade,
      deviceId: 'D1',
      occurredMs: T,
      evidenceEventIds: ['E1'],
      sourceKey: `${rule}:E1`,
      lon: 129.05,
      lat: 35.15,
    });
  });

  it('keeps the reading as evidence for alcohol, none for the other rules', () => {
    expect(violationOfEvent(event('rolling_retest', 'fail', 0.08))?.bac).toBe(0.08);
    expect(violationOfEvent(event('start_test', 'fail', null))?.bac).toBeNull();
    expect(violationOfEvent(event('rolling_retest', 'missed', 0.2))?.bac).toBeNull();
  });

  it('reads a row as the feed sends it: numbers as text, zone-less KST timestamps', () => {
    const decoded = decodeTopicMessage(
      'interlock_event',
      JSON.stringify({
        event_id: 'E9',
        device_id: 'D9',
        event_type: 'start_test',
        bac: '0.030',
        result: 'fail',
        lat: null,
        lon: null,
        occurred_at: '2025-12-09T14:30:00',
        firmware: '2.1',
      }),
    );
    expect(decoded.ok).toBe(true);
    const draft = violationOfEvent((decoded as { row: TopicRow<'interlock_event'> }).row);
    expect(draft).toMatchObject({ rule: 'alcohol_start', bac: 0.03, lon: null, lat: null });
    expect(draft?.occurredMs).toBe(parseTimestamp('2025-12-09T14:30:00+09:00'));
  });

  it('has a grade for every rule; majors raise alerts, the one while driving drunk critical', () => {
    for (const rule of VIOLATION_RULES) expect(['minor', 'major']).toContain(RULE_GRADES[rule]);
    expect(alertSeverityOf('alcohol_retest')).toBe('critical');
    expect(alertSeverityOf('alcohol_start')).toBe('high');
    expect(alertSeverityOf('tamper')).toBe('high');
    expect(initialStatus('major')).toBe('open');
    expect(initialStatus('minor')).toBe('monitoring');
  });

  it('treats readings at the limit as over it and nonsense as no reading', () => {
    expect(BAC_LIMIT_PERCENT).toBe(0.03);
    expect(isOverLimit(0.03)).toBe(true);
    expect(isOverLimit(0.1 + 0.2 - 0.27)).toBe(true); // 0.030000000000000027
    expect(isOverLimit(0.029999)).toBe(false);
    expect(isOverLimit(null)).toBe(false);
    expect(isOverLimit(undefined)).toBe(false);
    expect(isOverLimit(-0.5)).toBe(false);
  });
});

describe('calendar months in KST', () => {
  const kst = (text: string) => parseTimestamp(text)!;
  it.each([
    ['2025-01-15T10:00:00', 6, '2025-07-15T10:00:00'],
    ['2025-08-31T09:00:00', 6, '2026-02-28T09:00:00'],
    ['2023-08-31T09:00:00', 6, '2024-02-29T09:00:00'],
    // The first hours of a KST day are the previous day in UTC: the KST date counts.
    ['2025-03-01T00:30:00', 6, '2025-09-01T00:30:00'],
    ['2025-12-31T23:59:00', -6, '2025-06-30T23:59:00'],
    ['2025-07-15T10:00:00', -6, '2025-01-15T10:00:00'],
  ])('%s %+d months = %s', (from, months, to) => {
    expect(addMonthsKst(kst(from), months)).toBe(kst(to));
  });
});

describe('overdue calibration and log submission', () => {
  const device = (over: Partial<DeviceDueState> = {}): DeviceDueState => ({
    deviceId: 'D1',
    installMs: T - 400 * DAY,
    lastCalibrationMs: addMonthsKst(T, -6) + 10 * MINUTE,
    lastLogSubmittedMs: T - 10 * DAY,
    obligationStartMs: T - 400 * DAY,
    obligationEndMs: T + 400 * DAY,
    ...over,
  });

  it('is nothing while both are inside their period', () => {
    expect(overdueViolations(device(), T)).toEqual([]);
  });

  it('flags a calibration older than six months once, from its due date', () => {
    const d = device();
    const due = calibrationDueMs(d);
    expect(due).toBe(T + 10 * MINUTE);
    expect(overdueViolations(d, due)).toEqual([]);
    const [v] = overdueViolations(d, due + 1);
    expect(v).toMatchObject({
      rule: 'calibration_overdue',
      grade: 'minor',
      occurredMs: due,
      evidenceEventIds: [],
      sourceKey: `calibration_overdue:D1:${d.lastCalibrationMs}`,
    });
    // The same missed date gives the same key an hour later (stored once).
    expect(overdueViolations(d, due + 60 * MINUTE)[0]?.sourceKey).toBe(v!.sourceKey);
  });

  it('counts a device never calibrated from its installation', () => {
    const d = device({ lastCalibrationMs: null, installMs: T - 200 * DAY });
    expect(overdueViolations(d, T).map((v) => v.rule)).toEqual(['calibration_overdue']);
  });

  it('flags a log not submitted within the month', () => {
    const d = device({ lastLogSubmittedMs: T - 31 * DAY });
    expect(logDueMs(d)).toBe(T - DAY);
    expect(overdueViolations(d, T)).toEqual([
      expect.objectContaining({ rule: 'log_overdue', grade: 'minor', occurredMs: T - DAY }),
    ]);
  });

  it('asks nothing of a driver outside the obligation period', () => {
    const lapsed = { lastCalibrationMs: T - 300 * DAY, lastLogSubmittedMs: T - 60 * DAY };
    expect(overdueViolations(device({ ...lapsed, obligationEndMs: T - DAY }), T)).toEqual([]);
    expect(overdueViolations(device({ ...lapsed, obligationStartMs: T + DAY }), T)).toEqual([]);
    expect(
      overdueViolations(device({ ...lapsed, obligationStartMs: null, obligationEndMs: null }), T),
    ).toHaveLength(2);
  });

  it('moves the dates on with a passed calibration and a submitted log', () => {
    expect(deviceDatesAfter(event('calibration', 'pass', null))).toEqual({ lastCalibrationMs: T });
    expect(deviceDatesAfter(event('calibration', 'fail', null))).toEqual({});
    expect(deviceDatesAfter(event('log_submitted', null, null))).toEqual({
      lastLogSubmittedMs: T,
    });
    expect(deviceDatesAfter(event('start_test', 'pass', 0))).toEqual({});
  });
});
