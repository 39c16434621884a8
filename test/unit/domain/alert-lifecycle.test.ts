import { describe, expect, it } from 'vitest';
import {
  ALERT_STATUSES,
  MAX_COMMENTS_PER_ALERT,
  type Alert,
  type AlertCommandName,
  type AlertStatus,
} from '../../../shared/alerts';
import {
  alertAuditView,
  applyCommand,
  canMerge,
  createAlert,
  DEFAULT_ALERT_POLICY,
  escalateIfDue,
  mergeDetection,
  type AnyAlertCommand,
} from '../../../server/domain/alert-lifecycle';
import type { Detection } from '../../../server/domain/alert-rules';

const MIN = 60_000;
const T = Date.UTC(2025, 11, 9, 5, 30);
const policy = DEFAULT_ALERT_POLICY;
const supervisor = { username: 'sup1', role: 'supervisor' as const };
const operator = { username: 'op1', role: 'operator' as const };

const detection = (over: Partial<Detection> = {}): Detection => ({
  sourceId: 'drowsy_drive:D1',
  type: 'DROWSY',
  severity: 'medium',
  atMs: T,
  vehicleKey: 'car:c1',
  carId: 'c1',
  plate: '12가3456',
  position: { lon: 129.06, lat: 35.16 },
  place: {
    dongCode: '2105084',
    dongName: '범천2동',
    districtCode: '21050',
    districtName: '부산진구',
  },
  evidence: { type: 'DROWSY', drowsyId: 'D1', sessionId: 'S1', gazeClosure: 7, headDrop: 0 },
  ...over,
});

const alertIn = (status: AlertStatus, over: Partial<Alert> = {}): Alert => ({
  ...createAlert(detection(), policy, T),
  id: 7,
  seq: 100,
  status,
  version: 3,
  ...over,
});

/** A valid body for each command at version 3. */
const commands: Record<AlertCommandName, AnyAlertCommand> = {
  ack: { name: 'ack', body: { version: 3 } },
  dispatch: { name: 'dispatch', body: { version: 3 } },
  resolve: { name: 'resolve', body: { version: 3, resolution: 'handled', note: '현장 확인' } },
  assign: { name: 'assign', body: { version: 3, username: 'op1' } },
  comment: { name: 'comment', body: { text: '순찰차 이동 중' } },
};

/** Which commands each status allows: the lifecycle `new → acknowledged → dispatched → resolved`. */
const ALLOWED: Record<AlertStatus, AlertCommandName[]> = {
  new: ['ack', 'resolve', 'assign', 'comment'],
  acknowledged: ['dispatch', 'resolve', 'assign', 'comment'],
  dispatched: ['resolve', 'assign', 'comment'],
  resolved: ['comment'],
};

describe('creating an alert', () => {
  it('starts new at version 1 with the deadline of its severity, counted from creation', () => {
    const alert = createAlert(detection({ severity: 'high', atMs: T - 30 * MIN }), policy, T);
    expect(alert).toMatchObject({
      status: 'new',
      version: 1,
      count: 1,
      escalated: false,
      firstSeenMs: T - 30 * MIN,
      createdMs: T,
      deadlineMs: T + 5 * MIN,
      districtName: '부산진구',
      lon: 129.06,
    });
  });
});

