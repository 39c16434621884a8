/**
 * The desktop shell: one hardened window on the relay's client. The window loads the client from
 * the relay over HTTP (the same client a browser gets); every navigation, redirect, new window,
 * webview and permission request is denied unless it is the relay's own origin.
 */
import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { isExternalLinkAllowed, isRelayUrl } from './url-trust';
import { secureWindowOptions } from './window-options';

const DEFAULT_RELAY_URL = 'http://127.0.0.1:8787/';
const relayUrl = process.env.CONTROL_ROOM_RELAY_URL ?? DEFAULT_RELAY_URL;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isRelayUrl(url, relayUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isRelayUrl(url, relayUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url) && !isRelayUrl(url, relayUrl)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.js')));
  window.once('ready-to-show', () => window.show());
  // A crashed renderer is reloaded rather than left as a blank window on a wall.
  window.webContents.on('render-process-gone', () => window.reload());
  void window.loadURL(relayUrl);
  return window;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'notifications' && isRelayUrl(details.requestingUrl, relayUrl));
  });
  let window = createWindow();
  app.on('second-instance', () => {
    if (window.isDestroyed()) window = createWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
});

app.on('window-all-closed', () => app.quit());
