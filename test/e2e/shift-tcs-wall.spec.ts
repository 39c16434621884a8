/**
 * Two panels read at a glance (issue 19): a TCS row shows the whole plate, whatever the rule's
 * words and the chips beside it, and the 진행 중 count tile keeps its label on one line; the
 * wall's KPI figure in alarm stays readable (steady, full strength) while its tile's border
 * flashes.
 */
import { expect, test, type Page } from '@playwright/test';
import type { InterlockMasterData, ViolationListResponse } from '../../shared/interlock';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  injectDrowsy,
  kstText,
  loginThroughUi,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const SUPERVISOR = 'sv.tcs';
const OPERATOR = 'op.tcs';
const WALL = 'wall.tcs';
/** The plate the issue saw cut to "301머1…". */
const PLATE = '301머1234';
const DEVICE = 'ILD-SHIFT-1';
const LON = 129.05;
const LAT = 35.15;
const DAY_MS = 86_400_000;
/** Later than any deadline: escalateDue(now + this) escalates every unacknowledged alert. */
const PAST_EVERY_DEADLINE_MS = 60 * 60_000;
/** How often the wall's alarm is sampled, and for how long (longer than one 1 s flash cycle). */
const SAMPLE_EVERY_MS = 100;
const SAMPLES = 14;

let relay: InProcessRelay;
let adminToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  for (const [username, role] of [
    [SUPERVISOR, 'supervisor'],
    [OPERATOR, 'operator'],
    [WALL, 'viewer'],
  ] as const) {
    await createUser(relay.url, adminToken, { username, password: PASSWORD, role });
  }
});

test.afterAll(async () => {
  await relay?.stop();
});

/** A registered device's rolling retest over the limit (the longest rule name), then a request. */
async function requestedHandOff(): Promise<number> {
  const now = Date.now();
  const data: InterlockMasterData = {
    operators: [
      {
        operatorId: 'ILO-SHIFT',
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: now - 100 * DAY_MS,
        contact: '051-555-0101',
      },
    ],
    subjects: [
      {
        subjectId: 'ILS-SHIFT-1',
        name: '김민수',
        licenceNumber: '12-19-123456-78',
        phone: '010-1234-5678',
        obligationStartMs: now - 30 * DAY_MS,
        obligationEndMs: now + 300 * DAY_MS,
      },
    ],
    devices: [
      {
        deviceId: DEVICE,
        serialNumber: 'BS25-SHIFT-1',
        model: 'BreathSafe K-200',
        installMs: now - 30 * DAY_MS,
        lastCalibrationMs: now - 20 * DAY_MS,
        lastLogSubmittedMs: now - 5 * DAY_MS,
        subjectId: 'ILS-SHIFT-1',
        operatorId: 'ILO-SHIFT',
        carId: null,
        plate: PLATE,
      },
    ],
  };
  await relay.app.interlock.saveMasterData(data, now);
  await relay.app.ingest.ingest(
    [
      {
        topic: 'interlock_event',
        partition: null,
        offset: null,
        value: {
          event_id: `SHIFT-EV-1-${now}`,
          device_id: DEVICE,
          event_type: 'rolling_retest',
          result: 'fail',
          bac: 0.074,
          lat: LAT,
          lon: LON,
          occurred_at: kstText(now),
        },
      },
    ],
    now,
  );
  const listed = await fetch(new URL(`/api/violations?device=${DEVICE}`, relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { violations } = (await listed.json()) as ViolationListResponse;
  const id = violations[0]!.id;
  const operatorToken = await apiLogin(relay.url, OPERATOR, PASSWORD);
  const requested = await fetch(new URL(`/api/violations/${id}/dispatch`, relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ note: '음주 운행 중' }),
  });
  expect(requested.status).toBe(201);
  return id;
}

/** Whether an element's text is wholly inside it (not cut by an ellipsis or its row). */
async function shownWhole(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => {
    const own = element.getBoundingClientRect();
    const row = element.closest('[data-testid="dispatch-row"]')!.getBoundingClientRect();
    return element.scrollWidth <= element.clientWidth + 1 && own.right <= row.right;
  });
}

test('a TCS row shows the whole plate and the 진행 중 tile stays on one line', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, SUPERVISOR, PASSWORD);
  const violationId = await requestedHandOff();
  await page.getByTestId('open-tcs').click();
  const row = page.locator(`[data-testid="dispatch-row"][data-violation-id="${violationId}"]`);
  // Waiting for the supervisor's approval: the attention chip is on the line too.
  await expect(row.getByTestId('dispatch-attention')).toBeVisible();
  await expect(row.getByTestId('dispatch-plate')).toHaveText(PLATE);
  expect(
    await shownWhole(page, `[data-violation-id="${violationId}"] [data-testid="dispatch-plate"]`),
  ).toBe(true);
  await expect(row).toContainText('운행 중 재측정 음주');

  const pendingLabel = page.locator('.tcs-kpi__count--pending dt');
  await expect(pendingLabel).toHaveText('진행 중');
  const lines = await pendingLabel.evaluate((element) => {
    const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight) || 16;
    return Math.round(element.getBoundingClientRect().height / lineHeight);
  });
  expect(lines).toBe(1);
  await page.screenshot({ path: 'test-results/shift-tcs-panel.png' });
});

test("the wall's KPI figure in alarm stays readable while its tile's border flashes", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await injectDrowsy(relay, {
    id: 'wall-dr-1',
    plate: '12가3456',
    lon: 129.06,
    lat: 35.18,
    gazeClosure: 7,
    headDrop: 2,
  });
  await relay.app.alerts.escalateDue(Date.now() + PAST_EVERY_DEADLINE_MS);
  const issued = await fetch(new URL(`/api/users/${WALL}/device-token`, relay.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(issued.status).toBe(201);
  const { token } = (await issued.json()) as { token: string };
  await page.goto(new URL(`/kiosk?views=kpi#device=${token}`, relay.url).toString());
  const figure = page.getByTestId('kiosk-kpi-unacknowledged');
  await expect(figure).toHaveClass(/kiosk-figure--alarm/);
  await expect(figure).toHaveAttribute('data-value', /^[1-9]\d*$/);
  const value = figure.locator('.kiosk-figure__value');

  // Sampled through more than one flash cycle: the number never dims, the border does flash.
  const samples: { opacity: string; animation: string; color: string; border: string }[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(
      await value.evaluate((element) => {
        const style = getComputedStyle(element);
        const tile = getComputedStyle(element.closest('.kiosk-figure')!);
        return {
          opacity: style.opacity,
          animation: style.animationName,
          color: style.color,
          border: tile.animationName,
        };
      }),
    );
    await page.waitForTimeout(SAMPLE_EVERY_MS);
  }
  for (const sample of samples) {
    expect(sample.opacity).toBe('1');
    expect(sample.animation).toBe('none');
    expect(sample.border).toBe('kiosk-flash-border');
  }
  // The alarm colour, bright enough on the dark tile (#ff7b7b).
  expect(samples[0]!.color).toBe('rgb(255, 123, 123)');
  await page.screenshot({ path: 'test-results/shift-wall-kpi.png' });
});
