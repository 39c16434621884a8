/**
 * A whole shift walked by eye (issue 19), not a check: skipped unless WALK=1. Signs in as each
 * role (admin, supervisor, operator, viewer) in Korean and English at 1920×1080 and screenshots
 * the desk, the inbox with an alert open, a violation, the TCS and KPI panels, a vehicle, and
 * (admin) the admin and audit screens; then the wall (/kiosk with a device credential) in each
 * view. Screenshots land in WALK_DIR (default /tmp/walk-shots), named role-language-screen.png,
 * for a person to look at.
 *
 *   WALK=1 CLIENT_DIR=/tmp/out npx playwright test test/e2e/walk-shift.spec.ts
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ViolationListResponse } from '../../shared/interlock';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  injectArrearsHit,
  injectDrowsy,
  injectFailedRetest,
  injectMissingPersonHit,
  loginThroughUi,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const SHOTS = process.env.WALK_DIR ?? '/tmp/walk-shots';
const PASSWORD = 'walk-password-1234';
const VIEWPORT = { width: 1920, height: 1080 };
const SMALL_VIEWPORT = { width: 1400, height: 900 };
const ROLES = ['admin', 'supervisor', 'operator', 'viewer'] as const;
const LANGUAGES = ['ko', 'en'] as const;
/** Later than any deadline: escalateDue(now + this) escalates every unacknowledged alert. */
const PAST_EVERY_DEADLINE_MS = 60 * 60_000;
/** Time for a panel's data and the map's next frame after a click. */
const SETTLE_MS = 800;

let relay: InProcessRelay;
let wallToken: string;

test.skip(process.env.WALK !== '1', 'a walk for a person to look at: WALK=1 runs it');
test.describe.configure({ mode: 'serial' });
test.setTimeout(600_000);

const userOf = (role: (typeof ROLES)[number]) => (role === 'admin' ? 'admin' : `walk.${role}`);
const passwordOf = (role: (typeof ROLES)[number]) =>
  role === 'admin' ? TEST_ADMIN_PASSWORD : PASSWORD;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '400',
    LOGIN_RATE_LIMIT_PER_MINUTE: '500',
  });
  const admin = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  for (const role of ['supervisor', 'operator', 'viewer'] as const) {
    await createUser(relay.url, admin, { username: userOf(role), password: PASSWORD, role });
  }
  await createUser(relay.url, admin, { username: 'walk.wall', password: PASSWORD, role: 'viewer' });
  const issued = await fetch(new URL('/api/users/walk.wall/device-token', relay.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
  });
  wallToken = ((await issued.json()) as { token: string }).token;

  const missing = { plate: '123가4567', lon: 129.0595, lat: 35.1577 };
  await injectMissingPersonHit(relay, {
    id: 'walk-mp-1',
    ...missing,
    name: '홍길동',
    age: 81,
    description: '흰색 상의, 지팡이',
  });
  await injectMissingPersonHit(relay, {
    id: 'walk-mp-2',
    ...missing,
    name: '홍길동',
    age: 81,
    description: '흰색 상의, 지팡이',
  });
  await injectArrearsHit(relay, {
    id: 'walk-ar-1',
    plate: '45나6789',
    lon: 129.16,
    lat: 35.163,
    amountKrw: 1_250_000,
    notices: 3,
  });
  await injectDrowsy(relay, {
    id: 'walk-dr-1',
    plate: '67다8901',
    lon: 129.08,
    lat: 35.2,
    gazeClosure: 4,
    headDrop: 2,
  });
  await relay.app.alerts.escalateDue(Date.now() + PAST_EVERY_DEADLINE_MS);
  await injectFailedRetest(relay, {
    id: 'walk-ir-1',
    plate: '301머1234',
    bac: 0.052,
    lon: 129.06,
    lat: 35.16,
  });
  // One hand-off requested, so the TCS panel has a row.
  const supervisor = await apiLogin(relay.url, userOf('supervisor'), PASSWORD);
  const list = (await (
    await fetch(new URL('/api/violations', relay.url), {
      headers: { authorization: `Bearer ${supervisor}` },
    })
  ).json()) as ViolationListResponse;
  const violation = list.violations.find((v) => v.plate === '301머1234')!;
  await fetch(new URL(`/api/violations/${violation.id}/dispatch`, relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor}` },
    body: JSON.stringify({ version: violation.version, note: '현장 확인 요청' }),
  });
});

test.afterAll(async () => {
  await relay?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(SETTLE_MS);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** Clicks a test id when the role has it; false when it is not offered. */
async function clickIfThere(page: Page, testId: string): Promise<boolean> {
  const target = page.getByTestId(testId).first();
  if ((await target.count()) === 0 || !(await target.isVisible())) return false;
  await target.click();
  return true;
}

async function walkDesk(
  browser: Browser,
  role: (typeof ROLES)[number],
  language: (typeof LANGUAGES)[number],
): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const name = (screen: string) => `${role}-${language}-${screen}`;
  await loginThroughUi(page, relay.url, userOf(role), passwordOf(role));
  if (language === 'en') {
    await page.getByTestId('language-switch').click();
    await expect(page.getByTestId('language-switch')).toHaveAttribute('data-language', 'en');
  }
  await shot(page, name('1-desk'));

  await page.getByTestId('alert-row').first().click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  await shot(page, name('2-alert'));
  await page.keyboard.press('Escape');

  if (await clickIfThere(page, 'open-violations')) {
    await page.getByTestId('violation-row').first().click();
    await expect(page.getByTestId('violation-detail')).toBeVisible();
    await shot(page, name('3-violation'));
    await page.keyboard.press('Escape');
    await clickIfThere(page, 'violations-close');
  }
  if (await clickIfThere(page, 'open-tcs')) {
    await shot(page, name('4-tcs'));
    await clickIfThere(page, 'tcs-close');
  }
  if (await clickIfThere(page, 'open-kpis')) {
    await shot(page, name('5-kpi'));
    // The header's panels close with their own button again.
    await page.getByTestId('open-kpis').click();
  }
  const index = await page.evaluate(() => window.__controlRoom!.liveVehicleIndexes()[0]);
  if (index !== undefined) {
    await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
    await shot(page, name('6-vehicle'));
    await page.keyboard.press('Escape');
  }
  if (await clickIfThere(page, 'open-registry')) {
    await shot(page, name('7-registry'));
    await page.getByTestId('open-registry').click();
  }
  if (await clickIfThere(page, 'open-audit')) {
    await shot(page, name('8-audit'));
    await page.keyboard.press('Escape');
  }
  if (await clickIfThere(page, 'open-admin')) {
    await shot(page, name('9-admin'));
    await page.keyboard.press('Escape');
  }
  // The smaller desk the inbox is also checked at: the header must still fit.
  await page.setViewportSize(SMALL_VIEWPORT);
  await shot(page, name('0-desk-1400'));
  await context.close();
}

for (const role of ROLES) {
  for (const language of LANGUAGES) {
    test(`${role} in ${language}`, async ({ browser }) => {
      await walkDesk(browser, role, language);
    });
  }
}

test('the wall in each view', async ({ page }) => {
  await page.setViewportSize(VIEWPORT);
  for (const view of ['map', 'alerts', 'kpi', 'heat']) {
    await page.goto(new URL(`/kiosk?views=${view}#device=${wallToken}`, relay.url).toString());
    await expect(page.getByTestId('kiosk')).toHaveAttribute('data-state', 'ready', {
      timeout: 60_000,
    });
    await page.waitForTimeout(2_000);
    await page.screenshot({ path: `${SHOTS}/wall-${view}.png` });
  }
});
