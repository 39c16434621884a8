import type { AppStore } from '../store';
import type { AuthNotice } from '../store/types';

/**
 * Logs out: nothing of this user's session (alerts, selection, open screens) stays for whoever
 * logs in next. The socket closes when the session's screens unmount.
 */
export function endSession(store: AppStore, notice: AuthNotice | null): void {
  const state = store.getState();
  state.clearAlerts();
  state.clearInterlock();
  state.clearChanges();
  state.setAuditOpen(false);
  state.selectVehicle(null);
  state.logout(notice);
}
