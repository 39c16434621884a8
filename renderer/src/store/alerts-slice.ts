import type { StateCreator } from 'zustand';
import { fromNewestPage, withLiveComment, withOlderPage } from '../features/alerts/alert-comments';
import {
  highestSeq,
  mergeAlerts,
  NO_FILTERS,
  type AlertsById,
} from '../features/alerts/alert-list';
import type { AlertsSlice, AppState } from './types';

const EMPTY: AlertsById = {};

export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = (set, get) => ({
  alertsById: EMPTY,
  alertsLoaded: false,
  lastAlertSeq: 0,
  selectedAlertId: null,
  alertFilters: NO_FILTERS,
  upsertAlert: (alert) => {
    const { alertsById, lastAlertSeq } = get();
    const next = mergeAlerts(alertsById, [alert]);
    const seq = Math.max(lastAlertSeq, alert.seq);
    if (next !== alertsById || seq !== lastAlertSeq) set({ alertsById: next, lastAlertSeq: seq });
  },
  mergeAlertSnapshot: (alerts) => {
    const { alertsById, lastAlertSeq } = get();
    // Merged, not replaced: after a reconnect the snapshot holds the open alerts and what changed
    // since lastAlertSeq, and an `alert` event may already have brought a newer copy.
    set({
      alertsById: mergeAlerts(alertsById, alerts),
      lastAlertSeq: highestSeq(alerts, lastAlertSeq),
      alertsLoaded: true,
    });
  },
  selectAlert: (selectedAlertId) =>
    set((state) => ({
      selectedAlertId,
      // Only the selected alert's comments are held.
      alertComments: state.alertComments?.alertId === selectedAlertId ? state.alertComments : null,
    })),
  setAlertFilter: (key, value) =>
    set((state) => ({ alertFilters: { ...state.alertFilters, [key]: value } })),
  clearAlerts: () =>
    set({
      alertsById: EMPTY,
      alertsLoaded: false,
      lastAlertSeq: 0,
      selectedAlertId: null,
      alertComments: null,
    }),
  alertComments: null,
  showAlertComments: (alertId, page) => {
    const { selectedAlertId, alertComments } = get();
    if (alertId !== selectedAlertId) return;
    set({ alertComments: fromNewestPage(alertId, page, alertComments) });
  },
  showOlderAlertComments: (alertId, page) => {
    const { alertComments } = get();
    if (alertComments?.alertId !== alertId) return;
    set({ alertComments: withOlderPage(alertComments, page) });
  },
  addAlertComment: (comment) => {
    const { alertComments } = get();
    if (alertComments === null) return;
    const next = withLiveComment(alertComments, comment);
    if (next !== alertComments) set({ alertComments: next });
  },
});
