/**
 * Desktop notifications for critical alerts: native ones through the desktop shell's preload API
 * in the Electron window, the web Notification API in a browser. Clicking one brings the window
 * forward with the alert selected. In the shell, the tray also shows the unacknowledged count.
 */
import type { Alert } from '../../../../shared/alerts';
import type { DesktopApi } from '../../../../shared/ipc';
import type { AppStore } from '../../store';
import { countByStatus, type AlertsById } from './alert-list';
import { listenerOf } from './sound/alert-sound';
import { ringsFor, type Listener } from './sound/sound-plan';

/**
 * The alerts that deserve a notification in a change from `previous` to `next`: critical ones
 * that wait for this person (they ring for them: sound-plan.ts, so a viewer is never notified)
 * and were not notified yet (an alert that becomes critical through a worse repeat counts too).
 */
export function alertsToNotify(
  previous: AlertsById,
  next: AlertsById,
  notified: ReadonlySet<number>,
  listener: Listener | null,
): Alert[] {
  const result: Alert[] = [];
  for (const alert of Object.values(next)) {
    if (alert === previous[alert.id] || notified.has(alert.id)) continue;
    if (alert.severity === 'critical' && ringsFor(alert, listener)) result.push(alert);
  }
  return result;
}

export interface NotifierText {
  title: (alert: Alert) => string;
  body: (alert: Alert) => string;
}

type NotificationClass = typeof Notification;

function notificationApi(): NotificationClass | null {
  return (globalThis as { Notification?: NotificationClass }).Notification ?? null;
}

/** Asks once, from a user gesture (browsers ignore it otherwise). */
export function requestNotificationPermission(): void {
  const api = notificationApi();
  if (api !== null && api.permission === 'default')
    void api.requestPermission().catch(() => undefined);
}

/**
 * Watches the store and notifies. Alerts in the first snapshot after login are not notified: they
 * are in the inbox in front of the person who just logged in (and ring until acknowledged).
 */
export function startAlertNotifier(
  store: AppStore,
  text: NotifierText,
  desktop: DesktopApi | null,
): () => void {
  const notified = new Set<number>();
  const focus = (id: number): void => {
    const state = store.getState();
    state.selectVehicle(null);
    state.selectAlert(id);
  };
  const show = (alert: Alert): void => {
    if (desktop !== null) {
      void desktop
        .notifyCritical({
          alertId: String(alert.id),
          title: text.title(alert),
          body: text.body(alert),
        })
        .catch((error: unknown) => console.warn('desktop notification failed', error));
      return;
    }
    const api = notificationApi();
    if (api === null || api.permission !== 'granted') return;
    const notification = new api(text.title(alert), {
      body: text.body(alert),
      tag: `alert-${alert.id}`,
      requireInteraction: true,
    });
    notification.onclick = () => {
      window.focus();
      focus(alert.id);
      notification.close();
    };
  };
  const unsubscribeStore = store.subscribe((state, previous) => {
    if (state.alertsById === previous.alertsById) return;
    if (!previous.alertsLoaded) {
      for (const id of Object.keys(state.alertsById)) notified.add(Number(id));
      return;
    }
    const listener = listenerOf(state);
    for (const alert of alertsToNotify(previous.alertsById, state.alertsById, notified, listener)) {
      notified.add(alert.id);
      show(alert);
    }
  });
  // The shell focuses its window itself and tells the page which alert was clicked.
  const unsubscribeFocus =
    desktop?.onFocusAlert((alertId) => {
      const id = Number(alertId);
      if (Number.isInteger(id)) focus(id);
    }) ?? (() => undefined);
  return () => {
    unsubscribeStore();
    unsubscribeFocus();
  };
}

/** Keeps the shell's tray count at the number of unacknowledged alerts (0 after logout). */
export function startTrayCount(store: AppStore, desktop: DesktopApi | null): () => void {
  if (desktop === null) return () => undefined;
  let shown = -1;
  const update = (byId: AlertsById): void => {
    const count = countByStatus(byId).new;
    if (count === shown) return;
    shown = count;
    desktop.setUnacknowledgedCount(count);
  };
  update(store.getState().alertsById);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.alertsById !== previous.alertsById) update(state.alertsById);
  });
  return () => {
    unsubscribe();
    desktop.setUnacknowledgedCount(0);
  };
}
