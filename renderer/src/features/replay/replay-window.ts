/** Pure helpers of the time bar: where a moment sits on it, the alerts to mark, typed times. */
import type { Alert } from '../../../../shared/alerts';
import { KST_OFFSET_MS } from '../../../../shared/time';

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
/** "Replay from here" opens this long before the alert, so the minutes leading to it are seen. */
export const REPLAY_LEAD_MS = 2 * MS_PER_MINUTE;

/** A moment's place on the bar, 0 (oldest) to 1 (newest). */
export function fractionOf(atMs: number, oldestMs: number, newestMs: number): number {
  if (newestMs <= oldestMs) return 1;
  return Math.min(1, Math.max(0, (atMs - oldestMs) / (newestMs - oldestMs)));
}

export interface AlertTick {
  id: number;
  atMs: number;
  severity: Alert['severity'];
}

/** Alerts first seen inside the bar's window, oldest first. */
export function alertTicks(
  alerts: Iterable<Alert>,
  oldestMs: number,
  newestMs: number,
): AlertTick[] {
  const ticks: AlertTick[] = [];
  for (const alert of alerts) {
    if (alert.firstSeenMs < oldestMs || alert.firstSeenMs > newestMs) continue;
    ticks.push({ id: alert.id, atMs: alert.firstSeenMs, severity: alert.severity });
  }
  return ticks.sort((a, b) => a.atMs - b.atMs);
}

/** Whether an alert was open at a replayed moment: seen by then and not yet resolved. */
export function openAt(alert: Alert, atMs: number): boolean {
  return alert.firstSeenMs <= atMs && (alert.resolvedAtMs === null || alert.resolvedAtMs > atMs);
}

/**
 * A KST wall-clock time typed as "HH:mm" or "HH:mm:ss" as the latest such moment at or before
 * `nowMs` (so "14:32" typed at 09:00 means yesterday's 14:32); null when the text is no time.
 */
export function kstTimeToEpoch(text: string, nowMs: number): number | null {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const kstNow = nowMs + KST_OFFSET_MS;
  const dayStart = kstNow - (((kstNow % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
  let kst = dayStart + ((hours * 60 + minutes) * 60 + seconds) * 1000;
  if (kst > kstNow) kst -= MS_PER_DAY;
  return kst - KST_OFFSET_MS;
}
