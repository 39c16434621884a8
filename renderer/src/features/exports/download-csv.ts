/**
 * CSV downloads from the relay's export endpoints. A plain link cannot carry the bearer token, so
 * the file is fetched, held as a blob, and handed to the browser through a temporary link.
 */
import { KST_OFFSET_MS } from '../../../../shared/time';
import { api } from '../../auth/api';
import type { RelayError } from '../../auth/relay-api';

/** Positions in ISO text "YYYY-MM-DDTHH:mm:ss…". */
const ISO_DATE_END = 10;
const ISO_HOUR_START = 11;
const ISO_MINUTE_START = 14;

/** What each export endpoint holds, by the file name the relay serves it under. */
export const CSV_KINDS = { 'alerts.csv': 'alerts', 'audit.csv': 'audit' } as const;
export type CsvKind = (typeof CSV_KINDS)[keyof typeof CSV_KINDS];

/** What an export endpoint (`/api/alerts.csv?…`) holds; null for one this client does not know. */
export function csvKindOf(path: string): CsvKind | null {
  const file = path.split('?')[0]!.split('/').pop() ?? '';
  return (CSV_KINDS as Readonly<Record<string, CsvKind>>)[file] ?? null;
}

/**
 * A file name that says what the file holds and when (KST, to the minute), in the reader's words:
 * `경보_2026-12-05_1432.csv`. Never epoch milliseconds: a person files these by name.
 */
export function csvFileName(what: string, nowMs: number): string {
  const iso = new Date(nowMs + KST_OFFSET_MS).toISOString();
  const date = iso.slice(0, ISO_DATE_END);
  const time =
    iso.slice(ISO_HOUR_START, ISO_HOUR_START + 2) +
    iso.slice(ISO_MINUTE_START, ISO_MINUTE_START + 2);
  // Nothing a file system refuses (a slash, a colon) in the label.
  const label = what.replace(/[\\/:*?"<>|\s]+/g, '-');
  return `${label}_${date}_${time}.csv`;
}

/** `attachment; filename="alerts-1733725800000.csv"` → the name. */
export function filenameFromDisposition(header: string | null): string | null {
  const match = header === null ? null : /filename="?([^";]+)"?/i.exec(header);
  return match?.[1]?.trim() || null;
}

/**
 * Downloads `path` (a relay CSV endpoint) as `fileName` (else the relay's name, else
 * `fallbackName`); resolves with the error, or null when saved.
 */
export async function downloadCsv(
  path: string,
  fallbackName: string,
  fileName: string | null = null,
): Promise<RelayError | null> {
  const result = await api.request(path);
  if (!result.ok) return result.error;
  const blob = await result.value.blob();
  const name = fileName ?? filenameFromDisposition(result.value.headers.get('content-disposition'));
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name ?? fallbackName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the blob to the download; revoking at once can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return null;
}
