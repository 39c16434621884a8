/**
 * Status words that agree everywhere (issue 17): a violation's words follow its hand-off — it
 * is not "being handed to TCS" before a supervisor approved it — and the TCS panel asks for
 * action only from someone who may take it (an operator sees that a supervisor's decision is
 * pending, not "action needed"). Pure: they return the i18n key's last part; the views translate.
 */
import {
  VIOLATION_RULES,
  type Dispatch,
  type ViolationRule,
  type ViolationStatus,
} from '../../../../shared/interlock';

/** `interlock.status.<label>`: the violation's status, or, while its hand-off waits, that wait. */
export type ViolationStatusLabel = ViolationStatus | 'awaiting_approval';

export function violationStatusLabel(
  status: ViolationStatus,
  dispatch: Pick<Dispatch, 'state'> | undefined,
): ViolationStatusLabel {
  // Without the hand-off at hand nothing says it was approved: say only what is known (requested).
  if (status === 'dispatching' && (dispatch === undefined || dispatch.state === 'requested')) {
    return 'awaiting_approval';
  }
  return status;
}

/**
 * `tcs.attention.<label>`: why a hand-off row stands out, for the reader's role — `act` for a
 * role that may approve, retry and take over; for the others who it waits for.
 */
export type DispatchAttention = 'act' | 'awaiting_approval' | 'awaiting_supervisor';

export function dispatchAttention(
  dispatch: Pick<Dispatch, 'state' | 'awaitingPerson'>,
  mayAct: boolean,
): DispatchAttention | null {
  const requested = dispatch.state === 'requested';
  if (!requested && !dispatch.awaitingPerson) return null;
  if (mayAct) return 'act';
  return requested ? 'awaiting_approval' : 'awaiting_supervisor';
}

/**
 * The words of a violation rule (`interlock.rule.<rule>`), for places that carry the rule as text
 * (an INTERLOCK alert's evidence): the raw code (`alcohol_retest`) never reaches a person. A rule
 * this client does not know yet is null, and the caller shows it as written.
 */
export function ruleLabelKey(rule: string | null): `interlock.rule.${ViolationRule}` | null {
  return rule !== null && (VIOLATION_RULES as readonly string[]).includes(rule)
    ? `interlock.rule.${rule as ViolationRule}`
    : null;
}