describe('lifecycle transitions', () => {
  const cases = ALERT_STATUSES.flatMap((status) =>
    (Object.keys(commands) as AlertCommandName[]).map((name) => [status, name] as const),
  );
  it.each(cases)('from %s, %s', (status, name) => {
    const outcome = applyCommand(alertIn(status), commands[name], supervisor, T + MIN);
    if (ALLOWED[status].includes(name)) {
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.value.alert.version).toBe(4);
      expect(outcome.value.alert.updatedMs).toBe(T + MIN);
    } else {
      expect(outcome).toMatchObject({
        ok: false,
        error: { status: 409, code: 'illegal_transition' },
      });
      if (!outcome.ok) expect(outcome.error.message).toContain(`it is ${status}`);
    }
  });

  it('records who acknowledged, dispatched and resolved, and when', () => {
    const a1 = applyCommand(alertIn('new'), commands.ack, supervisor, T + MIN);
    expect(a1.ok && a1.value.alert).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'sup1',
      acknowledgedAtMs: T + MIN,
    });
    const a2 = applyCommand(alertIn('acknowledged'), commands.dispatch, supervisor, T + 2 * MIN);
    expect(a2.ok && a2.value.alert).toMatchObject({ status: 'dispatched', dispatchedBy: 'sup1' });
    const a3 = applyCommand(alertIn('dispatched'), commands.resolve, supervisor, T + 3 * MIN);
    expect(a3.ok && a3.value.alert).toMatchObject({
      status: 'resolved',
      resolvedBy: 'sup1',
      resolvedAtMs: T + 3 * MIN,
      resolution: 'handled',
      resolutionNote: '현장 확인',
    });
  });

  it('tells a dispatch of a new alert to acknowledge first', () => {
    const outcome = applyCommand(alertIn('new'), commands.dispatch, supervisor, T);
    expect(!outcome.ok && outcome.error.message).toMatch(/acknowledge it first/);
  });
});

describe('versions', () => {
  it('refuses a command made against another version, before looking at the status', () => {
    const outcome = applyCommand(
      alertIn('resolved', { version: 5 }),
      { name: 'ack', body: { version: 3 } },
      supervisor,
      T,
    );
    expect(outcome).toMatchObject({ ok: false, error: { status: 409, code: 'stale_version' } });
    if (!outcome.ok) expect(outcome.error.message).toMatch(/version 5.*version 3/);
  });

  it('of two supervisors acting on the same version, only the first wins', () => {
    const start = alertIn('new');
    const first = applyCommand(start, commands.ack, supervisor, T);
    expect(first.ok).toBe(true);
    const after = first.ok ? first.value.alert : start;
    const second = applyCommand(after, commands.ack, { username: 'sup2', role: 'supervisor' }, T);
    expect(second).toMatchObject({ ok: false, error: { code: 'stale_version' } });
  });

  it('accepts a comment without a version, and checks one when given', () => {
    expect(applyCommand(alertIn('new'), commands.comment, operator, T).ok).toBe(true);
    const stale = applyCommand(
      alertIn('new'),
      { name: 'comment', body: { text: 'x', version: 2 } },
      operator,
      T,
    );
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_version' } });
  });

  it('adds a comment with author and time, and counts it in the alert', () => {
    const alert = alertIn('new');
    const outcome = applyCommand(alert, commands.comment, operator, T + MIN);
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        alert: { commentCount: alert.commentCount + 1, version: alert.version + 1 },
        comment: { alertId: alert.id, by: 'op1', atMs: T + MIN, text: '순찰차 이동 중' },
      },
    });
    expect(outcome.ok && outcome.value.alert).not.toHaveProperty('comments');
  });

  it('refuses a comment past the per-alert cap with 409 and the reason', () => {
    const full = { ...alertIn('new'), commentCount: MAX_COMMENTS_PER_ALERT };
    expect(applyCommand(full, commands.comment, operator, T)).toMatchObject({
      ok: false,
      error: {
        status: 409,
        code: 'conflict',
        message: expect.stringContaining(`${MAX_COMMENTS_PER_ALERT}`),
      },
    });
    const almost = { ...full, commentCount: MAX_COMMENTS_PER_ALERT - 1 };
    expect(applyCommand(almost, commands.comment, operator, T).ok).toBe(true);
  });
});

describe('assigning', () => {
  it('lets an operator claim, not assign others', () => {
    const claim = applyCommand(alertIn('new'), commands.assign, operator, T);
    expect(claim.ok && claim.value.alert.assignee).toBe('op1');
    const other = applyCommand(
      alertIn('new'),
      { name: 'assign', body: { version: 3, username: 'op2' } },
      operator,
      T,
    );
    expect(other).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
  });

  it('treats assigning the current assignee as no change', () => {
    const outcome = applyCommand(alertIn('new', { assignee: 'op1' }), commands.assign, operator, T);
    expect(outcome.ok && outcome.value).toMatchObject({ changed: false, alert: { version: 3 } });
  });
});

