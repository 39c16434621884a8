import { useAppStore } from '../../store';

/**
 * Selects a violation: its detail takes the right dock from an alert or a vehicle (one at a time
 * there), and the map flies to it (ViolationLayer).
 */
export function selectViolation(id: number): void {
  const state = useAppStore.getState();
  state.selectViolation(id);
  state.selectAlert(null);
  state.selectVehicle(null);
}

/** Opens the TCS panel on one hand-off (scrolled to and marked). */
export function showDispatch(id: number): void {
  const state = useAppStore.getState();
  state.setAuditOpen(false);
  state.highlightDispatch(id);
  state.setInterlockPanel('tcs');
}
