/**
 * The inbox's view of the alerts, as pure functions: which version of an alert wins, the order an
 * operator reads them in, the filters, and the counts per status. No React, no store: tested in
 * Node and shared by the slice, the inbox, the map layer and the sound.
 */
import {
  ALERT_STATUSES,
  SEVERITY_RANK,
  type Alert,
  type AlertStatus,
  type AlertType,
  type Severity,
} from '../../../../shared/alerts';

/** Alerts by id, as the store keeps them. */
export type AlertsById = Readonly<Record<number, Alert>>;

/** `open` is every status but resolved; null is "all". */
export type StatusFilter = AlertStatus | 'open';

export interface AlertFilters {
  type: AlertType | null;
  severity: Severity | null;
  status: StatusFilter | null;
  /** A district (구·군) code such as `21050`. */
  district: string | null;
}

export const NO_FILTERS: AlertFilters = {
  type: null,
  severity: null,
  status: null,
  district: null,
};

/**
 * Whether `incoming` should replace `current`. Versions increase with every change of an alert;
 * the seq (global change order) breaks a tie. Equal is not newer, so a repeat changes nothing.
 * Events can arrive out of order (a command's ack and the broadcast, a catch-up snapshot after a
 * newer `alert`): an older copy never overwrites a newer one.
 */
export function isNewerAlert(incoming: Alert, current: Alert | undefined): boolean {
  if (current === undefined) return true;
  if (incoming.version !== current.version) return incoming.version > current.version;
  return incoming.seq > current.seq;
}

/**
 * Merges alerts into a map, keeping the newer copy of each. Returns the same map object when
 * nothing changed, so subscribers are not woken for a repeat.
 */
export function mergeAlerts(current: AlertsById, incoming: readonly Alert[]): AlertsById {
  let next: Record<number, Alert> | null = null;
  for (const alert of incoming) {
    const existing = (next ?? current)[alert.id];
    if (!isNewerAlert(alert, existing)) continue;
    next ??= { ...current };
    next[alert.id] = alert;
  }
  return next ?? current;
}

/** The highest change seq among the alerts (for the handshake's `lastAlertSeq`). */
export function highestSeq(alerts: readonly Alert[], since: number): number {
  let seq = since;
  for (const alert of alerts) if (alert.seq > seq) seq = alert.seq;
  return seq;
}

export function isOpenAlert(alert: Alert): boolean {
  return alert.status !== 'resolved';
}

/**
 * The inbox order: unresolved first, then the most severe, then the most recently seen (a merged
 * repeat counts as new), then the newest id so the order is total and stable.
 */
export function compareAlerts(a: Alert, b: Alert): number {
  const open = Number(isOpenAlert(b)) - Number(isOpenAlert(a));
  if (open !== 0) return open;
  const severity = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (severity !== 0) return severity;
  if (a.lastSeenMs !== b.lastSeenMs) return b.lastSeenMs - a.lastSeenMs;
  return b.id - a.id;
}

export function matchesStatus(alert: Alert, status: StatusFilter | null): boolean {
  if (status === null) return true;
  if (status === 'open') return isOpenAlert(alert);
  return alert.status === status;
}

/** Every filter but status (the status counts are taken over these). */
function matchesOtherFilters(alert: Alert, filters: AlertFilters): boolean {
  return (
    (filters.type === null || alert.type === filters.type) &&
    (filters.severity === null || alert.severity === filters.severity) &&
    (filters.district === null || alert.districtCode === filters.district)
  );
}

export function matchesFilters(alert: Alert, filters: AlertFilters): boolean {
  return matchesOtherFilters(alert, filters) && matchesStatus(alert, filters.status);
}

/** The alerts the inbox lists, in inbox order. */
export function visibleAlerts(byId: AlertsById, filters: AlertFilters): Alert[] {
  return Object.values(byId)
    .filter((alert) => matchesFilters(alert, filters))
    .sort(compareAlerts);
}

export type StatusCounts = Record<AlertStatus, number>;

/**
 * How many alerts are in each status, under the type, severity and district filters (not the
 * status filter: the counts are what choosing a status would show).
 */
export function countByStatus(byId: AlertsById, filters: AlertFilters = NO_FILTERS): StatusCounts {
  const counts = Object.fromEntries(ALERT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const alert of Object.values(byId)) {
    if (matchesOtherFilters(alert, filters)) counts[alert.status]++;
  }
  return counts;
}

/** The rows the inbox shows while it holds still, and the arrivals it holds back. */
export interface HeldList {
  rows: Alert[];
  /** Alerts the list would now show that it did not show when it stopped (the arrivals bar). */
  arrivals: Alert[];
}

/**
 * The inbox while it holds still (the pointer is in it, an alert is selected): the rows it
 * showed, in the order it showed them, with their current content; rows that left the list
 * (resolved past a status filter, gone) drop out; alerts that joined since are held back, newest
 * order, for the arrivals bar. An arriving alert never pushes the row under the pointer down.
 */
export function holdList(shownIds: readonly number[], sorted: readonly Alert[]): HeldList {
  const current = new Map(sorted.map((alert) => [alert.id, alert]));
  const shown = new Set(shownIds);
  const rows: Alert[] = [];
  for (const id of shownIds) {
    const alert = current.get(id);
    if (alert !== undefined) rows.push(alert);
  }
  return { rows, arrivals: sorted.filter((alert) => !shown.has(alert.id)) };
}

/** The alert `step` rows from `fromId` (the first row when nothing is current), or null. */
export function stepThrough(
  rows: readonly Alert[],
  fromId: number | null,
  step: 1 | -1,
): Alert | null {
  if (rows.length === 0) return null;
  const index = fromId === null ? -1 : rows.findIndex((alert) => alert.id === fromId);
  if (index < 0) return rows[0]!;
  return rows[Math.min(rows.length - 1, Math.max(0, index + step))]!;
}
