/**
 * The seed's KPIs on the desktop (issue 15): the header's KPI button opens the panel, every figure
 * stands beside its target, and one that misses is red on screen (checked in the pixels).
 */
import { expect, test } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  loginThroughUi,
  screenshotPixels,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const VIEWER = 'wall.kpi';
/** kpis.css: a missed figure's value is #ff6b6b. */
const MISSED_RED = [0xff, 0x6b, 0x6b] as const;
const COLOR_TOLERANCE = 40;

let relay: InProcessRelay;

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '50',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  const admin = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, admin, { username: VIEWER, password: PASSWORD, role: 'viewer' });
});

test.afterAll(async () => {
  await relay?.stop();
});

test('every role sees each KPI beside its target; a miss is red', async ({ page }) => {
  // A wall's role: the figures hold no personal data.
  await loginThroughUi(page, relay.url, VIEWER, PASSWORD);
  await page.getByTestId('open-kpis').click();
  const panel = page.getByTestId('kpi-panel');
  await expect(panel).toBeVisible();
  const figures = panel.getByTestId('kpi-figure');
  // Seed 000's eight, then seed 001's four interlock figures under their own heading.
  await expect(figures).toHaveCount(12);
  await expect(panel.getByTestId('kpi-group-interlock')).toContainText('음주운전 방지장치');
  const logRate = panel.locator(
    '[data-testid="kpi-figure"][data-kpi="interlock_log_submission_rate"]',
  );
  await expect(logRate).toContainText('≥ 90.0 %');
  // The seed's abnormal-log target is a rate nobody can measure: the count, beside no target.
  await expect(
    panel.locator('[data-testid="kpi-figure"][data-kpi="interlock_abnormal_logs_today"]'),
  ).toContainText('—');
  // No arrears hits recorded this month yet: 0 against ≥ 100 is a miss.
  const hits = panel.locator('[data-testid="kpi-figure"][data-kpi="arrears_hits_month"]');
  await expect(hits).toHaveAttribute('data-tone', 'missed');
  await expect(hits).toContainText('≥ 100');
  await expect(hits).toContainText('체납 차량 적발');
  // The simulator has no Kafka: no consumer lag to judge.
  await expect(
    panel.locator('[data-testid="kpi-figure"][data-kpi="consumer_lag"]'),
  ).toHaveAttribute('data-tone', 'no-data');
  await expect(panel.getByTestId('kpi-no-alarms')).toBeVisible();

  const png = await screenshotPixels(page, test.info().outputPath('kpi-panel.png'));
  const value = (await hits.locator('.kpi-panel__value').boundingBox())!;
  let red = 0;
  for (let y = Math.ceil(value.y); y < value.y + value.height; y++) {
    for (let x = Math.ceil(value.x); x < value.x + value.width; x++) {
      const i = (png.width * y + x) << 2;
      const rgb = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (rgb.every((c, k) => Math.abs(c - MISSED_RED[k]!) < COLOR_TOLERANCE)) red++;
    }
  }
  expect(red).toBeGreaterThan(10);
});

test('the KPI and registry panels drop into the same corner one at a time (issue 19)', async ({
  page,
}) => {
  // The shift walk saw both open at once, the registry's table under the KPI figures.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('open-kpis').click();
  await expect(page.getByTestId('kpi-panel')).toBeVisible();
  await page.getByTestId('open-registry').click();
  await expect(page.getByTestId('registry-panel')).toBeVisible();
  await expect(page.getByTestId('kpi-panel')).toHaveCount(0);
  await expect(page.getByTestId('open-kpis')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('open-kpis').click();
  await expect(page.getByTestId('registry-panel')).toHaveCount(0);
  await expect(page.getByTestId('kpi-panel')).toBeVisible();
  // A vehicle opened meanwhile takes the corner: the KPI panel gives way to its drawer.
  await page.waitForFunction(() => window.__controlRoom!.liveVehicleIndexes().length > 0);
  await page.evaluate(() =>
    window.__controlRoom!.selectVehicle(window.__controlRoom!.liveVehicleIndexes()[0]!),
  );
  await expect(page.getByTestId('vehicle-drawer')).toBeVisible();
  await expect(page.getByTestId('kpi-panel')).toHaveCount(0);
});
