import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/alerts';
import { KST_OFFSET_MS } from '../../../shared/time';
import {
  HEAT_NONE_COLOR,
  HEAT_STEPS,
  heatFillColor,
  heatStep,
  heatStepLabel,
  openAlertsByDistrict,
} from '../../../renderer/src/kiosk/district-heat';
import { boardAlerts, kioskFigures, kstDayStart } from '../../../renderer/src/kiosk/kiosk-figures';
import { makeAlert } from './alert-fixtures';

/** 2025-12-09 14:30 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 30, 0);
const MIDNIGHT_KST = Date.UTC(2025, 11, 9, 0, 0, 0) - KST_OFFSET_MS;

const byId = (alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));

describe('kstDayStart', () => {
  it('is the KST midnight before the moment, whatever the UTC date', () => {
    expect(kstDayStart(NOW)).toBe(MIDNIGHT_KST);
    // 23:59 UTC on the 8th is already 08:59 KST on the 9th.
    expect(kstDayStart(Date.UTC(2025, 11, 8, 23, 59))).toBe(MIDNIGHT_KST);
    // 14:59 UTC on the 8th is 23:59 KST on the 8th.
    expect(kstDayStart(Date.UTC(2025, 11, 8, 14, 59))).toBe(MIDNIGHT_KST - 86_400_000);
    expect(kstDayStart(MIDNIGHT_KST)).toBe(MIDNIGHT_KST);
  });
});

describe('kioskFigures', () => {
  it('counts unacknowledged alerts, the overdue among them and the oldest one’s age', () => {
    const figures = kioskFigures(
      byId([
        makeAlert({ id: 1, status: 'new', createdMs: NOW - 60_000 }),
        makeAlert({ id: 2, status: 'new', escalated: true, createdMs: NOW - 600_000 }),
        makeAlert({ id: 3, status: 'acknowledged', escalated: true, createdMs: NOW - 900_000 }),
        makeAlert({ id: 4, status: 'resolved', createdMs: NOW - 999_000 }),
      ]),
      NOW,
    );
    expect(figures.unacknowledged).toBe(2);
    expect(figures.overdue).toBe(1);
    expect(figures.oldestUnacknowledgedMs).toBe(600_000);
  });

  it('has no oldest age when nothing waits', () => {
    expect(kioskFigures({}, NOW).oldestUnacknowledgedMs).toBeNull();
  });

  it('counts today’s alerts per type from KST midnight, resolved ones included', () => {
    const figures = kioskFigures(
      byId([
        makeAlert({ id: 1, type: 'DROWSY', createdMs: MIDNIGHT_KST }),
        makeAlert({ id: 2, type: 'DROWSY', status: 'resolved', createdMs: NOW - 1000 }),
        makeAlert({ id: 3, type: 'ARREARS_HIT', createdMs: NOW }),
        makeAlert({ id: 4, type: 'MISSING_PERSON_HIT', createdMs: MIDNIGHT_KST - 1 }),
      ]),
      NOW,
    );
    expect(figures.todayByType).toEqual({
      DROWSY: 2,
      ARREARS_HIT: 1,
      MISSING_PERSON_HIT: 0,
      INTERLOCK: 0,
      PIPELINE_HEALTH: 0,
    });
    expect(figures.todayTotal).toBe(3);
  });
});

describe('boardAlerts', () => {
  it('lists open alerts only: overdue first, then the most severe, then the newest', () => {
    const alerts = byId([
      makeAlert({ id: 1, severity: 'critical', lastSeenMs: NOW - 5000 }),
      makeAlert({ id: 2, severity: 'low', status: 'new', escalated: true }),
      makeAlert({ id: 3, severity: 'critical', lastSeenMs: NOW }),
      makeAlert({ id: 4, severity: 'critical', status: 'resolved', lastSeenMs: NOW + 1 }),
      makeAlert({ id: 5, severity: 'high', status: 'acknowledged', escalated: true }),
    ]);
    expect(boardAlerts(alerts, 10).map((a) => a.id)).toEqual([2, 3, 1, 5]);
    expect(boardAlerts(alerts, 2).map((a) => a.id)).toEqual([2, 3]);
  });
});

describe('district heat', () => {
  it('counts open alerts per district, skipping resolved and unplaced ones', () => {
    const counts = openAlertsByDistrict(
      byId([
        makeAlert({ id: 1, districtCode: '21090' }),
        makeAlert({ id: 2, districtCode: '21090', status: 'dispatched' }),
        makeAlert({ id: 3, districtCode: '21090', status: 'resolved' }),
        makeAlert({ id: 4, districtCode: '21310' }),
        makeAlert({ id: 5, districtCode: null }),
      ]),
    );
    expect([...counts]).toEqual([
      ['21090', 2],
      ['21310', 1],
    ]);
  });

  it('puts counts into fixed steps', () => {
    expect(heatStep(0)).toBeNull();
    expect(heatStep(1)?.min).toBe(1);
    expect(heatStep(3)?.min).toBe(2);
    expect(heatStep(4)?.min).toBe(4);
    expect(heatStep(9)?.min).toBe(7);
    expect(heatStep(250)?.min).toBe(10);
    expect(HEAT_STEPS.map((_, i) => heatStepLabel(i))).toEqual(['1', '2–3', '4–6', '7–9', '10+']);
  });

  it('colours each counted district by its step, others not at all', () => {
    const counts = new Map([
      ['21310', 12],
      ['21090', 1],
    ]);
    expect(heatFillColor(counts)).toEqual([
      'match',
      ['get', 'code'],
      '21090',
      HEAT_STEPS[0]!.color,
      '21310',
      HEAT_STEPS[4]!.color,
      HEAT_NONE_COLOR,
    ]);
  });

  it('is one colour for all when no district has an open alert', () => {
    expect(heatFillColor(new Map())).toBe(HEAT_NONE_COLOR);
    expect(heatFillColor(new Map([['21090', 0]]))).toBe(HEAT_NONE_COLOR);
  });
});