describe('merge window', () => {
  const open = alertIn('acknowledged', { lastSeenMs: T, firstSeenMs: T });

  it('merges a repeat of the same vehicle and type inside the window', () => {
    expect(canMerge(open, 'car:c1', detection({ atMs: T + 9 * MIN }), policy)).toBe(true);
    expect(canMerge(open, 'car:c1', detection({ atMs: T + 10 * MIN }), policy)).toBe(true);
  });

  it('does not merge outside the window, another vehicle or type, or into a resolved alert', () => {
    expect(canMerge(open, 'car:c1', detection({ atMs: T + 10 * MIN + 1 }), policy)).toBe(false);
    expect(canMerge(open, 'car:c1', detection({ vehicleKey: 'car:c2' }), policy)).toBe(false);
    expect(canMerge(open, 'car:c1', detection({ type: 'ARREARS_HIT' }), policy)).toBe(false);
    expect(canMerge(alertIn('resolved'), 'car:c1', detection(), policy)).toBe(false);
  });

  it('counts the repeat, moves to the latest position and keeps the higher severity', () => {
    const merged = mergeDetection(
      open,
      detection({
        atMs: T + 4 * MIN,
        severity: 'critical',
        position: { lon: 129.1, lat: 35.2 },
        place: { dongCode: '2', dongName: '우동', districtCode: '21090', districtName: '해운대구' },
      }),
      policy,
      T + 4 * MIN,
    );
    expect(merged).toMatchObject({
      count: 2,
      version: 4,
      lastSeenMs: T + 4 * MIN,
      firstSeenMs: T,
      severity: 'critical',
      lon: 129.1,
      districtName: '해운대구',
      status: 'acknowledged',
      // A worse repeat brings the deadline forward: critical is 2 minutes from creation.
      deadlineMs: T + 2 * MIN,
    });
    const milder = mergeDetection(
      merged,
      detection({ atMs: T + 5 * MIN, severity: 'low' }),
      policy,
      T,
    );
    expect(milder.severity).toBe('critical');
    expect(milder.deadlineMs).toBe(T + 2 * MIN);
  });

  it('keeps the newer position when an older repeat arrives late', () => {
    const merged = mergeDetection(
      open,
      detection({ atMs: T - MIN, position: { lon: 128.9, lat: 35.0 } }),
      policy,
      T,
    );
    expect(merged).toMatchObject({ count: 2, firstSeenMs: T - MIN, lastSeenMs: T, lon: 129.06 });
  });
});

describe('escalation', () => {
  const fresh = createAlert(detection({ severity: 'critical' }), policy, T);

  it('escalates an unacknowledged alert once its deadline passes', () => {
    expect(escalateIfDue(fresh, T + 2 * MIN - 1)).toBeNull();
    const escalated = escalateIfDue(fresh, T + 2 * MIN);
    expect(escalated).toMatchObject({ escalated: true, version: 2, status: 'new' });
    expect(escalateIfDue(escalated!, T + 10 * MIN)).toBeNull();
  });

  it('leaves acknowledged and resolved alerts alone', () => {
    expect(escalateIfDue({ ...fresh, status: 'acknowledged' }, T + 60 * MIN)).toBeNull();
    expect(escalateIfDue({ ...fresh, status: 'resolved' }, T + 60 * MIN)).toBeNull();
  });

  it('uses the configured deadline per severity', () => {
    const custom = {
      ...policy,
      deadlineMs: { ...policy.deadlineMs, low: 45 * MIN },
    };
    const low = createAlert(detection({ severity: 'low' }), custom, T);
    expect(low.deadlineMs).toBe(T + 45 * MIN);
    expect(escalateIfDue(low, T + 44 * MIN)).toBeNull();
    expect(escalateIfDue(low, T + 45 * MIN)?.escalated).toBe(true);
  });
});

describe('audit view', () => {
  it('keeps the lifecycle and leaves out evidence (personal data) and comments', () => {
    const view = alertAuditView({ ...alertIn('new'), commentCount: 1 });
    expect(view).toMatchObject({ id: 7, status: 'new', version: 3, commentCount: 1 });
    expect(view).not.toHaveProperty('evidence');
    expect(view).not.toHaveProperty('comments');
  });
});
