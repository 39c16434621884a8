/** The hardened options of every window (context isolation, sandbox, no Node in the page). */
import type { BrowserWindowConstructorOptions } from 'electron';

export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 700;
const DEFAULT_WIDTH = 1600;
const DEFAULT_HEIGHT = 1000;
const BACKGROUND = '#07111f';

export function secureWindowOptions(
  preloadPath: string,
  mode: { kiosk: boolean; bounds?: { x: number; y: number; width: number; height: number } } = {
    kiosk: false,
  },
): BrowserWindowConstructorOptions {
  return {
    width: mode.bounds?.width ?? DEFAULT_WIDTH,
    height: mode.bounds?.height ?? DEFAULT_HEIGHT,
    ...(mode.bounds ? { x: mode.bounds.x, y: mode.bounds.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    backgroundColor: BACKGROUND,
    title: '부산 실시간 관제',
    show: false,
    // Walls: full screen, no menu, no frame to grab.
    kiosk: mode.kiosk,
    fullscreen: mode.kiosk,
    frame: !mode.kiosk,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: !mode.kiosk,
    },
  };
}
