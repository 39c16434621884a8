/** The relay's KPI report (`GET /api/kpis`), refreshed while the panel is open. */
import { useEffect, useState } from 'react';
import type { KpiReport } from '../../../../shared/kpis';
import { api } from '../../auth/api';
import type { RelayError } from '../../auth/relay-api';

/** The relay recomputes its figures about this often; polling faster shows nothing new. */
export const KPI_REFRESH_MS = 15_000;

export type KpiState =
  | { status: 'loading' }
  | { status: 'error'; error: RelayError; last: KpiReport | null }
  | { status: 'ready'; report: KpiReport };

export function useKpis(): KpiState {
  const [state, setState] = useState<KpiState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    let last: KpiReport | null = null;
    const load = async () => {
      const result = await api.json<KpiReport>('/api/kpis');
      if (cancelled) return;
      if (result.ok) {
        last = result.value;
        setState({ status: 'ready', report: result.value });
      } else {
        setState({ status: 'error', error: result.error, last });
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), KPI_REFRESH_MS);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, []);
  return state;
}
