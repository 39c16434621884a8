/**
 * The figures walls show, as pure functions of the alerts the relay sent (open ones and those
 * resolved in the last 24 h, see shared/events.ts `alerts`) and the time. Tested in Node.
 */
import { ALERT_TYPES, SEVERITY_RANK, type Alert, type AlertType } from '../../../shared/alerts';
import { KST_OFFSET_MS } from '../../../shared/time';
import { isOpenAlert, type AlertsById } from '../features/alerts/alert-list';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Epoch ms of the KST midnight that started the day `epochMs` is in. */
export function kstDayStart(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / MS_PER_DAY) * MS_PER_DAY - KST_OFFSET_MS;
}

/** Waiting for a person and past its deadline: what a wall flashes. */
export function isOverdue(alert: Alert): boolean {
  return alert.escalated && alert.status === 'new';
}

/**
 * The alert board's order: overdue first (someone must act now), then the most severe, then the
 * most recently seen, then the newest id (a total order, so rows do not swap on a tie).
 */
export function compareForBoard(a: Alert, b: Alert): number {
  const overdue = Number(isOverdue(b)) - Number(isOverdue(a));
  if (overdue !== 0) return overdue;
  const severity = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (severity !== 0) return severity;
  if (a.lastSeenMs !== b.lastSeenMs) return b.lastSeenMs - a.lastSeenMs;
  return b.id - a.id;
}

/** The open alerts a board has room for, in board order. */
export function boardAlerts(byId: AlertsById, limit: number): Alert[] {
  return Object.values(byId).filter(isOpenAlert).sort(compareForBoard).slice(0, limit);
}

export interface KioskFigures {
  /** Open alerts nobody acknowledged yet (status `new`). */
  unacknowledged: number;
  /** Age of the oldest of those in ms, or null when there are none. */
  oldestUnacknowledgedMs: number | null;
  /** Unacknowledged past their deadline. */
  overdue: number;
  /** Alerts the relay raised since KST midnight, per type (merged repeats count once). */
  todayByType: Record<AlertType, number>;
  todayTotal: number;
}

export function kioskFigures(byId: AlertsById, nowMs: number): KioskFigures {
  const dayStart = kstDayStart(nowMs);
  const todayByType = Object.fromEntries(ALERT_TYPES.map((t) => [t, 0])) as Record<
    AlertType,
    number
  >;
  let todayTotal = 0;
  let unacknowledged = 0;
  let overdue = 0;
  let oldest: number | null = null;
  for (const alert of Object.values(byId)) {
    if (alert.createdMs >= dayStart) {
      todayByType[alert.type]++;
      todayTotal++;
    }
    if (alert.status !== 'new') continue;
    unacknowledged++;
    if (alert.escalated) overdue++;
    if (oldest === null || alert.createdMs < oldest) oldest = alert.createdMs;
  }
  return {
    unacknowledged,
    oldestUnacknowledgedMs: oldest === null ? null : Math.max(0, nowMs - oldest),
    overdue,
    todayByType,
    todayTotal,
  };
}
