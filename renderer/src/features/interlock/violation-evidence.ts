/**
 * The evidence timeline of a violation and the history of its hand-off, as plain entries for the
 * detail view. Pure: tested in Node.
 *
 * The violation payload names its device events only by id (`evidenceEventIds`); their time, BAC
 * and type are not sent separately. Each rule comes from exactly one kind of event
 * (server/domain/interlock-rules.ts), at the violation's time and with its reading, so the entry
 * is rebuilt from the violation itself.
 */
import type {
  Dispatch,
  DispatchAttempt,
  ManualOutcome,
  Violation,
  ViolationRule,
} from '../../../../shared/interlock';

export type EvidenceEventKind =
  | 'start_test'
  | 'rolling_retest'
  | 'tamper'
  | 'bypass'
  | 'power_cut'
  | 'calibration_overdue'
  | 'log_overdue'
  | 'repeated_minor';

export type EvidenceResult = 'overLimit' | 'fail' | 'missed' | 'detected' | 'overdue';

export interface EvidenceEntry {
  /** The device event id, or null for an overdue date (no event shows it). */
  eventId: string | null;
  atMs: number;
  kind: EvidenceEventKind;
  /** % BAC, for the alcohol rules with a reading. */
  bac: number | null;
  result: EvidenceResult;
}

const KIND_OF_RULE: Readonly<Record<ViolationRule, EvidenceEventKind>> = {
  alcohol_start: 'start_test',
  alcohol_retest: 'rolling_retest',
  retest_missed: 'rolling_retest',
  tamper: 'tamper',
  bypass: 'bypass',
  power_cut: 'power_cut',
  calibration_overdue: 'calibration_overdue',
  log_overdue: 'log_overdue',
  repeated_minor: 'repeated_minor',
};

function resultOf(v: Pick<Violation, 'rule' | 'bac'>): EvidenceResult {
  switch (v.rule) {
    case 'alcohol_start':
    case 'alcohol_retest':
      // A reading at or over the limit; without one, the device's own verdict was "fail".
      return v.bac === null ? 'fail' : 'overLimit';
    case 'retest_missed':
      return 'missed';
    case 'calibration_overdue':
    case 'log_overdue':
      return 'overdue';
    default:
      return 'detected';
  }
}

export function evidenceEntries(
  v: Pick<Violation, 'rule' | 'bac' | 'occurredMs' | 'evidenceEventIds'>,
): EvidenceEntry[] {
  const base = { atMs: v.occurredMs, kind: KIND_OF_RULE[v.rule], bac: v.bac, result: resultOf(v) };
  if (v.evidenceEventIds.length === 0) return [{ ...base, eventId: null }];
  return v.evidenceEventIds.map((eventId) => ({ ...base, eventId }));
}

export type HandoffStep =
  | { kind: 'requested'; atMs: number; by: string; note: string | null }
  | { kind: 'approved'; atMs: number; by: string }
  | { kind: 'attempt'; atMs: number; attempt: DispatchAttempt }
  | { kind: 'manual'; atMs: number; by: string; outcome: ManualOutcome; note: string | null };

/** What happened to a hand-off, oldest first: request, approval, each attempt, a takeover. */
export function handoffSteps(d: Dispatch): HandoffStep[] {
  const steps: HandoffStep[] = [
    { kind: 'requested', atMs: d.requestedMs, by: d.requestedBy, note: d.requestNote },
  ];
  if (d.approvedBy !== null && d.approvedMs !== null) {
    steps.push({ kind: 'approved', atMs: d.approvedMs, by: d.approvedBy });
  }
  for (const attempt of d.attemptLog) {
    steps.push({ kind: 'attempt', atMs: attempt.startedMs, attempt });
  }
  if (d.manualOutcome !== null && d.manualBy !== null && d.manualMs !== null) {
    steps.push({
      kind: 'manual',
      atMs: d.manualMs,
      by: d.manualBy,
      outcome: d.manualOutcome,
      note: d.manualNote,
    });
  }
  return steps.sort((a, b) => a.atMs - b.atMs);
}
