/**
 * The wall display (`/kiosk`) in a real browser against a real relay (embedded simulator): signed
 * in by a device credential an admin issued (no login form, no controls at all), rotating views,
 * the notice for a wall without a credential, and the feed banner when the relay goes away and
 * back. Screenshots are checked for pixels, not just taken.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { KST_OFFSET_MS } from '../../shared/time';
import { BASEMAP_COLORS } from '../../renderer/src/map/basemap-style';
import {
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
} from '../../renderer/src/map/vehicle-colors';
import { HEAT_STEPS } from '../../renderer/src/kiosk/district-heat';
import { KIOSK_BOUNDS } from '../../renderer/src/kiosk/kiosk-layout';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { startRelay, type RelayProcess } from '../support/relay-process';
import {
  apiLogin,
  countColored,
  createUser,
  hexToRgb,
  screenshotPixels,
  waitForLiveMap,
  type Rgb,
} from './support';

/** Fixed, so device credentials stay valid when the relay restarts (the recovery test). */
const JWT_SECRET = 'kiosk-e2e-jwt-secret-0123456789abcdef';
const CONTROLS = 'button, input, select, textarea, a[href]';
const SPEED_COLORS = [
  VEHICLE_COLOR_STOPPED,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_FAST,
];
/** The feed banner's background (kiosk.css --kiosk-alarm-bg). */
const BANNER_RED: Rgb = [0x99, 0x1b, 0x1b];
const HEAT_OPACITY = 0.85;

let port: number;
let dataDir: string;
let relay: RelayProcess;
let deviceToken: string;
let adminToken: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The same port, database and signing secret every time, so a restarted relay is the same one. */
function startWallRelay(): Promise<RelayProcess> {
  return startRelay({
    PORT: String(port),
    SQLITE_PATH: join(dataDir, 'control-room.sqlite'),
    JWT_SECRET,
    SIM_VEHICLES: '800',
  });
}

const kioskUrl = (query: string, fragment = '') =>
  new URL(`/kiosk${query}${fragment ? `#${fragment}` : ''}`, relay.url).toString();

test.beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'control-room-kiosk-'));
  relay = await startWallRelay();
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: 'wall-1',
    password: 'wall-display-passphrase',
    role: 'viewer',
  });
  const issued = await fetch(new URL('/api/users/wall-1/device-token', relay.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(issued.status).toBe(201);
  deviceToken = ((await issued.json()) as { token: string }).token;
});

