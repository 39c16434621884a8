/**
 * The only bridge between page and shell: named, single-purpose functions (no raw ipcRenderer),
 * typed by the DesktopApi contract the renderer also imports.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type DesktopApi } from '../../shared/ipc';

const api = {
  isDesktop: true,
  platform: process.platform,
  getSettings: () => ipcRenderer.invoke(IPC.getSettings),
  updateSettings: (patch) => ipcRenderer.invoke(IPC.updateSettings, patch),
  notifyCritical: (request) => ipcRenderer.invoke(IPC.notify, request),
  setUnacknowledgedCount: (count) => ipcRenderer.send(IPC.setUnacknowledged, count),
  onFocusAlert: (listener) => {
    const wrapped = (_event: IpcRendererEvent, alertId: unknown) => {
      if (typeof alertId === 'string') listener(alertId);
    };
    ipcRenderer.on(IPC.focusAlert, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.focusAlert, wrapped);
    };
  },
} satisfies DesktopApi;

contextBridge.exposeInMainWorld('controlRoomDesktop', api);
