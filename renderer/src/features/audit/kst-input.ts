/**
 * `<input type="datetime-local">` values read as KST wall-clock time, whatever the machine's zone:
 * the control room works in Seoul time, and the audit's filters must mean the same moment for a
 * supervisor in any office.
 */
import { KST_OFFSET_MS } from '../../../../shared/time';

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/u;

/** Epoch ms of a `YYYY-MM-DDTHH:mm` KST value, or null when empty or not such a value. */
export function kstInputToMs(value: string): number | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  return (
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) -
    KST_OFFSET_MS
  );
}
