/**
 * The client's view of interlock violations and TCS hand-offs, as pure functions: which copy of a
 * record wins, the order people read them in, the filters, the counts, and which hand-off
 * commands make sense in a state. No React, no store: tested in Node and shared by the slice,
 * the panels and the map layer.
 */
import {
  PENDING_DISPATCH_STATES,
  type Dispatch,
  type Violation,
  type ViolationGrade,
  type ViolationRule,
  type ViolationStatus,
} from '../../../../shared/interlock';

export type ViolationsById = Readonly<Record<number, Violation>>;
export type DispatchesById = Readonly<Record<number, Dispatch>>;

/**
 * Merges records into a map by id, keeping the higher version of each (events can arrive out of
 * order: a command's answer and the broadcast, a snapshot after a newer upsert). Equal is not
 * newer. Returns the same map object when nothing changed, so subscribers are not woken.
 */
export function mergeByVersion<T extends { id: number; version: number }>(
  current: Readonly<Record<number, T>>,
  incoming: readonly T[],
): Readonly<Record<number, T>> {
  let next: Record<number, T> | null = null;
  for (const item of incoming) {
    const existing = (next ?? current)[item.id];
    if (existing !== undefined && existing.version >= item.version) continue;
    next ??= { ...current };
    next[item.id] = item;
  }
  return next ?? current;
}

// ── Violations ─────────────────────────────────────────────────────────────────────────────────

export interface ViolationFilters {
  grade: ViolationGrade | null;
  status: ViolationStatus | null;
  rule: ViolationRule | null;
}

export const NO_VIOLATION_FILTERS: ViolationFilters = { grade: null, status: null, rule: null };

/** A major violation nobody has finished with: open, or its hand-off under way. */
export function needsAttention(v: Violation): boolean {
  return v.grade === 'major' && (v.status === 'open' || v.status === 'dispatching');
}

/**
 * The panel order: major violations still needing attention first (open before dispatching),
 * then everything else; within each, the newest occurrence first, then the newest id.
 */
export function compareViolations(a: Violation, b: Violation): number {
  const rank = (v: Violation): number => (!needsAttention(v) ? 2 : v.status === 'open' ? 0 : 1);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.occurredMs !== b.occurredMs) return b.occurredMs - a.occurredMs;
  return b.id - a.id;
}

export function matchesViolationFilters(v: Violation, filters: ViolationFilters): boolean {
  return (
    (filters.grade === null || v.grade === filters.grade) &&
    (filters.status === null || v.status === filters.status) &&
    (filters.rule === null || v.rule === filters.rule)
  );
}

export function visibleViolations(byId: ViolationsById, filters: ViolationFilters): Violation[] {
  return Object.values(byId)
    .filter((v) => matchesViolationFilters(v, filters))
    .sort(compareViolations);
}

/** Major violations nobody has asked TCS about yet (the header badge). */
export function countOpenMajor(byId: ViolationsById): number {
  let n = 0;
  for (const v of Object.values(byId)) if (v.grade === 'major' && v.status === 'open') n++;
  return n;
}

// ── Hand-offs ──────────────────────────────────────────────────────────────────────────────────

export function isPendingDispatch(d: Pick<Dispatch, 'state'>): boolean {
  return PENDING_DISPATCH_STATES.includes(d.state);
}

/**
 * The TCS panel order: hand-offs waiting for a person first (rejected, exhausted, or requested
 * and waiting for approval), then those under way, then the finished; newest first within each.
 */
export function compareDispatches(a: Dispatch, b: Dispatch): number {
  const rank = (d: Dispatch): number =>
    d.awaitingPerson || d.state === 'requested' ? 0 : isPendingDispatch(d) ? 1 : 2;
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.requestedMs !== b.requestedMs) return b.requestedMs - a.requestedMs;
  return b.id - a.id;
}

export function sortedDispatches(byId: DispatchesById): Dispatch[] {
  return Object.values(byId).sort(compareDispatches);
}

/** Hand-offs a supervisor must act on: approvals and ones handed back to people. */
export function countNeedingSupervisor(byId: DispatchesById): number {
  let n = 0;
  for (const d of Object.values(byId)) if (d.awaitingPerson || d.state === 'requested') n++;
  return n;
}

export type DispatchCommand = 'approve' | 'retry' | 'takeover';

/**
 * The commands the relay's state machine accepts in this state (server/domain/tcs-dispatch.ts
 * decides; this only decides which buttons are worth showing enabled):
 * approve a requested one; retry one waiting, rejected or exhausted; take over anything not
 * in flight and not finished.
 */
export function possibleCommands(d: Pick<Dispatch, 'state' | 'manualOutcome'>): DispatchCommand[] {
  const finished = d.state === 'accepted' || (d.state === 'manual' && d.manualOutcome !== null);
  const exhausted = d.state === 'manual' && d.manualOutcome === null;
  const commands: DispatchCommand[] = [];
  if (d.state === 'requested') commands.push('approve');
  if (d.state === 'retry_wait' || d.state === 'rejected' || exhausted) commands.push('retry');
  if (!finished && d.state !== 'sending') commands.push('takeover');
  return commands;
}

/** The hand-off of a violation, when the client holds it. */
export function dispatchOfViolation(
  dispatches: DispatchesById,
  violation: Pick<Violation, 'id' | 'dispatchId'>,
): Dispatch | undefined {
  if (violation.dispatchId !== null) {
    const byId = dispatches[violation.dispatchId];
    if (byId !== undefined) return byId;
  }
  return Object.values(dispatches).find((d) => d.violationId === violation.id);
}

// ── Numbers ────────────────────────────────────────────────────────────────────────────────────

/** A 0–1 ratio as a percentage with one decimal (`0.995` → `99.5%`); the KPI is 99%. */
export function formatRate(ratio: number): string {
  // Rounded down (and past float noise): 98.96% must not show as the 99.0% it missed.
  return `${(Math.floor(ratio * 1000 + 1e-9) / 10).toFixed(1)}%`;
}
