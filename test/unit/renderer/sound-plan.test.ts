import { describe, expect, it } from 'vitest';
import {
  ESCALATED_RING_GAIN,
  ESCALATED_RING_INTERVAL_MS,
  patternDurationMs,
  RING_GAIN,
  RING_INTERVAL_MS,
  RING_PATTERNS,
  ringPlan,
  ringsFor,
  samePlanSound,
} from '../../../renderer/src/features/alerts/sound/sound-plan';
import { ALERT_TYPES, type Alert } from '../../../shared/alerts';
import { makeAlert, T0 } from './alert-fixtures';

const byId = (...alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));
const SUPERVISOR = { username: 'sv.lee', role: 'supervisor' } as const;
const OPERATOR = { username: 'op.kim', role: 'operator' } as const;
const VIEWER = { username: 'wall.view', role: 'viewer' } as const;

describe('which alerts ring', () => {
  it('rings only while an alert waits for an acknowledgement', () => {
    expect(ringsFor(makeAlert({ id: 1, status: 'new' }), SUPERVISOR)).toBe(true);
    for (const status of ['acknowledged', 'dispatched', 'resolved'] as const) {
      for (const listener of [SUPERVISOR, OPERATOR, VIEWER]) {
        expect(ringsFor(makeAlert({ id: 1, status }), listener)).toBe(false);
      }
    }
  });

  it('never rings for a viewer (a wall) or nobody, escalated or not', () => {
    for (const escalated of [false, true]) {
      const alert = makeAlert({ id: 1, severity: 'critical', escalated });
      expect(ringsFor(alert, VIEWER)).toBe(false);
      expect(ringsFor(alert, null)).toBe(false);
    }
    expect(ringPlan(byId(makeAlert({ id: 1 })), false, VIEWER)).toBeNull();
  });

  it('rings for an operator until someone claims it; their own claim silences it for them only', () => {
    const waiting = makeAlert({ id: 1 });
    expect(ringsFor(waiting, OPERATOR)).toBe(true);
    const claimed = { ...waiting, assignee: OPERATOR.username, version: 2 };
    expect(ringsFor(claimed, OPERATOR)).toBe(false);
    expect(ringsFor(claimed, { username: 'op.park', role: 'operator' })).toBe(false);
    // The supervisor still has to acknowledge it.
    expect(ringsFor(claimed, SUPERVISOR)).toBe(true);
    expect(ringPlan(byId(claimed), false, OPERATOR)).toBeNull();
  });

  it('keeps an escalated alert loud for supervisors until acknowledged, even one they claimed', () => {
    const mine = makeAlert({ id: 1, assignee: SUPERVISOR.username });
    expect(ringsFor(mine, SUPERVISOR)).toBe(false);
    const escalated = { ...mine, escalated: true, version: 2 };
    expect(ringsFor(escalated, SUPERVISOR)).toBe(true);
    expect(ringPlan(byId(escalated), false, SUPERVISOR)?.gain).toBe(ESCALATED_RING_GAIN);
    expect(ringsFor({ ...escalated, status: 'acknowledged', version: 3 }, SUPERVISOR)).toBe(false);
  });

  it('is silent with no alerts, or only handled ones', () => {
    expect(ringPlan({}, false, SUPERVISOR)).toBeNull();
    expect(
      ringPlan(byId(makeAlert({ id: 1, status: 'acknowledged' })), false, SUPERVISOR),
    ).toBeNull();
  });

  it('stops when the ringing alert is acknowledged', () => {
    const ringing = makeAlert({ id: 1, type: 'ARREARS_HIT' });
    expect(ringPlan(byId(ringing), false, SUPERVISOR)?.type).toBe('ARREARS_HIT');
    const acked = { ...ringing, status: 'acknowledged' as const, version: 2 };
    expect(ringPlan(byId(acked), false, SUPERVISOR)).toBeNull();
  });

  it('is silent when muted', () => {
    expect(ringPlan(byId(makeAlert({ id: 1 })), true, SUPERVISOR)).toBeNull();
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
    expect(ringPlan(byId(low, critical), false, SUPERVISOR)?.alertId).toBe(2);
    const plan = ringPlan(
      byId(low, critical, escalatedMedium, acknowledgedCritical),
      false,
      SUPERVISOR,
    );
    expect(plan?.alertId).toBe(3);
    expect(plan?.ringing).toBe(3);
    const newer = makeAlert({ id: 5, type: 'INTERLOCK', severity: 'low', lastSeenMs: T0 + 99 });
    expect(ringPlan(byId(low, newer), false, SUPERVISOR)?.type).toBe('INTERLOCK');
  });
});

describe('how it rings', () => {
  it('rings louder and faster when escalated', () => {
    const normal = ringPlan(byId(makeAlert({ id: 1 })), false, SUPERVISOR)!;
    const escalated = ringPlan(byId(makeAlert({ id: 1, escalated: true })), false, SUPERVISOR)!;
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
    const a = ringPlan(byId(makeAlert({ id: 1 })), false, SUPERVISOR);
    const b = ringPlan(
      byId(makeAlert({ id: 1 }), makeAlert({ id: 2, lastSeenMs: T0 + 1 })),
      false,
      SUPERVISOR,
    );
    expect(samePlanSound(a, b)).toBe(true);
    const escalated = ringPlan(byId(makeAlert({ id: 1, escalated: true })), false, SUPERVISOR);
    expect(samePlanSound(a, escalated)).toBe(false);
    expect(samePlanSound(a, null)).toBe(false);
    expect(samePlanSound(null, null)).toBe(true);
  });
});