test.afterAll(async () => {
  await relay?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function fontSizePx(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
}

/** The map area of Busan on screen, from the QA hook's projection. */
async function busanBox(page: Page) {
  const [[west, south], [east, north]] = KIOSK_BOUNDS as [[number, number], [number, number]];
  const [x0, y0] = await page.evaluate(
    ([lon, lat]) => window.__controlRoom!.projectLngLat(lon!, lat!),
    [west, north],
  );
  const [x1, y1] = await page.evaluate(
    ([lon, lat]) => window.__controlRoom!.projectLngLat(lon!, lat!),
    [east, south],
  );
  return { x0, y0, x1, y1 };
}

test('a wall signs in with its device credential: no login form, no controls, fragment gone', async ({
  page,
}) => {
  await page.goto(kioskUrl('?views=map', `device=${deviceToken}`));
  const kiosk = page.getByTestId('kiosk');
  await expect(kiosk).toHaveAttribute('data-state', 'ready');
  await expect(kiosk).toHaveAttribute('data-view', 'map');
  await expect(page.getByTestId('kiosk-view-map')).toBeVisible();

  // The credential left the address bar, and is kept for the next start of this browser.
  expect(page.url()).toBe(kioskUrl('?views=map'));
  expect(page.url()).not.toContain(deviceToken);
  expect(await page.evaluate(() => localStorage.getItem('controlRoom.deviceToken'))).toBe(
    deviceToken,
  );

  await waitForLiveMap(page);
  await expect(page.getByTestId('login-username')).toHaveCount(0);
  await expect(page.locator(CONTROLS)).toHaveCount(0);
  await expect(page.locator('form')).toHaveCount(0);

  // Nothing to select, no pointer at rest.
  expect(await kiosk.evaluate((e) => getComputedStyle(e).userSelect)).toBe('none');
  expect(await kiosk.evaluate((e) => getComputedStyle(e).cursor)).toBe('none');

  // Readable from across the room.
  expect(await fontSizePx(page, '[data-testid="kiosk-vehicle-count"] .kiosk-figure__value')).toBe(
    // clamp(96px, 12vh, 220px) at 900 px high
    108,
  );
  expect(
    await fontSizePx(page, '[data-testid="kiosk-vehicle-count"] .kiosk-figure__label .bi__ko'),
  ).toBeGreaterThanOrEqual(32);
  const vehicles = Number(await page.getByTestId('kiosk-vehicle-count').getAttribute('data-value'));
  expect(vehicles).toBeGreaterThan(500);

  // The clock shows Korean time, whatever this machine's zone.
  const clock = await page.getByTestId('kiosk-clock').locator('time').textContent();
  expect(clock).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  const [h, m, s] = clock!.split(':').map(Number) as [number, number, number];
  const kstSeconds = Math.floor(((Date.now() + KST_OFFSET_MS) % 86_400_000) / 1000);
  const drift = Math.abs(kstSeconds - (h * 3600 + m * 60 + s));
  expect(Math.min(drift, 86_400 - drift)).toBeLessThan(5);

  // The map shows the fleet inside Busan, beside the panel, in the speed colours.
  const box = await busanBox(page);
  const panel = (await page.locator('.kiosk-side').boundingBox())!;
  expect(box.x0).toBeGreaterThan(panel.x + panel.width);
  const png = await screenshotPixels(page, 'test-results/kiosk-map.png');
  expect(countColored(png, box, SPEED_COLORS, 40)).toBeGreaterThan(1500);
  expect(countColored(png, box, [hexToRgb(BASEMAP_COLORS.land)], 6)).toBeGreaterThan(20_000);

  // A reboot of the wall's browser: no fragment, the kept credential still signs it in.
  await page.goto(kioskUrl('?views=map'));
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('kiosk-credential-needed')).toHaveCount(0);
});

test('rotates through the views given, with a progress indicator', async ({ page }) => {
  await page.goto(kioskUrl('?views=map,alerts&rotate=5', `device=${deviceToken}`));
  const kiosk = page.getByTestId('kiosk');
  const rotation = page.getByTestId('kiosk-rotation');
  await expect(kiosk).toHaveAttribute('data-view', 'map');
  await expect(rotation).toBeVisible();
  await expect(rotation).toHaveAttribute('data-views', 'map,alerts');
  await expect(rotation).toHaveAttribute('data-index', '0');
  await expect(page.getByTestId('kiosk-view-map')).toBeVisible();

  await expect(kiosk).toHaveAttribute('data-view', 'alerts', { timeout: 8000 });
  const switchedAt = Date.now();
  await expect(rotation).toHaveAttribute('data-index', '1');
  await expect(page.getByTestId('kiosk-view-alerts')).toBeVisible();
  await expect(page.getByTestId('kiosk-view-map')).toHaveCount(0);
  await expect(page.locator(CONTROLS)).toHaveCount(0);
  for (const status of ['new', 'overdue', 'acknowledged', 'dispatched', 'resolved']) {
    await expect(page.getByTestId(`kiosk-count-${status}`)).toHaveAttribute('data-value', /^\d+$/);
  }
  expect(await fontSizePx(page, '.kiosk-count__value')).toBeGreaterThanOrEqual(96);
  await screenshotPixels(page, 'test-results/kiosk-alerts.png');

  await expect(kiosk).toHaveAttribute('data-view', 'map', { timeout: 8000 });
  // Every 5 s, give or take a busy machine.
  const turnMs = Date.now() - switchedAt;
  expect(turnMs).toBeGreaterThan(3500);
  expect(turnMs).toBeLessThan(7500);
  await expect(rotation).toHaveAttribute('data-index', '0');
});

test('the KPI board reads the relay, and says so when TCS figures are not there', async ({
  page,
}) => {
  await page.goto(kioskUrl('?views=kpi', `device=${deviceToken}`));
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'kpi');
  await expect(page.getByTestId('kiosk-view-kpi')).toBeVisible();
  await expect
    .poll(async () =>
      Number(await page.getByTestId('kiosk-kpi-vehicles').getAttribute('data-value')),
    )
    .toBeGreaterThan(500);
  await expect(page.getByTestId('kiosk-kpi-ingest')).toHaveAttribute('data-value', 'ok');
  await expect(page.getByTestId('kiosk-kpi-ingest')).toContainText('시뮬레이터');
  // This relay has the interlock feature: no hand-off finished yet, so no rate.
  await expect(page.getByTestId('kiosk-kpi-tcs')).toHaveAttribute('data-value', 'none');
  await expect(page.getByTestId('kiosk-kpi-tcs')).toContainText('목표 99%');
  await expect(page.getByTestId('kiosk-kpi-unacknowledged')).toHaveAttribute('data-value', /^\d+$/);
  expect(await fontSizePx(page, '[data-testid="kiosk-kpi-vehicles"] .kiosk-figure__value')).toBe(
    108,
  );
  await screenshotPixels(page, 'test-results/kiosk-kpi.png');

  // A relay without the interlock feature answers 404: the tile says so, the board carries on.
  await page.route('**/api/dispatches/stats', (route) =>
    route.fulfill({
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'not_found', message: 'no route' } }),
    }),
  );
  await page.reload();
  await expect(page.getByTestId('kiosk-kpi-tcs')).toHaveAttribute('data-value', 'unavailable');
  await expect(page.getByTestId('kiosk-kpi-tcs')).toContainText('이 중계 서버에는 없음');
  await expect(page.getByTestId('kiosk-kpi-tcs')).toContainText('Not on this relay');
  await expect(page.getByTestId('kiosk-kpi-vehicles')).toBeVisible();
});

