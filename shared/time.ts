/**
 * Time helpers shared by relay and client. The upstream pipeline (Flink SQL) writes timestamps
 * without a zone, which mean Asia/Seoul; KST has no daylight saving, so a fixed offset is exact.
 */
export const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
export const KST_TIME_ZONE = 'Asia/Seoul';

const ISO_LOCAL =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Epoch values below this are taken as seconds, above as milliseconds (year 2001 in ms). */
const EPOCH_SECONDS_LIMIT = 1e11;

/**
 * Parses what real pipelines send: ISO text with or without a zone (zone-less = KST), a date,
 * or epoch seconds/milliseconds as a number or numeric string. Returns epoch ms, or null.
 */
export function parseTimestamp(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return epochToMs(Number(text));
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    return Date.UTC(+dateOnly[1]!, +dateOnly[2]! - 1, +dateOnly[3]!) - KST_OFFSET_MS;
  }
  const m = ISO_LOCAL.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, ms);
  if (Number.isNaN(wall)) return null;
  if (+mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31 || +h! > 23 || +mi! > 59 || +s > 60) return null;
  if (zone === undefined) return wall - KST_OFFSET_MS;
  if (zone === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMs = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  return wall - sign * offsetMs;
}

function epochToMs(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  return n < EPOCH_SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n);
}

/** Formats epoch ms as the upstream's zone-less KST text, e.g. `2025-12-09T14:30:00.000`. */
export function formatKstIso(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 23);
}

/** Formats epoch ms as SQL DATETIME(3) text in KST, e.g. `2025-12-09 14:30:00.000`. */
export function formatKstSql(epochMs: number): string {
  return formatKstIso(epochMs).replace('T', ' ');
}
