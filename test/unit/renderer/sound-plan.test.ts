import { describe, expect, it } from 'vitest';
import {
  ESCALATED_RING_GAIN,
  ESCALATED_RING_INTERVAL_MS,
  isRinging,
  patternDurationMs,
  RING_GAIN,
  RING_INTERVAL_MS,
  RING_PATTERNS,
  ringPlan,
  samePlanSound,
} from '../../../renderer/src/features/alerts/sound/sound-plan';
import { ALERT_TYPES, type Alert } from '../../../shared/alerts';
import { makeAlert, T0 } from './alert-fixtures';

const byId = (...alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));

describe('which alerts ring', () => {
  it('rings only while an alert waits for an acknowledgement', () => {
    expect(isRinging(makeAlert({ id: 1, status: 'new' }))).toBe(true);
    for (const status of ['acknowledged', 'dispatched', 'resolved'] as const) {
      expect(isRinging(makeAlert({ id: 1, status }))).toBe(false);
    }
  });

  it('is silent with no alerts, or only handled ones', () => {
    expect(ringPlan({}, false)).toBeNull();
    expect(ringPlan(byId(makeAlert({ id: 1, status: 'acknowledged' })), false)).toBeNull();
  });

  it('stops when the ringing alert is acknowledged', () => {
    const ringing = makeAlert({ id: 1, type: 'ARREARS_HIT' });
    expect(ringPlan(byId(ringing), false)?.type).toBe('ARREARS_HIT');
    const acked = { ...ringing, status: 'acknowledged' as const, version: 2 };
    expect(ringPlan(byId(acked), false)).toBeNull();
  });

  it('is silent when muted', () => {
    expect(ringPlan(byId(makeAlert({ id: 1 })), true)).toBeNull();
  });

  it('plays the most urgent ringing alert: escalated, then more severe, then newer', () => {
    const low = makeAlert({ id: 1, type: 'DROWSY', severity: 'low', lastSeenMs: T0 + 50 });
    const critical = makeAlert({ id: 2, type: 'MISSING_PERSON_HIT', severity: 'critical' });
    const escalatedMedium = makeAlert({
      id: 3,
      type: 'ARREARS_HIT',
      severity: 'medium',
      escalated: true,
    });
    const acknowledgedCritical = makeAlert({
      id: 4,
      severity: 'critical',
      escalated: true,
      status: 'acknowledged',
    });
    expect(ringPlan(byId(low, critical), false)?.alertId).toBe(2);
    const plan = ringPlan(byId(low, critical, escalatedMedium, acknowledgedCritical), false);
    expect(plan?.alertId).toBe(3);
    expect(plan?.ringing).toBe(3);
    const newer = makeAlert({ id: 5, type: 'INTERLOCK', severity: 'low', lastSeenMs: T0 + 99 });
    expect(ringPlan(byId(low, newer), false)?.type).toBe('INTERLOCK');
  });
});

describe('how it rings', () => {
  it('rings louder and faster when escalated', () => {
    const normal = ringPlan(byId(makeAlert({ id: 1 })), false)!;
    const escalated = ringPlan(byId(makeAlert({ id: 1, escalated: true })), false)!;
    expect(normal.gain).toBe(RING_GAIN);
    expect(normal.intervalMs).toBe(RING_INTERVAL_MS);
    expect(escalated.gain).toBe(ESCALATED_RING_GAIN);
    expect(escalated.intervalMs).toBe(ESCALATED_RING_INTERVAL_MS);
    expect(escalated.gain).toBeGreaterThan(normal.gain);
    expect(escalated.intervalMs).toBeLessThan(normal.intervalMs);
  });

  it('has a distinct pattern per type, each shorter than the pause between repeats', () => {
    const shapes = ALERT_TYPES.map((type) => JSON.stringify(RING_PATTERNS[type]));
    expect(new Set(shapes).size).toBe(ALERT_TYPES.length);
    for (const type of ALERT_TYPES) {
      expect(patternDurationMs(RING_PATTERNS[type])).toBeLessThan(ESCALATED_RING_INTERVAL_MS);
    }
  });

  it('does not restart the loop for another alert that sounds the same', () => {
    const a = ringPlan(byId(makeAlert({ id: 1 })), false);
    const b = ringPlan(byId(makeAlert({ id: 1 }), makeAlert({ id: 2, lastSeenMs: T0 + 1 })), false);
    expect(samePlanSound(a, b)).toBe(true);
    const escalated = ringPlan(byId(makeAlert({ id: 1, escalated: true })), false);
    expect(samePlanSound(a, escalated)).toBe(false);
    expect(samePlanSound(a, null)).toBe(false);
    expect(samePlanSound(null, null)).toBe(true);
  });
});
