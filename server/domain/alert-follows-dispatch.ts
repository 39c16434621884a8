/**
 * An INTERLOCK alert follows its TCS hand-off (issue 17): once people work the violation through
 * TCS, the inbox must stop treating its alert as untouched. One rule for every dispatch state:
 * - requested, queued, sending, retry_wait, rejected, exhausted (`manual` without an outcome):
 *   someone is working it, so the escalation clock stops (a `new` alert becomes acknowledged by
 *   whoever asked; an alert further along is left as it is);
 * - accepted, or taken over as `filed_manually`: dispatched, carrying the TCS case number;
 * - taken over as `withdrawn` or `duplicate`: resolved, with that reason.
 *
 * Pure: the caller writes the result (as `system`, audited) in the hand-off's own transaction.
 */
import type { Alert, InterlockEvidence, Resolution } from '../../shared/alerts';
import type { AuditAction } from '../../shared/audit';
import type { Dispatch, ManualOutcome } from '../../shared/interlock';

export type FollowedDispatch = Pick<
  Dispatch,
  | 'id'
  | 'state'
  | 'caseNumber'
  | 'requestedBy'
  | 'approvedBy'
  | 'manualOutcome'
  | 'manualBy'
  | 'manualNote'
>;

/** The alert after it followed the hand-off, and the audit action that says what happened. */
export interface AlertFollowing {
  alert: Alert;
  action: Extract<AuditAction, 'alert.ack' | 'alert.dispatch' | 'alert.resolve'>;
}

/**
 * How a taken-back hand-off resolves its alert. A withdrawal is a person's decision not to file
 * (the reading may still be right), so it is `handled`, not `false_alarm`; the note says which.
 */
const RESOLUTION_OF_TAKEBACK: Readonly<
  Record<Exclude<ManualOutcome, 'filed_manually'>, Resolution>
> = {
  withdrawn: 'handled',
  duplicate: 'duplicate',
};

const TAKEBACK_NOTE_KO: Readonly<Record<Exclude<ManualOutcome, 'filed_manually'>, string>> = {
  withdrawn: 'TCS 이관 철회',
  duplicate: 'TCS 중복 사건',
};

function withCaseNumber(alert: Alert, caseNumber: string | null): Alert['evidence'] {
  if (alert.evidence.type !== 'INTERLOCK') return alert.evidence;
  const evidence: InterlockEvidence = { ...alert.evidence, tcsCaseNumber: caseNumber };
  return evidence;
}

/**
 * The change the alert makes for this hand-off state, or null when it already agrees (a
 * resolved alert is never reopened; an alert a person moved further along is not moved back).
 */
export function alertFollowingDispatch(
  alert: Alert,
  d: FollowedDispatch,
  nowMs: number,
): AlertFollowing | null {
  if (alert.status === 'resolved') return null;
  const next: Alert = { ...alert, version: alert.version + 1, updatedMs: nowMs };
  const caseFiled =
    d.state === 'accepted' || (d.state === 'manual' && d.manualOutcome === 'filed_manually');
  if (caseFiled) {
    const current = alert.evidence.type === 'INTERLOCK' ? alert.evidence.tcsCaseNumber : null;
    if (alert.status === 'dispatched' && (current ?? null) === d.caseNumber) return null;
    const by = d.state === 'accepted' ? (d.approvedBy ?? d.requestedBy) : (d.manualBy ?? null);
    return {
      action: 'alert.dispatch',
      alert: {
        ...next,
        status: 'dispatched',
        acknowledgedBy: alert.acknowledgedBy ?? by,
        acknowledgedAtMs: alert.acknowledgedAtMs ?? nowMs,
        dispatchedBy: by,
        dispatchedAtMs: nowMs,
        evidence: withCaseNumber(alert, d.caseNumber),
      },
    };
  }
  const outcome = d.state === 'manual' ? d.manualOutcome : null;
  if (outcome === 'withdrawn' || outcome === 'duplicate') {
    const reason = TAKEBACK_NOTE_KO[outcome];
    return {
      action: 'alert.resolve',
      alert: {
        ...next,
        status: 'resolved',
        resolvedBy: d.manualBy,
        resolvedAtMs: nowMs,
        resolution: RESOLUTION_OF_TAKEBACK[outcome],
        resolutionNote: d.manualNote ? `${reason}: ${d.manualNote}` : reason,
      },
    };
  }
  // Requested, on its way, or waiting for a person: it is being worked, the clock stops.
  if (alert.status !== 'new') return null;
  return {
    action: 'alert.ack',
    alert: {
      ...next,
      status: 'acknowledged',
      acknowledgedBy: d.requestedBy,
      acknowledgedAtMs: nowMs,
    },
  };
}
