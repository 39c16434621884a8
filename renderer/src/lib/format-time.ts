import { KST_OFFSET_MS } from '../../../shared/time';

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
/** ISO text "YYYY-MM-DDTHH:mm:ss.sssZ": the clock time sits at these offsets. */
const ISO_TIME_START = 11;
const ISO_TIME_END = 19;

/**
 * Epoch ms as KST wall-clock time "HH:mm:ss". KST has no daylight saving, so a fixed offset is
 * exact and independent of the machine's time zone and ICU data.
 */
export function formatKstTime(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(ISO_TIME_START, ISO_TIME_END);
}

export type AgeUnit = 'justNow' | 'seconds' | 'minutes' | 'hours';

/** Splits an age into the unit an operator reads at a glance ("3초 전", "2분 전"). */
export function ageParts(ageMs: number): { unit: AgeUnit; count: number } {
  const seconds = Math.max(0, Math.floor(ageMs / MS_PER_SECOND));
  if (seconds < 1) return { unit: 'justNow', count: 0 };
  if (seconds < SECONDS_PER_MINUTE) return { unit: 'seconds', count: seconds };
  const minutes = Math.floor(seconds / SECONDS_PER_MINUTE);
  if (minutes < MINUTES_PER_HOUR) return { unit: 'minutes', count: minutes };
  return { unit: 'hours', count: Math.floor(minutes / MINUTES_PER_HOUR) };
}

/** ISO text "YYYY-MM-DDTHH:mm:ss": the date and time end here. */
const ISO_DATE_END = 10;

/** Epoch ms as KST "YYYY-MM-DD HH:mm:ss" (audit rows, timelines across days). */
export function formatKstDateTime(epochMs: number): string {
  const iso = new Date(epochMs + KST_OFFSET_MS).toISOString();
  return `${iso.slice(0, ISO_DATE_END)} ${iso.slice(ISO_TIME_START, ISO_TIME_END)}`;
}

/** KST "HH:mm:ss" today, "YYYY-MM-DD HH:mm:ss" on another day: short where it is unambiguous. */
export function formatKstMoment(epochMs: number, nowMs: number): string {
  const day = (ms: number) => new Date(ms + KST_OFFSET_MS).toISOString().slice(0, ISO_DATE_END);
  return day(epochMs) === day(nowMs) ? formatKstTime(epochMs) : formatKstDateTime(epochMs);
}
