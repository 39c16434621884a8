/**
 * The desktop shell itself (Electron, through Playwright's `_electron`) against a real relay: the
 * window opens the relay's client with the live map, hardened (context isolation, sandbox, no Node
 * in the page, CSP); it stays on the relay's origin, opens no other window, denies permissions and
 * refuses hostile IPC input; and a `--kiosk` wall signs in with its device credential and cannot be
 * closed, reloaded or inspected from the keyboard.
 *
 * Runs where an Electron binary exists (see electron-support.ts: ELECTRON_PATH, or a downloaded
 * node_modules/electron); elsewhere every test is reported skipped with the reason.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { WebPreferences } from 'electron';
import type { DesktopApi } from '../../shared/ipc';
import { BASEMAP_COLORS } from '../../renderer/src/map/basemap-style';
import {
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
} from '../../renderer/src/map/vehicle-colors';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { startRelay, type RelayProcess } from '../support/relay-process';
import {
  electronSupport,
  launchDesktopShell,
  startXvfb,
  type DesktopShell,
  type VirtualDisplay,
} from './electron-support';
import {
  apiLogin,
  countColored,
  createUser,
  hexToRgb,
  loginThroughUi,
  screenshotPixels,
  waitForLiveMap,
} from './support';

const support = electronSupport();
test.skip(!support.available, support.available ? '' : support.reason);
// The list reporter shows a skip without its reason: say it once, plainly (on stderr, so a
// JSON report on stdout stays whole).
if (!support.available) console.warn(`electron-shell.spec.ts: skipped: ${support.reason}`);

const SPEED_COLORS = [
  VEHICLE_COLOR_STOPPED,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_FAST,
];
const BUSAN_NW: [number, number] = [128.76, 35.39];
const BUSAN_SE: [number, number] = [129.31, 34.88];
const CONTROLS = 'button, input, select, textarea, a[href]';
/** The functions the preload exposes, and nothing else (no raw ipcRenderer). */
const DESKTOP_API_KEYS = [
  'getSettings',
  'isDesktop',
  'notifyCritical',
  'onFocusAlert',
  'platform',
  'setUnacknowledgedCount',
  'updateSettings',
];

let relay: RelayProcess;
let display: VirtualDisplay | null = null;
let deviceToken: string;

test.beforeAll(async () => {
  if (!support.available) return;
  if (support.xvfb) display = await startXvfb(support.xvfb);
  relay = await startRelay({ SIM_VEHICLES: '800' });
  const adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: 'wall-desktop',
    password: 'electron-wall-passphrase',
    role: 'viewer',
  });
  const issued = await fetch(new URL('/api/users/wall-desktop/device-token', relay.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(issued.status).toBe(201);
  deviceToken = ((await issued.json()) as { token: string }).token;
});

test.afterAll(async () => {
  await relay?.stop();
  await display?.stop();
});

function launch(args: string[] = []): Promise<DesktopShell> {
  if (!support.available) throw new Error(support.reason);
  return launchDesktopShell({
    binary: support.binary,
    relayUrl: relay.url,
    display: display?.display ?? null,
    args,
  });
}

/** The page's preload API, typed (the renderer declares it on its own Window). */
type DesktopWindow = Window & { controlRoomDesktop?: DesktopApi; __marker?: string };

/** The one BrowserWindow's state, read in the main process. */
function windowState(app: ElectronApplication) {
  return app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    const window = windows[0];
    if (!window) return { count: 0 };
    // Undocumented in the typings, present at run time: the options the page was created with.
    const contents = window.webContents as typeof window.webContents & {
      getLastWebPreferences(): WebPreferences | null;
    };
    const prefs =
      typeof contents.getLastWebPreferences === 'function'
        ? contents.getLastWebPreferences()
        : null;
    return {
      count: windows.length,
      destroyed: window.isDestroyed(),
      url: contents.getURL(),
      kiosk: window.isKiosk(),
      menuBarVisible: window.isMenuBarVisible(),
      devToolsOpened: contents.isDevToolsOpened(),
      prefs: prefs && {
        contextIsolation: prefs.contextIsolation,
        sandbox: prefs.sandbox,
        nodeIntegration: prefs.nodeIntegration,
        nodeIntegrationInWorker: prefs.nodeIntegrationInWorker,
        nodeIntegrationInSubFrames: prefs.nodeIntegrationInSubFrames,
        webviewTag: prefs.webviewTag,
        webSecurity: prefs.webSecurity,
        devTools: prefs.devTools,
      },
    };
  });
}