test('the district heat colours districts by their open alerts', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(kioskUrl('?views=heat', `device=${deviceToken}`));
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'heat');
  await expect(page.getByTestId('kiosk-view-heat')).toBeVisible();
  // The simulator raises alerts every few seconds; wait for one in a district.
  await expect(page.getByTestId('kiosk-heat-top').locator('li').first()).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.locator(CONTROLS)).toHaveCount(0);

  // The fill is drawn at 85% over the land colour.
  const land = hexToRgb(BASEMAP_COLORS.land);
  const heatColors: Rgb[] = HEAT_STEPS.map((step) => {
    const c = hexToRgb(step.color);
    return [0, 1, 2].map((i) =>
      Math.round(c[i]! * HEAT_OPACITY + land[i]! * (1 - HEAT_OPACITY)),
    ) as unknown as Rgb;
  });
  await page.waitForFunction(() => window.__controlRoom !== undefined);
  await expect
    .poll(
      async () => {
        const box = await busanBox(page);
        const png = await screenshotPixels(page, 'test-results/kiosk-heat.png');
        return countColored(png, box, heatColors, 10);
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(1000);
});

test('a wall without a credential shows the notice, never a login form', async ({ page }) => {
  await page.goto(kioskUrl('?views=map'));
  const notice = page.getByTestId('kiosk-credential-needed');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-problem', 'missing');
  await expect(notice).toContainText('이 화면에는 장치 자격 증명이 필요합니다');
  await expect(notice).toContainText('This display needs a device credential');
  await expect(notice).toContainText('/api/users/wall-1/device-token');
  await expect(notice).toContainText(`${kioskUrl('?views=map')}#device=`);
  expect(await fontSizePx(page, '.kiosk-notice__title .bi__ko')).toBeGreaterThanOrEqual(48);
  await expect(page.getByTestId('login-username')).toHaveCount(0);
  await expect(page.locator(CONTROLS)).toHaveCount(0);
  await expect(page.getByTestId('kiosk-view-map')).toHaveCount(0);
  await screenshotPixels(page, 'test-results/kiosk-credential-needed.png');

  // A credential the relay refuses (a fresh page load): the same notice, saying why.
  await page.goto(kioskUrl('?views=alerts', 'device=not.a-valid.token'));
  await expect(notice).toHaveAttribute('data-problem', 'refused');
  await expect(notice).toContainText('거부');
  await expect(notice).toContainText('refused');
  await expect(page.getByTestId('login-username')).toHaveCount(0);
  expect(page.url()).toBe(kioskUrl('?views=alerts'));

  // A person's login is not a wall's credential, even an admin's. Typed into the open wall's
  // address, only the fragment changes (no reload): the wall still takes it.
  await page.goto(kioskUrl('?views=alerts', `device=${adminToken}`));
  await expect(notice).toHaveAttribute('data-problem', 'notViewer');
  await expect(page.locator(CONTROLS)).toHaveCount(0);
  expect(page.url()).toBe(kioskUrl('?views=alerts'));

  // And the right one, the same way: the wall starts without a reload.
  await page.goto(kioskUrl('?views=alerts', `device=${deviceToken}`));
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('kiosk-view-alerts')).toBeVisible();
  expect(page.url()).toBe(kioskUrl('?views=alerts'));
});

