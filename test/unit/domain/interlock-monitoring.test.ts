import { describe, expect, it } from 'vitest';
import {
  escalationOf,
  monitoringState,
  type MinorOccurrence,
  type MonitoringPolicy,
} from '../../../server/domain/interlock-monitoring';

const DAY = 86_400_000;
const T = Date.UTC(2025, 11, 9, 5, 30);
const policy: MonitoringPolicy = { repeatCount: 3, windowMs: 30 * DAY };

const minor = (violationId: number, daysAgo: number, events: string[] = []): MinorOccurrence => ({
  violationId,
  occurredMs: T - daysAgo * DAY,
  evidenceEventIds: events,
});

describe('closer monitoring (모니터링 강화)', () => {
  it('one minor violation flags the subject for the window after it', () => {
    const state = monitoringState([minor(1, 2)], null, T, policy);
    expect(state).toEqual({
      flagged: true,
      minorCount: 1,
      countSinceEscalation: 1,
      untilMs: T - 2 * DAY + 30 * DAY,
    });
  });

  it('minors older than the window no longer flag', () => {
    const state = monitoringState([minor(1, 31), minor(2, 40)], null, T, policy);
    expect(state.flagged).toBe(false);
    expect(state.minorCount).toBe(0);
    expect(state.untilMs).toBeNull();
  });

  it('counts since the last escalation, while the window still lists every minor', () => {
    const state = monitoringState([minor(1, 10), minor(2, 8), minor(3, 1)], T - 5 * DAY, T, policy);
    expect(state.minorCount).toBe(3);
    expect(state.countSinceEscalation).toBe(1);
  });
});

describe('a repeated pattern becomes major', () => {
  it('two minors are not a pattern', () => {
    expect(escalationOf('S1', [minor(1, 5), minor(2, 1)], null, T, policy)).toBeNull();
  });

  it('the third minor within the window escalates, keyed by the minor that completed it', () => {
    const got = escalationOf(
      'S1',
      [minor(3, 1, ['e3']), minor(1, 20, ['e1']), minor(2, 10, ['e1', 'e2'])],
      null,
      T,
      policy,
    );
    expect(got).toEqual({
      sourceKey: 'repeated_minor:S1:3',
      occurredMs: T - DAY,
      minorViolationIds: [1, 2, 3],
      evidenceEventIds: ['e1', 'e2', 'e3'],
    });
  });

  it('three minors spread wider than the window do not escalate', () => {
    expect(
      escalationOf('S1', [minor(1, 29), minor(2, 15), minor(3, 35)], null, T, policy),
    ).toBeNull();
  });

  it('after an escalation the same minors never escalate again; three new ones do', () => {
    const minors = [minor(1, 20), minor(2, 10), minor(3, 5)];
    const escalatedAt = T - 5 * DAY;
    expect(escalationOf('S1', minors, escalatedAt, T, policy)).toBeNull();
    const more = [...minors, minor(4, 3), minor(5, 2), minor(6, 1)];
    expect(escalationOf('S1', more, escalatedAt, T, policy)?.sourceKey).toBe('repeated_minor:S1:6');
  });

  it('the count is configurable: one minor is a pattern at count 1', () => {
    const got = escalationOf('device:D9', [minor(7, 0)], null, T, { ...policy, repeatCount: 1 });
    expect(got?.sourceKey).toBe('repeated_minor:device:D9:7');
  });

  it('a check repeated later finds the same key (idempotent across batches and relays)', () => {
    const minors = [minor(1, 3), minor(2, 2), minor(3, 1)];
    const a = escalationOf('S1', minors, null, T, policy);
    const b = escalationOf('S1', [...minors, minor(4, 0)], null, T + 1000, policy);
    expect(b?.sourceKey).toBe(a?.sourceKey);
  });
});
