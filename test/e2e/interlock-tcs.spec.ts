/**
 * From an interlock violation to a case at the police TCS, in a real browser: the TCS mock
 * (`npm run tcs-mock`) and the relay both run in this process, the relay pointed at the mock.
 * A failed start test (0.05%) makes a major violation; an operator asks for the hand-off in the
 * violations panel; a supervisor, in a second browser, approves it in the TCS panel; both see it
 * accepted with the mock's case number within seconds, and the mock holds exactly one case for
 * the violation. A viewer sees everything and no buttons. A refused hand-off goes to a person, who
 * takes it over. Checks screen pixels (the major row's red, the accepted row's green), not only
 * the DOM.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  DISPATCH_COLOR_ACCEPTED,
  GRADE_COLOR_MAJOR,
} from '../../renderer/src/features/interlock/interlock-visuals';
import type {
  InterlockMasterData,
  ViolationListResponse,
  ViolationResponse,
} from '../../shared/interlock';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  countColored,
  createUser,
  flownBetween,
  kstText,
  loginThroughUi,
  near,
  pixelAt,
  screenshotPixels,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const OPERATOR = 'op.park';
const SUPERVISOR = 'sv.choi';
const VIEWER = 'wall.tcs';
const TCS_SECRET = 'e2e-tcs-secret-0123456789';
/** Inside 부산진구 (the relay places the violation there). */
const LON = 129.05;
const LAT = 35.15;
const DAY_MS = 86_400_000;
/** "Within seconds": approval to accepted, through the relay's worker and the mock. */
const ACCEPTED_WITHIN_MS = 10_000;

let mock: TcsMock;
let relay: InProcessRelay;
let adminToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mock = await startTcsMock({ port: 0, secret: TCS_SECRET });
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // No simulated traffic (and so no simulated interlock fleet): every violation is this test's.
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
    TCS_URL: mock.url,
    TCS_ALLOW_INSECURE_HTTP: 'true',
    TCS_SECRET,
    TCS_RETRY_BASE_MS: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  for (const [username, role] of [
    [OPERATOR, 'operator'],
    [SUPERVISOR, 'supervisor'],
    [VIEWER, 'viewer'],
  ] as const) {
    await createUser(relay.url, adminToken, { username, password: PASSWORD, role });
  }
});

test.afterAll(async () => {
  await relay?.stop();
  await mock?.close();
});

let deviceCounter = 0;

/**
 * Registers a device with its obliged driver and installer (as the interlock operations system
 * would), then puts a failed start test on the relay's ingest path. Returns the device id.
 */
async function failedStartTest(plate: string, bac: number): Promise<string> {
  const n = ++deviceCounter;
  const now = Date.now();
  const deviceId = `ILD-E2E-${n}`;
  const data: InterlockMasterData = {
    operators: [
      {
        operatorId: 'ILO-E2E',
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: now - 100 * DAY_MS,
        contact: '051-555-0101',
      },
    ],
    subjects: [
      {
        subjectId: `ILS-E2E-${n}`,
        name: '김민수',
        licenceNumber: '12-19-123456-78',
        phone: '010-1234-5678',
        obligationStartMs: now - 30 * DAY_MS,
        obligationEndMs: now + 300 * DAY_MS,
      },
    ],
    devices: [
      {
        deviceId,
        serialNumber: `BS25-E2E-${n}`,
        model: 'BreathSafe K-200',
        installMs: now - 30 * DAY_MS,
        lastCalibrationMs: now - 20 * DAY_MS,
        lastLogSubmittedMs: now - 5 * DAY_MS,
        subjectId: `ILS-E2E-${n}`,
        operatorId: 'ILO-E2E',
        carId: null,
        plate,
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
          event_id: `E2E-EV-${n}-${now}`,
          device_id: deviceId,
          event_type: 'start_test',
          result: 'fail',
          bac,
          lat: LAT,
          lon: LON,
          occurred_at: kstText(now),
        },
      },
    ],
    now,
  );
  return deviceId;
}

