import { useEffect } from 'react';
import { useAppStore } from '../../store';
import { fetchDispatchStats } from './interlock-api';

/** A burst of hand-off changes (a retry round, a snapshot) asks for the figures once. */
const REFRESH_DEBOUNCE_MS = 300;

/**
 * Keeps `dispatchStats` current while the caller is mounted: fetched at once, then again after
 * every change of the hand-offs the socket brings (the relay counts over all of them, not only
 * those this client holds, so the figure comes from the relay rather than from the store).
 */
export function useDispatchStats(): void {
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (): void => {
      void fetchDispatchStats().then((result) => {
        if (!cancelled && result.ok) useAppStore.getState().setDispatchStats(result.value);
      });
    };
    load();
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (state.dispatchesById === previous.dispatchesById) return;
      clearTimeout(timer);
      timer = setTimeout(load, REFRESH_DEBOUNCE_MS);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}
