/**
 * An alert's plate reads and their photos, fetched with the user's token (the relay audits each
 * photo opened). Photos become blob: URLs — same origin, allowed by the page's CSP — and are
 * released when the alert changes or the detail closes. Never from the socket.
 */
import { useEffect, useState } from 'react';
import type { AlertReadsResponse, AlertReadView } from '../../../../shared/plate-photos';
import { api } from '../../auth/api';
import type { RelayError } from '../../auth/relay-api';

export interface ReadWithPhoto extends AlertReadView {
  /** blob: URL of the photo, null while loading or without one. */
  photoUrl: string | null;
  /** Why the photo could not be shown (gone, too large), null when it is shown or loading. */
  photoError: RelayError | null;
}

export type AlertReadsState =
  | { status: 'loading' }
  | { status: 'error'; error: RelayError }
  | { status: 'ready'; reads: ReadWithPhoto[] };

/** Refetches when the alert's count changes (a merged read arrived). */
export function useAlertReads(alertId: number, count: number): AlertReadsState {
  const [state, setState] = useState<AlertReadsState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const urls: string[] = [];
    setState({ status: 'loading' });
    void (async () => {
      const listed = await api.json<AlertReadsResponse>(`/api/alerts/${alertId}/reads`);
      if (cancelled) return;
      if (!listed.ok) {
        setState({ status: 'error', error: listed.error });
        return;
      }
      let reads: ReadWithPhoto[] = listed.value.reads.map((r) => ({
        ...r,
        photoUrl: null,
        photoError: null,
      }));
      setState({ status: 'ready', reads });
      for (const [index, read] of reads.entries()) {
        if (read.photoPath === null) continue;
        const photo = await api.request(read.photoPath);
        if (cancelled) return;
        let update: Partial<ReadWithPhoto>;
        if (photo.ok) {
          const url = URL.createObjectURL(await photo.value.blob());
          urls.push(url);
          update = { photoUrl: url };
        } else {
          update = { photoError: photo.error };
        }
        if (cancelled) return;
        reads = reads.map((r, i) => (i === index ? { ...r, ...update } : r));
        setState({ status: 'ready', reads });
      }
    })();
    return () => {
      cancelled = true;
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [alertId, count]);

  return state;
}