async function alertIdOf(violationId: number): Promise<number> {
  const response = await fetch(new URL(`/api/violations/${violationId}`, relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { violation } = (await response.json()) as ViolationResponse;
  if (violation.alertId === null) throw new Error(`violation ${violationId} has no alert`);
  return violation.alertId;
}

async function violationIdOf(deviceId: string): Promise<number> {
  const response = await fetch(new URL(`/api/violations?device=${deviceId}`, relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { violations } = (await response.json()) as ViolationListResponse;
  if (violations.length !== 1) throw new Error(`expected one violation for ${deviceId}`);
  return violations[0]!.id;
}

/** Each test's browser contexts, closed after it: three mapped pages at once are heavy here. */
const contexts: BrowserContext[] = [];

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

const violationRow = (page: Page, id: number) =>
  page.locator(`[data-testid="violation-row"][data-violation-id="${id}"]`);
const dispatchRowOf = (page: Page, violationId: number) =>
  page.locator(`[data-testid="dispatch-row"][data-violation-id="${violationId}"]`);
const DISPATCH_BUTTONS =
  '[data-testid="dispatch-approve"], [data-testid="dispatch-retry"], [data-testid="dispatch-takeover"]';

async function openPanel(page: Page, which: 'violations' | 'tcs'): Promise<void> {
  const button = page.getByTestId(which === 'violations' ? 'open-violations' : 'open-tcs');
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  await expect(
    page.getByTestId(which === 'violations' ? 'violations-panel' : 'tcs-panel'),
  ).toBeVisible();
}

test('violation to accepted TCS case: operator requests, supervisor approves, one case at TCS', async ({
  browser,
}) => {
  // Three browsers drawing maps through SwiftShader on two cores: well over a minute.
  test.setTimeout(240_000);
  const operator = await newPage(browser);
  const supervisor = await newPage(browser);
  const viewer = await newPage(browser);
  await loginThroughUi(operator, relay.url, OPERATOR, PASSWORD);
  await loginThroughUi(supervisor, relay.url, SUPERVISOR, PASSWORD);
  await loginThroughUi(viewer, relay.url, VIEWER, PASSWORD);
  for (const page of [operator, supervisor, viewer]) await openPanel(page, 'violations');

  const device = await failedStartTest('25가1234', 0.05);
  const id = await violationIdOf(device);

  // Live on every screen: major, open, at the top, standing out.
  for (const page of [operator, supervisor, viewer]) {
    await expect(violationRow(page, id)).toHaveAttribute('data-grade', 'major');
    await expect(violationRow(page, id)).toHaveAttribute('data-status', 'open');
    await expect(page.getByTestId('violation-row').first()).toHaveAttribute(
      'data-violation-id',
      String(id),
    );
    await expect(page.getByTestId('open-violations')).toHaveAttribute('data-count', '1');
  }
  const row = violationRow(operator, id);
  await expect(row).toContainText('중대');
  await expect(row).toContainText('시동 전 음주 측정');
  await expect(row).toContainText('0.050% (0.50‰)');
  await expect(row).toContainText('25가1234');
  await expect(row).toContainText('김*수');
  await expect(row).toContainText('부산진구');
  const rowBox = (await row.boundingBox())!;
  const panelPng = await screenshotPixels(operator, 'test-results/interlock-violations-panel.png');
  const red = countColored(
    panelPng,
    { x0: rowBox.x, y0: rowBox.y, x1: rowBox.x + rowBox.width, y1: rowBox.y + rowBox.height },
    [GRADE_COLOR_MAJOR],
    24,
  );
  // The 5 px red edge down the row and the filled "중대" chip.
  expect(red, 'major red in the violation row').toBeGreaterThan(400);

  // The detail: masked driver, device, installer, the evidence event; the map flies there
  // (from somewhere else first, so the flight is what brings it).
  await operator.evaluate(() => window.__controlRoom!.jumpTo(129.2, 35.28, 11));
  await row.click();
  const detail = operator.getByTestId('violation-detail');
  await expect(detail).toHaveAttribute('data-violation-id', String(id));
  await expect(operator.getByTestId('violation-subject-name')).toHaveText('김*수');
  await expect(operator.getByTestId('violation-subject-phone')).not.toContainText('1234-5678');
  await expect(operator.getByTestId('violation-device-serial')).toHaveText(/^BS25-E2E-\d+$/);
  await expect(operator.getByTestId('violation-device-model')).toHaveText('BreathSafe K-200');
  await expect(operator.getByTestId('violation-installer')).toHaveText('부산인터락서비스');
  await expect(operator.getByTestId('violation-bac')).toHaveText('0.050% (0.50‰)');
  await expect(operator.getByTestId('violation-occurred')).toContainText('KST');
  const evidence = operator.getByTestId('violation-evidence-event');
  await expect(evidence).toHaveCount(1);
  await expect(evidence).toContainText('시동 전 측정');
  await expect(evidence).toContainText('기준(0.03%) 이상');
  await expect(evidence).toHaveAttribute('data-event-id', /^E2E-EV-/);
  // An operator may not unmask.
  await expect(operator.getByTestId('violation-unmask')).toHaveCount(0);
  // On the map: the selected violation's red marker, white-ringed, where the flight ended.
  const [mx, my] = await flownBetween(operator, LON, LAT, {
    dockTestId: 'violations-panel',
    detailTestId: 'violation-detail',
  });
  const mapPng = await screenshotPixels(operator, 'test-results/interlock-violation-detail.png');
  expect(near(pixelAt(mapPng, mx, my), GRADE_COLOR_MAJOR, 40)).toBe(true);
  expect(
    countColored(
      mapPng,
      { x0: mx - 14, y0: my - 14, x1: mx + 14, y1: my + 14 },
      [GRADE_COLOR_MAJOR],
      40,
    ),
  ).toBeGreaterThan(150);

  // The operator asks for the hand-off.
  await operator.getByTestId('violation-request-note').fill('시동 전 측정 0.050%');
  await operator.getByTestId('violation-request-dispatch').click();
  await expect(operator.getByTestId('violation-dispatch-state')).toHaveAttribute(
    'data-state',
    'requested',
  );
  await expect(row).toHaveAttribute('data-status', 'dispatching');
  await expect(operator.getByTestId('violation-request-dispatch')).toHaveCount(0);

  // The operator follows it in the TCS panel, without approval buttons (a supervisor's call).
  await operator.getByTestId('violation-show-dispatch').click();
  await expect(operator.getByTestId('tcs-panel')).toBeVisible();
  await expect(dispatchRowOf(operator, id)).toHaveAttribute('data-state', 'requested');
  await expect(dispatchRowOf(operator, id)).toContainText('요청됨');
  await expect(operator.locator(DISPATCH_BUTTONS)).toHaveCount(0);

  // The supervisor approves; TCS (the mock) files the case and the state reaches accepted.
  await openPanel(supervisor, 'tcs');
  const supervisorRow = dispatchRowOf(supervisor, id);
  await expect(supervisorRow).toHaveAttribute('data-state', 'requested');
  await expect(supervisor.getByTestId('open-tcs')).toHaveAttribute('data-count', '1');
  const approvedAt = Date.now();
  await supervisorRow.getByTestId('dispatch-approve').click();
  await expect(supervisorRow).toHaveAttribute('data-state', 'accepted', {
    timeout: ACCEPTED_WITHIN_MS,
  });
  expect(Date.now() - approvedAt).toBeLessThan(ACCEPTED_WITHIN_MS);

  const cases = mock.cases().cases.filter((c) => c.violationId === id);
  expect(cases, 'exactly one case at TCS for the violation').toHaveLength(1);
  const caseNumber = cases[0]!.caseNumber;
  expect(caseNumber).toMatch(/^TCS-\d{8}-\d{6}$/);
  await expect(supervisorRow.getByTestId('dispatch-case-number')).toHaveText(caseNumber);
  await expect(supervisorRow).toContainText('접수됨');
  await expect(supervisorRow.locator(DISPATCH_BUTTONS)).toHaveCount(0);
  // The operator's screen follows live, and so does the violation.
  await expect(dispatchRowOf(operator, id)).toHaveAttribute('data-state', 'accepted');
  await expect(dispatchRowOf(operator, id).getByTestId('dispatch-case-number')).toHaveText(
    caseNumber,
  );
  await expect(supervisor.getByTestId('tcs-success-rate')).toHaveText('100.0%');
  await expect(supervisor.getByTestId('tcs-success-rate')).toHaveAttribute(
    'data-meets-target',
    'true',
  );
  await expect(supervisor.getByTestId('tcs-not-configured')).toHaveCount(0);

  // The accepted state's green is in the panel's pixels, along the row.
  const acceptedBox = (await supervisorRow.boundingBox())!;
  const tcsPng = await screenshotPixels(supervisor, 'test-results/interlock-tcs-accepted.png');
  const green = countColored(
    tcsPng,
    {
      x0: acceptedBox.x,
      y0: acceptedBox.y,
      x1: acceptedBox.x + acceptedBox.width,
      y1: acceptedBox.y + acceptedBox.height,
    },
    [DISPATCH_COLOR_ACCEPTED],
    24,
  );
  // The 6 px edge down a ~104 px row, plus the filled "접수됨" chip.
  expect(green, 'accepted green in the hand-off row').toBeGreaterThan(500);

  // The supervisor may unmask the driver (audited by the relay).
  await supervisorRow.click();
  await expect(supervisor.getByTestId('violation-detail')).toHaveAttribute(
    'data-status',
    'dispatched',
  );
  await supervisor.getByTestId('violation-unmask').click();
  await expect(supervisor.getByTestId('violation-unmasked')).toBeVisible();
  await expect(supervisor.getByTestId('violation-subject-name')).toHaveText('김민수');
  await expect(supervisor.getByTestId('violation-subject-phone')).toHaveText('010-1234-5678');
  await expect(supervisor.getByTestId('violation-handoff')).toContainText(caseNumber);

  // A viewer (a wall) sees the whole story and no button to act with.
  await expect(violationRow(viewer, id)).toHaveAttribute('data-status', 'dispatched');
  await violationRow(viewer, id).click();
  await expect(viewer.getByTestId('violation-detail')).toBeVisible();
  await expect(viewer.getByTestId('violation-request-dispatch')).toHaveCount(0);
  await expect(viewer.getByTestId('violation-unmask')).toHaveCount(0);
  await openPanel(viewer, 'tcs');
  await expect(dispatchRowOf(viewer, id)).toHaveAttribute('data-state', 'accepted');
  await expect(dispatchRowOf(viewer, id).getByTestId('dispatch-case-number')).toHaveText(
    caseNumber,
  );
  await expect(viewer.locator(DISPATCH_BUTTONS)).toHaveCount(0);
  // And in English.
  await viewer.getByTestId('language-switch').click();
  await expect(dispatchRowOf(viewer, id)).toContainText('Accepted');
  await expect(viewer.getByTestId('tcs-panel')).toContainText('Police TCS hand-off');
  await screenshotPixels(viewer, 'test-results/interlock-tcs-viewer-en.png');

  // The violation's inbox alert followed its hand-off: dispatched, with the case number, so it
  // neither escalates nor rings any more.
  const alertId = await alertIdOf(id);
  await operator.getByTestId('open-tcs').click();
  await expect(operator.getByTestId('tcs-panel')).toHaveCount(0);
  const alertRow = operator.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
  await expect(alertRow).toHaveAttribute('data-status', 'dispatched');
  await alertRow.click();
  await expect(operator.getByTestId('alert-detail')).toHaveAttribute('data-status', 'dispatched');
  await expect(operator.getByTestId('evidence-tcs-case')).toHaveText(caseNumber);

  // Still one case after all of it.
  expect(mock.cases().cases.filter((c) => c.violationId === id)).toHaveLength(1);
});

test('a hand-off TCS refuses goes to a person, who takes it over with an outcome', async ({
  browser,
}) => {
  const supervisor = await newPage(browser);
  await loginThroughUi(supervisor, relay.url, SUPERVISOR, PASSWORD);
  const device = await failedStartTest('26나5678', 0.081);
  const id = await violationIdOf(device);
  const operatorToken = await apiLogin(relay.url, OPERATOR, PASSWORD);
  const requested = await fetch(new URL(`/api/violations/${id}/dispatch`, relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ note: 'api request' }),
  });
  expect(requested.status).toBe(201);

  mock.setMode({ mode: 'reject', count: 1, delayMs: 0 });
  await openPanel(supervisor, 'tcs');
  const row = dispatchRowOf(supervisor, id);
  // Waiting for a person: listed first.
  await expect(supervisor.getByTestId('dispatch-row').first()).toHaveAttribute(
    'data-violation-id',
    String(id),
  );
  await row.getByTestId('dispatch-approve').click();
  await expect(row).toHaveAttribute('data-state', 'rejected', { timeout: ACCEPTED_WITHIN_MS });
  await expect(row.getByTestId('dispatch-last-error')).toContainText('422');
  await expect(row.getByTestId('dispatch-retry')).toBeVisible();
  await expect(row.getByTestId('dispatch-attempts')).toContainText('1/');

  await row.getByTestId('dispatch-takeover').click();
  const form = supervisor.getByTestId('dispatch-takeover-form');
  await expect(form).toBeVisible();
  await expect(supervisor.getByTestId('dispatch-takeover-submit')).toBeDisabled();
  await supervisor.getByTestId('dispatch-takeover-outcome').selectOption('withdrawn');
  await supervisor.getByTestId('dispatch-takeover-note').fill('측정기 오류 확인, 접수하지 않음');
  await supervisor.getByTestId('dispatch-takeover-submit').click();
  await expect(form).toHaveCount(0);
  await expect(row).toHaveAttribute('data-state', 'manual');
  await expect(row).toContainText('철회');
  await expect(row.locator(DISPATCH_BUTTONS)).toHaveCount(0);
  // One accepted, one refused on content and withdrawn: the link answered both (100%, the
  // target met), and one of the two requests ended in a case.
  await expect(supervisor.getByTestId('tcs-success-rate')).toHaveText('100.0%');
  await expect(supervisor.getByTestId('tcs-success-rate')).toHaveAttribute(
    'data-meets-target',
    'true',
  );
  await expect(supervisor.getByTestId('tcs-case-rate')).toHaveText('50.0%');
  await screenshotPixels(supervisor, 'test-results/interlock-tcs-takeover.png');
  // TCS never filed this one.
  expect(mock.cases().cases.filter((c) => c.violationId === id)).toHaveLength(0);
});

test('a relay without a TCS endpoint says so in the TCS panel', async ({ page }) => {
  const bare = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
  });
  try {
    await loginThroughUi(page, bare.url, 'admin', TEST_ADMIN_PASSWORD);
    await openPanel(page, 'tcs');
    await expect(page.getByTestId('tcs-not-configured')).toContainText('TCS_URL');
    await expect(page.getByTestId('tcs-success-rate')).toHaveText('—');
  } finally {
    await bare.stop();
  }
});