const originOf = (url: string) => new URL(url).origin;

test.describe('the desktop window', () => {
  let shell: DesktopShell;
  let page: Page;

  test.beforeAll(async () => {
    shell = await launch();
    page = await shell.app.firstWindow();
  });

  test.afterAll(async () => {
    await shell?.close();
  });

  test('opens the relay client with the live map, hardened, with only the preload API', async () => {
    test.setTimeout(180_000);
    // Settings of this run only.
    const userData = await shell.app.evaluate(({ app }) => app.getPath('userData'));
    expect(userData.startsWith(shell.dataRoot)).toBe(true);

    await expect(page.getByTestId('login-username')).toBeVisible({ timeout: 60_000 });
    expect(originOf(page.url())).toBe(originOf(relay.url));

    const state = await windowState(shell.app);
    expect(state.count).toBe(1);
    expect(state.prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      devTools: true,
    });
    expect(state.kiosk).toBe(false);

    // No Node in the page, only the named functions of the preload.
    expect(
      await page.evaluate(() =>
        ['require', 'process', 'module', 'Buffer', 'global'].map(
          (name) => typeof (globalThis as Record<string, unknown>)[name],
        ),
      ),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(
      await page.evaluate(() => {
        const api = (window as DesktopWindow).controlRoomDesktop;
        return api ? { isDesktop: api.isDesktop, keys: Object.keys(api).sort() } : null;
      }),
    ).toEqual({ isDesktop: true, keys: DESKTOP_API_KEYS });

    // The CSP: sent by the relay, in the page, and enforced: an injected inline script does not
    // run. (Not `eval`: code Playwright evaluates may generate code whatever the policy says.)
    const served = await fetch(relay.url);
    expect(served.headers.get('content-security-policy')).toContain("script-src 'self'");
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
    expect(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const violations: string[] = [];
            document.addEventListener('securitypolicyviolation', (event) =>
              violations.push(event.violatedDirective),
            );
            const script = document.createElement('script');
            script.textContent = 'window.__inlineScriptRan = true';
            document.head.append(script);
            script.remove();
            setTimeout(() => {
              const ran = (window as { __inlineScriptRan?: boolean }).__inlineScriptRan === true;
              // One report per policy that blocked it (the header's and the meta tag's).
              resolve({ ran, blockedBy: [...new Set(violations)] });
            }, 300);
          }),
      ),
    ).toEqual({ ran: false, blockedBy: ['script-src-elem'] });

    // Sign in as an operator would; the map draws the fleet over Busan.
    await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
    await waitForLiveMap(page);
    await expect(page.locator('canvas').first()).toBeVisible();
    const project = (lonLat: [number, number]) =>
      page.evaluate(([lon, lat]) => window.__controlRoom!.projectLngLat(lon!, lat!), lonLat);
    const [x0, y0] = await project(BUSAN_NW);
    const [x1, y1] = await project(BUSAN_SE);
    const png = await screenshotPixels(page, 'test-results/electron-live-map.png');
    expect(countColored(png, { x0, y0, x1, y1 }, SPEED_COLORS, 40)).toBeGreaterThan(500);
    expect(
      countColored(png, { x0, y0, x1, y1 }, [hexToRgb(BASEMAP_COLORS.land)], 6),
    ).toBeGreaterThan(20_000);
  });

  test('stays on the relay: other origins, lookalikes and new windows are refused', async () => {
    const relayUrl = new URL(relay.url);
    const port = relayUrl.port;
    // Navigations the shell saw (its own guard runs first and cancels the untrusted ones).
    await shell.app.evaluate(({ webContents }) => {
      const seen: string[] = [];
      (globalThis as { __navigations?: string[] }).__navigations = seen;
      for (const contents of webContents.getAllWebContents())
        contents.on('will-navigate', (details) => seen.push(details.url));
    });
    const navigations = () =>
      shell.app.evaluate(() => (globalThis as { __navigations?: string[] }).__navigations ?? []);
    await page.evaluate(() => {
      (window as DesktopWindow).__marker = 'still here';
    });

    for (const target of [
      'https://example.com/',
      // Lookalikes of the relay's address: another host, and the relay's address as user:password.
      `http://127.0.0.1.evil.example:${port}/`,
      `http://127.0.0.1:${port}@evil.example/`,
      // The same server under another name is another origin.
      `http://localhost:${port}/`,
    ]) {
      const seenBefore = (await navigations()).length;
      await page.evaluate((url) => {
        window.location.href = url;
      }, target);
      // The attempt reached the shell's guard …
      await expect
        .poll(async () => (await navigations()).slice(seenBefore))
        .toEqual([expect.stringContaining(new URL(target).host)]);
      // … which kept the page where it was.
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => (window as DesktopWindow).__marker)).toBe('still here');
      expect(originOf(page.url())).toBe(relayUrl.origin);
    }

    // window.open: no window at all; another origin goes to the system browser (stubbed here).
    await shell.app.evaluate(({ shell: desktopShell }) => {
      const opened: string[] = [];
      (globalThis as { __openedExternally?: string[] }).__openedExternally = opened;
      desktopShell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    const before = shell.app.windows().length;
    const results = await page.evaluate(
      (urls) => urls.map((url) => window.open(url) === null),
      ['https://evil.example/', new URL('/kiosk', relayUrl).toString(), 'file:///etc/passwd'],
    );
    expect(results).toEqual([true, true, true]);
    await page.waitForTimeout(1000);
    expect(shell.app.windows()).toHaveLength(before);
    expect((await windowState(shell.app)).count).toBe(1);
    expect(
      await shell.app.evaluate(
        () => (globalThis as { __openedExternally?: string[] }).__openedExternally,
      ),
    ).toEqual(['https://evil.example/']);
  });

  test('denies permission requests and rejects hostile IPC input', async () => {
    // Geolocation: denied by the shell's handler (1 = PERMISSION_DENIED, not 2 = unavailable).
    expect(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            navigator.geolocation.getCurrentPosition(
              () => resolve(0),
              (error) => resolve(error.code),
              { timeout: 15_000 },
            ),
          ),
      ),
    ).toBe(1);
    // The camera: refused (whether or not this machine has one).
    expect(
      await page.evaluate(() =>
        navigator.mediaDevices.getUserMedia({ video: true }).then(
          (stream) => {
            stream.getTracks().forEach((track) => track.stop());
            return 'granted';
          },
          (error: Error) => error.name,
        ),
      ),
    ).not.toBe('granted');

    const outcomes = await page.evaluate(async () => {
      const api = (window as DesktopWindow).controlRoomDesktop!;
      const outcome = (call: () => Promise<unknown>) =>
        call().then(
          () => 'resolved',
          (error: Error) => `rejected: ${error.message}`,
        );
      return {
        notifyWrongTypes: await outcome(() =>
          api.notifyCritical({ alertId: 42, title: null, body: ['x'] } as never),
        ),
        notifyNothing: await outcome(() => api.notifyCritical(undefined as never)),
        notifyExtraField: await outcome(() =>
          api.notifyCritical({ alertId: 'a', title: 't', body: 'b', onclick: 'x' } as never),
        ),
        settingsWrongType: await outcome(() => api.updateSettings({ kiosk: 'yes' } as never)),
        settingsNotAnObject: await outcome(() => api.updateSettings('kiosk' as never)),
        settingsDeviceToken: await outcome(() =>
          api.updateSettings({ deviceToken: 'planted' } as never),
        ),
        settingsRelayWithCredentials: await outcome(() =>
          api.updateSettings({ relayUrl: 'http://user:secret@evil.example/' }),
        ),
        settingsAfter: await api.getSettings(),
      };
    });
    const { settingsAfter, ...rejections } = outcomes;
    for (const [call, result] of Object.entries(rejections)) {
      expect(result, call).toMatch(/^rejected: .*invalid (notification|settings)/);
    }
    // Nothing acted: the settings are the defaults and were never written.
    expect(settingsAfter).toMatchObject({ relayUrl: null, kiosk: false, wall: [] });
    expect(settingsAfter).not.toHaveProperty('deviceToken');
    const userData = await shell.app.evaluate(({ app }) => app.getPath('userData'));
    expect(existsSync(join(userData, 'settings.json'))).toBe(false);
    expect((await windowState(shell.app)).count).toBe(1);
  });
});

