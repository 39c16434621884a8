import { useMemo } from 'react';
import { countByStatus } from '../../features/alerts/alert-list';
import { useAppStore } from '../../store';
import { kioskFigures } from '../kiosk-figures';

/** Counts per status and the wall's figures; re-computed when alerts change or time passes. */
export function useAlertFigures(nowMs: number) {
  const alertsById = useAppStore((state) => state.alertsById);
  const counts = useMemo(() => countByStatus(alertsById), [alertsById]);
  const figures = useMemo(() => kioskFigures(alertsById, nowMs), [alertsById, nowMs]);
  const open = counts.new + counts.acknowledged + counts.dispatched;
  return { alertsById, counts, figures, open };
}

const NUMBER = new Intl.NumberFormat('ko-KR');

export function formatCount(n: number): string {
  return NUMBER.format(n);
}
