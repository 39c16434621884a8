/**
 * The only bridge between page and shell: a small, typed, read-only API. No raw ipcRenderer is
 * ever exposed to the page.
 */
import { contextBridge } from 'electron';
import type { DesktopApi } from '../../shared/ipc';

const api = {
  isDesktop: true,
  platform: process.platform,
} satisfies DesktopApi;

contextBridge.exposeInMainWorld('controlRoomDesktop', api);