test('a --kiosk wall: kiosk window, no menu, no controls, no login, no devtools, no keyboard close', async () => {
  test.setTimeout(180_000);
  const shell = await launch(['--kiosk', `--device-token=${deviceToken}`]);
  try {
    const page = await shell.app.firstWindow();
    const kiosk = page.getByTestId('kiosk');
    await expect(kiosk).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const url = new URL(page.url());
    expect(url.origin).toBe(originOf(relay.url));
    expect(url.pathname).toBe('/kiosk');
    // The credential came in the fragment, and the page cleared it.
    expect(page.url()).not.toContain(deviceToken);
    await expect(page.getByTestId('kiosk-credential-needed')).toHaveCount(0);
    await expect(page.getByTestId('login-username')).toHaveCount(0);
    await expect(page.locator('form')).toHaveCount(0);
    await expect(page.locator(CONTROLS)).toHaveCount(0);

    // The shell keeps the credential in this run's settings file (owner-only), and never gives
    // it to the page.
    const userData = await shell.app.evaluate(({ app }) => app.getPath('userData'));
    expect(userData.startsWith(shell.dataRoot)).toBe(true);
    const settingsFile = join(userData, 'settings.json');
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ deviceToken });
    if (process.platform !== 'win32') expect(statSync(settingsFile).mode & 0o777).toBe(0o600);
    expect(
      await page.evaluate(() => (window as DesktopWindow).controlRoomDesktop!.getSettings()),
    ).not.toHaveProperty('deviceToken');

    // Devtools: off in the window's preferences, and asking for them opens nothing.
    await shell.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]!.webContents.openDevTools({ mode: 'detach' }),
    );
    await page.waitForTimeout(1000);
    const state = await windowState(shell.app);
    expect(state).toMatchObject({
      count: 1,
      kiosk: true,
      menuBarVisible: false,
      devToolsOpened: false,
    });
    expect(state.prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
    });

    // The keys a passer-by would try: nothing closes, reloads or opens devtools.
    await page.evaluate(() => {
      (window as DesktopWindow).__marker = 'still here';
    });
    for (const key of [
      'Control+W',
      'Alt+F4',
      'Control+Q',
      'Control+R',
      'F5',
      'F12',
      'Control+Shift+I',
      'Escape',
    ]) {
      await page.keyboard.press(key);
    }
    await page.waitForTimeout(1000);
    expect(await windowState(shell.app)).toMatchObject({
      count: 1,
      destroyed: false,
      kiosk: true,
      devToolsOpened: false,
    });
    expect(shell.app.windows()).toHaveLength(1);
    expect(await page.evaluate(() => (window as DesktopWindow).__marker)).toBe('still here');

    // Nor does a close request from outside the page (only quitting the app closes a wall).
    await shell.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
    await page.waitForTimeout(1000);
    expect(await windowState(shell.app)).toMatchObject({ count: 1, destroyed: false });
    await expect(kiosk).toHaveAttribute('data-state', 'ready');
  } finally {
    await shell.close();
  }
});
