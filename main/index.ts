/**
 * The desktop shell. Composition only: the decisions live in small modules with Electron calls
 * injected (url-trust, settings-store, relay-launcher, wall-layout, kiosk-guard, ipc-handlers).
 *
 * The window loads the client from the relay over HTTP (the same client a browser gets). Every
 * navigation, redirect, new window, webview and permission request is denied unless it is the
 * relay's own origin.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  nativeImage,
  Notification,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { IPC, RELAYS_QUERY_PARAM, type NotifyRequest } from '../shared/ipc';
import { registerIpcHandlers } from './ipc-handlers';
import { isBlockedInKiosk } from './kiosk-guard';
import { EmbeddedRelay } from './relay-launcher';
import { SettingsStore } from './settings-store';
import { isExternalLinkAllowed, isRelayUrl } from './url-trust';
import { planWallWindows } from './wall-layout';
import { secureWindowOptions } from './window-options';

const EMBEDDED_RELAY_PORT = 8787;
const ROOT = join(__dirname, '../..');
/** An unresponsive renderer gets this long to recover before it is reloaded. */
const HUNG_RELOAD_MS = 10_000;

const argv = process.argv.slice(1);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;

if (!app.requestSingleInstanceLock()) app.quit();

const settings = new SettingsStore(
  join(app.getPath('userData'), 'settings.json'),
  {
    read: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    write: (path, text) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { mode: 0o600 });
    },
  },
  (message) => console.warn(message),
);
const deviceToken = option('device-token');
if (deviceToken) settings.setDeviceToken(deviceToken);

let relayUrl = process.env.CONTROL_ROOM_RELAY_URL ?? option('relay-url') ?? settings.get().relayUrl;
let embedded: EmbeddedRelay | null = null;
let quitting = false;
const windows = new Set<BrowserWindow>();
let tray: Tray | null = null;

app.on('web-contents-created', (_event, contents) => {
  const trusted = (url: string) => relayUrl !== null && isRelayUrl(url, relayUrl);
  contents.on('will-navigate', (event, url) => {
    if (!trusted(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!trusted(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url) && !trusted(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function createWindow(path: string, kiosk: boolean, bounds?: Electron.Rectangle): BrowserWindow {
  const window = new BrowserWindow(
    secureWindowOptions(join(__dirname, '../preload/index.js'), { kiosk, bounds }),
  );
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  window.once('ready-to-show', () => window.show());
  // A crashed renderer is reloaded rather than left blank on a wall; a hung one after a grace.
  window.webContents.on('render-process-gone', () => window.reload());
  let hung: NodeJS.Timeout | undefined;
  window.on('unresponsive', () => {
    hung = setTimeout(() => window.webContents.forcefullyCrashRenderer(), HUNG_RELOAD_MS);
  });
  window.on('responsive', () => clearTimeout(hung));
  if (kiosk) {
    window.setMenu(null);
    window.webContents.on('before-input-event', (event, input) => {
      if (isBlockedInKiosk(input)) event.preventDefault();
    });
    window.on('close', (event) => {
      if (!quitting) event.preventDefault();
    });
  }
  const url = new URL(path, relayUrl!);
  // Other relays of the deployment: the page moves to the next when the link is lost.
  const others = settings.get().relays;
  if (others.length > 0) {
    url.searchParams.set(RELAYS_QUERY_PARAM, [url.origin, ...others].join(','));
  }
  // A wall signs in with its device credential, passed in the fragment (never sent to servers
  // or written to their logs); the page takes it and clears the fragment.
  const token = settings.get().deviceToken;
  if (kiosk && token) url.hash = new URLSearchParams({ device: token }).toString();
  void window.loadURL(url.toString());
  return window;
}

function openWindows(): void {
  const current = settings.get();
  const kiosk = flag('kiosk') || current.kiosk;
  if (current.wall.length > 0) {
    for (const plan of planWallWindows(current.wall, screen.getAllDisplays())) {
      createWindow(plan.path, true, plan.bounds);
    }
    return;
  }
  createWindow(kiosk ? '/kiosk' : '/', kiosk);
}

function showNotification(request: NotifyRequest): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({
    title: request.title,
    body: request.body,
    urgency: 'critical',
  });
  notification.on('click', () => {
    const [window] = windows;
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    window.webContents.send(IPC.focusAlert, request.alertId);
  });
  notification.show();
}

function setUnacknowledgedCount(count: number): void {
  app.setBadgeCount(count);
  tray?.setToolTip(`부산 실시간 관제 — 미확인 알림 ${count}건 (${count} unacknowledged)`);
  tray?.setTitle(count > 0 ? String(count) : '');
}

async function startEmbeddedRelay(): Promise<string> {
  embedded = new EmbeddedRelay(
    {
      // Electron's own binary runs the relay as plain Node.
      spawnRelay: (port) =>
        spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/server.ts')], {
          cwd: ROOT,
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PORT: String(port) },
          stdio: 'inherit',
        }),
      fetchHealth: (url) => fetch(url).then((r) => ({ ok: r.ok })),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
    },
    EMBEDDED_RELAY_PORT,
  );
  return embedded.start();
}

void app.whenReady().then(async () => {
  if (!relayUrl) relayUrl = await startEmbeddedRelay();
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      permission === 'notifications' &&
        relayUrl !== null &&
        isRelayUrl(details.requestingUrl, relayUrl),
    );
  });
  registerIpcHandlers(ipcMain, {
    settings,
    isTrustedUrl: (url) => relayUrl !== null && isRelayUrl(url, relayUrl),
    showNotification,
    setUnacknowledgedCount,
  });
  tray = new Tray(nativeImage.createFromPath(join(ROOT, 'resources/icons/tray.png')));
  setUnacknowledgedCount(0);
  openWindows();
  app.on('second-instance', () => {
    const [window] = windows;
    if (!window) return openWindows();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
});

app.on('before-quit', () => {
  quitting = true;
});
app.on('will-quit', (event) => {
  if (!embedded) return;
  const relay = embedded;
  embedded = null;
  event.preventDefault();
  void relay.stop().finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());
