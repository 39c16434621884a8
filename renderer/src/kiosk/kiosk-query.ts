/**
 * Where the app is a wall display, and which views it shows: `/kiosk?views=map,alerts&rotate=30`
 * (the Electron shell builds that address in main/wall-layout.ts). Pure: tested in Node.
 */
import {
  MAX_ROTATE_SECONDS,
  MIN_ROTATE_SECONDS,
  WALL_VIEWS,
  type WallView,
} from '../../../shared/ipc';

export const DEFAULT_ROTATE_SECONDS = 30;
/** `/kiosk` alone shows every view in turn: a wall nobody configured still shows it all. */
export const DEFAULT_VIEWS: readonly WallView[] = WALL_VIEWS;

/**
 * The kiosk is the last path segment `kiosk` (with or without a trailing slash), so the client
 * also works behind a reverse proxy that serves it under a prefix (`/control/kiosk`).
 */
const KIOSK_PATH = /(?:^|\/)kiosk\/?$/;

export function isKioskPath(pathname: string): boolean {
  return KIOSK_PATH.test(pathname);
}

export interface KioskConfig {
  /** In the order given, each once. */
  views: WallView[];
  /** Seconds each view stays (only matters with more than one view). */
  rotateSeconds: number;
  /** Names in `views` that are not views, for the console of whoever set the wall up. */
  ignored: string[];
}

function isWallView(name: string): name is WallView {
  return (WALL_VIEWS as readonly string[]).includes(name);
}

/**
 * Reads `?views=` and `?rotate=` leniently: a wall must show something rather than an error.
 * Unknown views are skipped (none left → every view); a missing or unreadable `rotate` is 30 s;
 * a readable one is rounded and held to 5–3600 s (the shell's own limits, shared/ipc.ts).
 */
export function parseKioskQuery(search: string): KioskConfig {
  const params = new URLSearchParams(search);
  const views: WallView[] = [];
  const ignored: string[] = [];
  for (const raw of (params.get('views') ?? '').split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!isWallView(name)) ignored.push(name);
    else if (!views.includes(name)) views.push(name);
  }
  return {
    views: views.length > 0 ? views : [...DEFAULT_VIEWS],
    rotateSeconds: parseRotateSeconds(params.get('rotate')),
    ignored,
  };
}

function parseRotateSeconds(raw: string | null): number {
  const text = raw?.trim() ?? '';
  const seconds = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(seconds)) return DEFAULT_ROTATE_SECONDS;
  return Math.min(MAX_ROTATE_SECONDS, Math.max(MIN_ROTATE_SECONDS, Math.round(seconds)));
}
