/**
 * The TCS hand-off figures (`GET /api/dispatches/stats`), polled while the KPI board shows. A
 * relay without the interlock feature answers 404: the board then says so instead of a number.
 */
import { useEffect, useState } from 'react';
import type { DispatchStats } from '../../../shared/interlock';
import { api } from '../auth/api';

const POLL_MS = 30_000;
const HTTP_NOT_FOUND = 404;

export type DispatchStatsState =
  | { kind: 'loading' }
  | { kind: 'unavailable' }
  | { kind: 'failed' }
  | { kind: 'ok'; stats: DispatchStats };

export function useDispatchStats(): DispatchStatsState {
  const [state, setState] = useState<DispatchStatsState>({ kind: 'loading' });
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      const result = await api.json<DispatchStats>('/api/dispatches/stats');
      if (cancelled) return;
      if (result.ok) setState({ kind: 'ok', stats: result.value });
      else if (result.error.status === HTTP_NOT_FOUND) setState({ kind: 'unavailable' });
      // A passing failure keeps the last figures rather than blanking the tile.
      else setState((previous) => (previous.kind === 'ok' ? previous : { kind: 'failed' }));
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);
  return state;
}
