/** Notifications and the tray count through the desktop shell's API (a fake here), over the store. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  startAlertNotifier,
  startTrayCount,
} from '../../../renderer/src/features/alerts/notifications';
import { useAppStore } from '../../../renderer/src/store';
import type { DesktopApi } from '../../../shared/ipc';
import { makeAlert } from './alert-fixtures';

function fakeDesktop() {
  let focusListener: ((alertId: string) => void) | null = null;
  const api = {
    isDesktop: true,
    platform: 'linux',
    getSettings: vi.fn(),
    updateSettings: vi.fn(),
    notifyCritical: vi.fn(async () => undefined),
    setUnacknowledgedCount: vi.fn(),
    onFocusAlert: vi.fn((listener: (alertId: string) => void) => {
      focusListener = listener;
      return () => {
        focusListener = null;
      };
    }),
  } satisfies DesktopApi;
  return { api, click: (alertId: string) => focusListener?.(alertId) };
}

const text = { title: (a: { id: number }) => `alert ${a.id}`, body: () => 'body' };
let stop: () => void = () => undefined;

beforeEach(() => {
  useAppStore.getState().clearAlerts();
  useAppStore.getState().login({ token: 't', user: { username: 'sv.lee', role: 'supervisor' } });
});
afterEach(() => stop());

describe('desktop notifications', () => {
  it('notifies a critical alert that arrives after the first snapshot, once, and focuses it on click', () => {
    const desktop = fakeDesktop();
    stop = startAlertNotifier(useAppStore, text, desktop.api);
    const store = useAppStore.getState();
    store.mergeAlertSnapshot([makeAlert({ id: 1, severity: 'critical' })]);
    expect(desktop.api.notifyCritical).not.toHaveBeenCalled();

    store.upsertAlert(makeAlert({ id: 2, severity: 'critical', seq: 50 }));
    store.upsertAlert(makeAlert({ id: 2, severity: 'critical', version: 2, count: 2, seq: 51 }));
    store.upsertAlert(makeAlert({ id: 3, severity: 'high', seq: 52 }));
    expect(desktop.api.notifyCritical).toHaveBeenCalledTimes(1);
    expect(desktop.api.notifyCritical).toHaveBeenCalledWith({
      alertId: '2',
      title: 'alert 2',
      body: 'body',
    });

    useAppStore.getState().selectVehicle(7);
    desktop.click('2');
    expect(useAppStore.getState().selectedAlertId).toBe(2);
    expect(useAppStore.getState().selectedIndex).toBeNull();
  });

  it('never notifies a viewer, who can do nothing about it', () => {
    useAppStore.getState().login({ token: 't', user: { username: 'wall', role: 'viewer' } });
    const desktop = fakeDesktop();
    stop = startAlertNotifier(useAppStore, text, desktop.api);
    const store = useAppStore.getState();
    store.mergeAlertSnapshot([]);
    store.upsertAlert(makeAlert({ id: 2, severity: 'critical', seq: 50 }));
    expect(desktop.api.notifyCritical).not.toHaveBeenCalled();
  });
});

describe('tray count', () => {
  it('follows the unacknowledged alerts and resets when stopped', () => {
    const desktop = fakeDesktop();
    stop = startTrayCount(useAppStore, desktop.api);
    const store = useAppStore.getState();
    store.mergeAlertSnapshot([makeAlert({ id: 1 }), makeAlert({ id: 2 })]);
    store.upsertAlert(makeAlert({ id: 1, version: 2, seq: 9, status: 'acknowledged' }));
    expect(desktop.api.setUnacknowledgedCount.mock.calls.map((c) => c[0])).toEqual([0, 2, 1]);
    stop();
    stop = () => undefined;
    expect(desktop.api.setUnacknowledgedCount).toHaveBeenLastCalledWith(0);
  });
});
