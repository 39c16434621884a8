/**
 * CSV downloads from the relay's export endpoints. A plain link cannot carry the bearer token, so
 * the file is fetched, held as a blob, and handed to the browser through a temporary link.
 */
import { api } from '../../auth/api';
import type { RelayError } from '../../auth/relay-api';

/** `attachment; filename="alerts-1733725800000.csv"` → the name. */
export function filenameFromDisposition(header: string | null): string | null {
  const match = header === null ? null : /filename="?([^";]+)"?/i.exec(header);
  return match?.[1]?.trim() || null;
}

/** Downloads `path` (a relay CSV endpoint); resolves with the error, or null when saved. */
export async function downloadCsv(path: string, fallbackName: string): Promise<RelayError | null> {
  const result = await api.request(path);
  if (!result.ok) return result.error;
  const blob = await result.value.blob();
  const name = filenameFromDisposition(result.value.headers.get('content-disposition'));
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
