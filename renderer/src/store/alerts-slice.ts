import type { StateCreator } from 'zustand';
import { fromNewestPage, withLiveComment, withOlderPage } from '../features/alerts/alert-comments';
import { mergeAlerts, NO_FILTERS, type AlertsById } from '../features/alerts/alert-list';
import { retainNamed } from '../live/change-apply';
import type { AlertsSlice, AppState } from './types';

const EMPTY: AlertsById = {};

export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = (set, get) => ({
  alertsById: EMPTY,
  alertsLoaded: false,
  selectedAlertId: null,
  alertFilters: NO_FILTERS,
  upsertAlert: (alert) => {
    const { alertsById } = get();
    const next = mergeAlerts(alertsById, [alert]);
    if (next !== alertsById) set({ alertsById: next });
  },
  mergeAlertSnapshot: (alerts, full = false) => {
    const { alertsById } = get();
    // Merged by version: a command's answer may already have brought a newer copy. A full
    // snapshot drops what it does not name (resolved long ago, or the store was replaced).
    set({
      alertsById: mergeAlerts(full ? retainNamed(alertsById, alerts) : alertsById, alerts),
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
