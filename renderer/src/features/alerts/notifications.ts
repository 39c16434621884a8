/**
 * Desktop notifications for critical alerts (the Notification API: the browser's, and Electron's,
 * which shows native ones). Clicking one brings the window forward with the alert selected.
 */
import type { Alert } from '../../../../shared/alerts';
import type { AppStore } from '../../store';
import type { AlertsById } from './alert-list';

/**
 * The alerts that deserve a notification in a change from `previous` to `next`: critical ones
 * that wait for an acknowledgement and were not notified yet (an alert that becomes critical
 * through a worse repeat counts as well).
 */
export function alertsToNotify(
  previous: AlertsById,
  next: AlertsById,
  notified: ReadonlySet<number>,
): Alert[] {
  const result: Alert[] = [];
  for (const alert of Object.values(next)) {
    if (alert === previous[alert.id] || notified.has(alert.id)) continue;
    if (alert.severity === 'critical' && alert.status === 'new') result.push(alert);
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
export function startAlertNotifier(store: AppStore, text: NotifierText): () => void {
  const notified = new Set<number>();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.alertsById === previous.alertsById) return;
    if (!previous.alertsLoaded) {
      for (const id of Object.keys(state.alertsById)) notified.add(Number(id));
      return;
    }
    const api = notificationApi();
    for (const alert of alertsToNotify(previous.alertsById, state.alertsById, notified)) {
      notified.add(alert.id);
      if (api === null || api.permission !== 'granted') continue;
      const notification = new api(text.title(alert), {
        body: text.body(alert),
        tag: `alert-${alert.id}`,
        requireInteraction: true,
      });
      notification.onclick = () => {
        window.focus();
        store.getState().selectVehicle(null);
        store.getState().selectAlert(alert.id);
        notification.close();
      };
    }
  });
  return unsubscribe;
}
