/**
 * A one-line summary of what an audit event changed, from its before/after JSON: the fields whose
 * values differ (`status: new → acknowledged`), or what was recorded when there is no before.
 * Pure; times (fields ending in `Ms`) are shown in KST.
 */
import { formatKstDateTime } from '../../lib/format-time';

/** Bookkeeping every change touches; listing them would hide what actually changed. */
const NOISE = new Set(['version', 'updatedMs', 'seq']);
const MAX_VALUE_CHARS = 60;
export const MAX_SUMMARY_CHARS = 240;
const EMPTY = '—';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function formatAuditValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'number' && key.endsWith('Ms')) return formatKstDateTime(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export function auditDiffSummary(before: unknown, after: unknown): string {
  const parts: string[] = [];
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(after)) {
      if (NOISE.has(key) || same(before[key], after[key])) continue;
      if (key in before) {
        parts.push(
          `${key}: ${formatAuditValue(key, before[key])} → ${formatAuditValue(key, after[key])}`,
        );
      } else {
        parts.push(`${key}: ${formatAuditValue(key, after[key])}`);
      }
    }
  } else if (isRecord(after)) {
    for (const [key, value] of Object.entries(after)) {
      if (!NOISE.has(key)) parts.push(`${key}: ${formatAuditValue(key, value)}`);
    }
  } else if (after !== null && after !== undefined) {
    parts.push(formatAuditValue('', after));
  }
  const summary = parts.join(', ');
  return summary.length > MAX_SUMMARY_CHARS
    ? `${summary.slice(0, MAX_SUMMARY_CHARS - 1)}…`
    : summary;
}
