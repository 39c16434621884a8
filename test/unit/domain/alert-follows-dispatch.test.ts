import { describe, expect, it } from 'vitest';
import { escalateIfDue } from '../../../server/domain/alert-lifecycle';
import {
  alertFollowingDispatch,
  type FollowedDispatch,
} from '../../../server/domain/alert-follows-dispatch';
import type { Alert } from '../../../shared/alerts';
import {
  DISPATCH_STATES,
  MANUAL_OUTCOMES,
  type DispatchState,
  type ManualOutcome,
} from '../../../shared/interlock';
import { makeAlert } from '../renderer/alert-fixtures';

const T = Date.UTC(2025, 11, 9, 5, 30);
const LATER = T + 60 * 60_000;
const CASE = 'TCS-20251209-000042';

const interlockAlert = (over: Partial<Alert> = {}): Alert =>
  makeAlert({
    id: 11,
    type: 'INTERLOCK',
    severity: 'high',
    version: 3,
    deadlineMs: T + 5 * 60_000,
    evidence: {
      type: 'INTERLOCK',
      violationId: '7',
      deviceId: 'D1',
      rule: 'alcohol_start',
      bac: 0.08,
    },
    ...over,
  });

function dispatch(
  state: DispatchState,
  manualOutcome: ManualOutcome | null = null,
  over: Partial<FollowedDispatch> = {},
): FollowedDispatch {
  const filed = state === 'accepted' || manualOutcome === 'filed_manually';
  return {
    id: 5,
    state,
    caseNumber: filed ? CASE : null,
    requestedBy: 'op1',
    approvedBy: state === 'requested' ? null : 'sup1',
    manualOutcome: state === 'manual' ? manualOutcome : null,
    manualBy: manualOutcome ? 'sup2' : null,
    manualNote: manualOutcome ? '측정 오류' : null,
    ...over,
  };
}

/** Every state a hand-off can be in, with each way a person can end it. */
const EVERY_DISPATCH: readonly FollowedDispatch[] = [
  ...DISPATCH_STATES.map((s) => dispatch(s)),
  ...MANUAL_OUTCOMES.map((o) => dispatch('manual', o)),
];

/** What the new alert becomes for each of them. */
function expected(d: FollowedDispatch) {
  if (d.state === 'accepted' || d.manualOutcome === 'filed_manually') {
    return { status: 'dispatched', tcsCaseNumber: CASE, resolution: null };
  }
  if (d.manualOutcome === 'withdrawn') {
    return { status: 'resolved', tcsCaseNumber: undefined, resolution: 'handled' };
  }
  if (d.manualOutcome === 'duplicate') {
    return { status: 'resolved', tcsCaseNumber: undefined, resolution: 'duplicate' };
  }
  return { status: 'acknowledged', tcsCaseNumber: undefined, resolution: null };
}

describe('an INTERLOCK alert follows its hand-off', () => {
  it.each(
    EVERY_DISPATCH.map((d) => [`${d.state}${d.manualOutcome ? `/${d.manualOutcome}` : ''}`, d]),
  )('a new alert, hand-off %s', (_name, d) => {
    const following = alertFollowingDispatch(interlockAlert(), d, LATER);
    const want = expected(d);
    expect(following).not.toBeNull();
    const alert = following!.alert;
    expect(alert).toMatchObject({
      status: want.status,
      resolution: want.resolution,
      version: 4,
      updatedMs: LATER,
    });
    expect(alert.evidence.type === 'INTERLOCK' && alert.evidence.tcsCaseNumber).toBe(
      want.tcsCaseNumber ?? undefined,
    );
    // Whatever the state, the escalation clock no longer runs.
    expect(escalateIfDue(alert, LATER + 24 * 60 * 60_000)).toBeNull();
  });

  it('stops the clock with the requester as acknowledger while the hand-off is under way', () => {
    const following = alertFollowingDispatch(interlockAlert(), dispatch('requested'), LATER);
    expect(following).toMatchObject({
      action: 'alert.ack',
      alert: { status: 'acknowledged', acknowledgedBy: 'op1', acknowledgedAtMs: LATER },
    });
    // Once acknowledged, approving, sending, retrying and waiting for a person change nothing.
    const acknowledged = following!.alert;
    for (const state of ['queued', 'sending', 'retry_wait', 'rejected', 'manual'] as const) {
      expect(alertFollowingDispatch(acknowledged, dispatch(state), LATER), state).toBeNull();
    }
  });

  it('marks it dispatched with the case number when TCS accepts, or a person filed it', () => {
    const accepted = alertFollowingDispatch(interlockAlert(), dispatch('accepted'), LATER);
    expect(accepted).toMatchObject({
      action: 'alert.dispatch',
      alert: {
        status: 'dispatched',
        dispatchedBy: 'sup1',
        dispatchedAtMs: LATER,
        acknowledgedBy: 'sup1',
        evidence: { tcsCaseNumber: CASE },
      },
    });
    const filed = alertFollowingDispatch(
      interlockAlert({ status: 'acknowledged', acknowledgedBy: 'op1', acknowledgedAtMs: T }),
      dispatch('manual', 'filed_manually', { caseNumber: 'TCS-PHONE-1' }),
      LATER,
    );
    expect(filed?.alert).toMatchObject({
      status: 'dispatched',
      dispatchedBy: 'sup2',
      acknowledgedBy: 'op1',
      evidence: { tcsCaseNumber: 'TCS-PHONE-1' },
    });
    // Told twice (another relay's delivery), nothing changes the second time.
    expect(
      alertFollowingDispatch(
        filed!.alert,
        dispatch('manual', 'filed_manually', { caseNumber: 'TCS-PHONE-1' }),
        LATER,
      ),
    ).toBeNull();
  });

  it('resolves it with the reason when a person withdraws it or finds it a duplicate', () => {
    const withdrawn = alertFollowingDispatch(
      interlockAlert(),
      dispatch('manual', 'withdrawn'),
      LATER,
    );
    expect(withdrawn).toMatchObject({
      action: 'alert.resolve',
      alert: {
        status: 'resolved',
        resolution: 'handled',
        resolvedBy: 'sup2',
        resolutionNote: 'TCS 이관 철회: 측정 오류',
      },
    });
    const duplicate = alertFollowingDispatch(
      interlockAlert({ status: 'dispatched' }),
      dispatch('manual', 'duplicate', { manualNote: null }),
      LATER,
    );
    expect(duplicate?.alert).toMatchObject({
      resolution: 'duplicate',
      resolutionNote: 'TCS 중복 사건',
    });
  });

  it('never reopens a resolved alert, nor moves a dispatched one back', () => {
    const resolved = interlockAlert({ status: 'resolved', resolution: 'false_alarm' });
    for (const d of EVERY_DISPATCH) expect(alertFollowingDispatch(resolved, d, LATER)).toBeNull();
    const dispatched = interlockAlert({ status: 'dispatched' });
    for (const state of ['requested', 'queued', 'sending', 'retry_wait', 'rejected'] as const) {
      expect(alertFollowingDispatch(dispatched, dispatch(state), LATER)).toBeNull();
    }
  });
});
