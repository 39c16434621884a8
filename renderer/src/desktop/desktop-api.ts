/**
 * The desktop shell's preload API (`window.controlRoomDesktop`, typed by shared/ipc.ts), present
 * only in the Electron window; in a browser the page falls back to web APIs.
 */
import type { DesktopApi } from '../../../shared/ipc';

declare global {
  interface Window {
    controlRoomDesktop?: DesktopApi;
  }
}

export function desktopApi(): DesktopApi | null {
  return typeof window === 'undefined' ? null : (window.controlRoomDesktop ?? null);
}
