/**
 * Closer monitoring (모니터링 강화, seed 001 P-03) as this product reads it: every anomaly raises a
 * warning; a minor violation puts its subject under closer monitoring for a window (flagged,
 * listed and counted on the registry screen); when minor violations repeat — `repeatCount` of them
 * within `windowMs` — the pattern is raised to one major violation (`repeated_minor`), which goes
 * to the inbox and may be handed to TCS like any major one. After an escalation the count starts
 * again, so the same minors never escalate twice. Pure: violations and times in, a decision out.
 */

export interface MonitoringPolicy {
  /** Minor violations within the window that make a pattern. */
  repeatCount: number;
  windowMs: number;
}

export const DEFAULT_MONITORING_REPEAT_COUNT = 3;
export const DEFAULT_MONITORING_WINDOW_DAYS = 30;

/** A minor violation of one subject (or one device when no subject is on record). */
export interface MinorOccurrence {
  violationId: number;
  occurredMs: number;
  evidenceEventIds: readonly string[];
}

export interface MonitoringState {
  /** Under closer monitoring: at least one minor violation inside the window. */
  flagged: boolean;
  /** Minor violations inside the window (all of them, escalated or not). */
  minorCount: number;
  /** Minor violations inside the window since the last escalation: the pattern's count. */
  countSinceEscalation: number;
  /** When closer monitoring ends if nothing else happens; null when not flagged. */
  untilMs: number | null;
}

/** Minors counted at `nowMs`: inside the window, and not before a previous escalation. */
function counted(
  minors: readonly MinorOccurrence[],
  lastEscalationMs: number | null,
  nowMs: number,
  policy: MonitoringPolicy,
): MinorOccurrence[] {
  const from = nowMs - policy.windowMs;
  return minors.filter(
    (m) =>
      m.occurredMs > from &&
      m.occurredMs <= nowMs &&
      (lastEscalationMs === null || m.occurredMs > lastEscalationMs),
  );
}

export function monitoringState(
  minors: readonly MinorOccurrence[],
  lastEscalationMs: number | null,
  nowMs: number,
  policy: MonitoringPolicy,
): MonitoringState {
  const from = nowMs - policy.windowMs;
  const inWindow = minors.filter((m) => m.occurredMs > from && m.occurredMs <= nowMs);
  const latest = inWindow.reduce<number | null>(
    (max, m) => (max === null || m.occurredMs > max ? m.occurredMs : max),
    null,
  );
  return {
    flagged: inWindow.length > 0,
    minorCount: inWindow.length,
    countSinceEscalation: counted(minors, lastEscalationMs, nowMs, policy).length,
    untilMs: latest === null ? null : latest + policy.windowMs,
  };
}

/** The major violation a repeated pattern becomes. */
export interface Escalation {
  /** Unique per pattern: the subject (or device) and the minor that completed it. */
  sourceKey: string;
  occurredMs: number;
  /** The minors that make the pattern, oldest first. */
  minorViolationIds: number[];
  evidenceEventIds: string[];
}

/**
 * Whether the minors of `key` (a subject id, or `device:<id>`) make a pattern at `nowMs`. The
 * escalation happens at the minor that completed the pattern; its source key names that minor, so
 * a check repeated (another batch, another relay) finds the same key.
 */
export function escalationOf(
  key: string,
  minors: readonly MinorOccurrence[],
  lastEscalationMs: number | null,
  nowMs: number,
  policy: MonitoringPolicy,
): Escalation | null {
  const pattern = counted(minors, lastEscalationMs, nowMs, policy).sort(
    (a, b) => a.occurredMs - b.occurredMs || a.violationId - b.violationId,
  );
  if (pattern.length < policy.repeatCount) return null;
  // The first `repeatCount` make the pattern; later ones belong to the next count.
  const made = pattern.slice(0, policy.repeatCount);
  const last = made[made.length - 1]!;
  return {
    sourceKey: `repeated_minor:${key}:${last.violationId}`,
    occurredMs: last.occurredMs,
    minorViolationIds: made.map((m) => m.violationId),
    evidenceEventIds: [...new Set(made.flatMap((m) => m.evidenceEventIds))],
  };
}