test('the feed banner shows the age of the last data while the relay is gone, and clears on its return', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(kioskUrl('?views=map', `device=${deviceToken}`));
  await waitForLiveMap(page);
  const banner = page.getByTestId('kiosk-feed-banner');
  await expect(banner).toHaveCount(0);

  await relay.stop();
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toHaveAttribute('data-state', 'lost');
  await expect(banner).toContainText(/마지막 수신 \d+초 전/);
  await expect(banner).toContainText(/Last data \d+ s ago/);
  const age = Number(await banner.getAttribute('data-age-ms'));
  expect(age).toBeGreaterThanOrEqual(15_000);
  await expect
    .poll(async () => Number(await banner.getAttribute('data-age-ms')))
    .toBeGreaterThan(age + 1500);

  // Full width, red, over everything.
  const bannerBox = (await banner.boundingBox())!;
  expect(bannerBox.x).toBe(0);
  expect(bannerBox.width).toBe(page.viewportSize()!.width);
  expect(await fontSizePx(page, '.kiosk-feed-banner__line')).toBeGreaterThanOrEqual(48);
  const png = await screenshotPixels(page, 'test-results/kiosk-feed-lost.png');
  const red = countColored(
    png,
    {
      x0: bannerBox.x,
      y0: bannerBox.y,
      x1: bannerBox.x + bannerBox.width,
      y1: bannerBox.y + bannerBox.height,
    },
    [BANNER_RED],
    8,
  );
  expect(red).toBeGreaterThan(bannerBox.width * bannerBox.height * 0.4);
  // No login form turned up while the relay was away either.
  await expect(page.getByTestId('login-username')).toHaveCount(0);

  // The same relay again (same port, database and secret): the wall recovers on its own.
  relay = await startWallRelay();
  await expect(banner).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('kiosk-credential-needed')).toHaveCount(0);
  await page.waitForTimeout(2000);
  const box = await busanBox(page);
  const recovered = await screenshotPixels(page, 'test-results/kiosk-feed-recovered.png');
  expect(countColored(recovered, box, SPEED_COLORS, 40)).toBeGreaterThan(1500);
});
