/**
 * The alert inbox in a real browser against a real relay (built in this process, so detections
 * can be put on its ingest path deterministically): an operator and a supervisor work the same
 * alert side by side, a viewer sees no controls, the audit screen shows who did what, overdue
 * alerts stand out. Checks screen pixels (inbox colours, the marker on the map), not only the DOM.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  ESCALATED_COLOR,
  SEVERITY_COLOR_CRITICAL,
} from '../../renderer/src/features/alerts/alert-visuals';
import { MAX_COMMENT_LENGTH, type AlertListResponse } from '../../shared/alerts';
import { can } from '../../shared/roles';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  countColored,
  createUser,
  injectArrearsHit,
  injectDrowsy,
  injectMissingPersonHit,
  loginThroughUi,
  near,
  pixelAt,
  screenshotPixels,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const OPERATOR = 'op.kim';
const SUPERVISOR = 'sv.lee';
const VIEWER = 'wall.view';
/** A missing person's car, read by a camera in 연제구 (the relay places it there). */
const MISSING = {
  id: 'mp-e2e-1',
  plate: '12가3456',
  lon: 129.0756,
  lat: 35.1796,
  name: '김민수',
  age: 78,
  description: '회색 점퍼, 치매 증상',
};
/** Other alerts, so the inbox has company. */
const ARREARS = {
  id: 'ar-e2e-1',
  plate: '34나5678',
  lon: 129.16,
  lat: 35.163,
  amountKrw: 1_250_000,
  notices: 6,
};
const DROWSY = {
  id: 'dr-e2e-1',
  plate: '56다7890',
  lon: 129.06,
  lat: 35.21,
  gazeClosure: 8,
  headDrop: 3,
};

let relay: InProcessRelay;
let adminToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // No simulated traffic: every alert here is one this test put in, so counts and sounds are exact.
    SIM_VEHICLES: '0',
    // Critical alerts escalate after a minute (the shortest the relay allows).
    ALERT_DEADLINES_MINUTES: 'critical:1',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: OPERATOR,
    password: PASSWORD,
    role: 'operator',
  });
  await createUser(relay.url, adminToken, {
    username: SUPERVISOR,
    password: PASSWORD,
    role: 'supervisor',
  });
  await createUser(relay.url, adminToken, { username: VIEWER, password: PASSWORD, role: 'viewer' });
});

test.afterAll(async () => {
  await relay?.stop();
});

async function alertIdOfPlate(plate: string): Promise<number> {
  const response = await fetch(new URL('/api/alerts', relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { alerts } = (await response.json()) as AlertListResponse;
  const alert = alerts.find((a) => a.plate === plate);
  if (!alert) throw new Error(`no alert for ${plate}`);
  return alert.id;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** How long a quiet feed (nothing moving) is watched to stay live. */
const QUIET_FEED_CHECK_S = 8;

const row = (page: Page, id: number) =>
  page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);

/**
 * Where the selected alert is on screen once the map has flown to it: the fly-to puts it in the
 * middle of the map that stays visible between the inbox, the detail panel and the header, so this
 * waits until its projection reaches that point.
 */
async function flownTo(page: Page, lon: number, lat: number): Promise<[number, number]> {
  const inbox = (await page.getByTestId('alert-inbox').boundingBox())!;
  const detail = (await page.getByTestId('alert-detail').boundingBox())!;
  const header = (await page.locator('header').boundingBox())!;
  const height = page.viewportSize()!.height;
  const target = [
    (inbox.x + inbox.width + detail.x) / 2,
    (header.y + header.height + height) / 2,
  ] as const;
  let at: [number, number] = [NaN, NaN];
  await expect
    .poll(
      async () => {
        at = await page.evaluate(
          ([x, y]) => window.__controlRoom!.projectLngLat(x!, y!),
          [lon, lat],
        );
        return Math.hypot(at[0] - target[0], at[1] - target[1]);
      },
      { timeout: 15_000 },
    )
    .toBeLessThan(2);
  return at;
}

test('login explains refusals, survives a reload, and logs out', async ({ page }) => {
  await page.goto(relay.url);
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.getByTestId('login-username').fill(OPERATOR);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText(
    '아이디 또는 비밀번호가 올바르지 않습니다.',
  );

  // The relay's rate limit (429 with Retry-After) is told as such.
  await page.route('**/api/auth/login', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'retry-after': '42', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many attempts' } }),
    }),
  );
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('42초 후 다시 시도하세요');
  await page.unroute('**/api/auth/login');

  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('user-menu')).toHaveAttribute('data-role', 'operator');
  await expect(page.getByTestId('user-menu')).toContainText(OPERATOR);
  await expect(page.getByTestId('user-menu')).toContainText('관제요원');
  const stored = await page.evaluate(() =>
    JSON.parse(sessionStorage.getItem('controlRoom.session')!),
  );
  expect(stored.user).toEqual({ username: OPERATOR, role: 'operator' });
  expect(typeof stored.token).toBe('string');

  await page.reload();
  await expect(page.getByTestId('alert-inbox')).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('controlRoom.session'))).toBeNull();
});

test('an invalid token goes back to the login with a message', async ({ page }) => {
  await page.goto(relay.url);
  await page.evaluate(() =>
    sessionStorage.setItem(
      'controlRoom.session',
      JSON.stringify({ token: 'not-a-token', user: { username: 'ghost', role: 'admin' } }),
    ),
  );
  await page.reload();
  await expect(page.getByTestId('login-error')).toContainText('세션이 만료되었거나', {
    timeout: 15_000,
  });
});

test('operator and supervisor work one alert: the operator sees who acknowledged within a second', async ({
  browser,
}) => {
  // Two browsers drawing through SwiftShader on a shared 2-core machine: generous, not tight.
  test.setTimeout(240_000);
  const operator = await newPage(browser);
  const supervisor = await newPage(browser);
  // Record desktop notifications instead of showing them.
  await supervisor.context().grantPermissions(['notifications']);
  await supervisor.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __notifications: string[] }).__notifications = shown;
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string) {
        shown.push(title);
      }
      close() {}
    }
    (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
  });
  await loginThroughUi(operator, relay.url, OPERATOR, PASSWORD);
  await loginThroughUi(supervisor, relay.url, SUPERVISOR, PASSWORD);

  await injectArrearsHit(relay, ARREARS);
  await injectDrowsy(relay, DROWSY);
  await injectMissingPersonHit(relay, MISSING);
  const id = await alertIdOfPlate(MISSING.plate);

  // Both screens get it live, at the top (unresolved, critical, newest).
  for (const page of [operator, supervisor]) {
    await expect(row(page, id)).toHaveAttribute('data-status', 'new');
    await expect(page.getByTestId('alert-row').first()).toHaveAttribute(
      'data-alert-id',
      String(id),
    );
    await expect(row(page, id)).toHaveAttribute('data-type', 'MISSING_PERSON_HIT');
    await expect(row(page, id)).toContainText('실종자 차량');
    await expect(row(page, id)).toContainText(MISSING.plate);
    await expect(row(page, id)).toContainText('연제구');
    await expect(page.getByTestId('alert-count-new')).toHaveAttribute('data-count', '3');
  }
  // It rings (the most urgent: the missing person) and, being critical, it notified.
  await expect(supervisor.getByTestId('sound-toggle')).toHaveAttribute(
    'data-ringing',
    'MISSING_PERSON_HIT',
  );
  await expect
    .poll(() =>
      supervisor.evaluate(
        () => (window as unknown as { __notifications: string[] }).__notifications,
      ),
    )
    .toEqual(['[긴급] 실종자 차량']);

  // The new critical alert's colour is in the inbox pixels.
  const box = (await row(operator, id).boundingBox())!;
  const inboxPng = await screenshotPixels(operator, 'test-results/alert-inbox-new.png');
  const critical = countColored(
    inboxPng,
    { x0: box.x, y0: box.y, x1: box.x + box.width, y1: box.y + box.height },
    [SEVERITY_COLOR_CRITICAL],
    24,
  );
  expect(critical).toBeGreaterThan(300);

  // The operator opens it: masked personal data, only the operator's actions.
  await row(operator, id).click();
  const operatorDetail = operator.getByTestId('alert-detail');
  await expect(operatorDetail).toHaveAttribute('data-alert-id', String(id));
  await expect(operator.getByTestId('evidence-name')).toHaveText('김*수');
  await expect(operator.getByTestId('evidence-age')).toHaveText('70대');
  await expect(operator.getByTestId('evidence-description')).toHaveText('비공개');
  await expect(operator.getByTestId('alert-unmask')).toHaveCount(0);
  await expect(operator.getByTestId('alert-ack')).toHaveCount(can('operator', 'alert.ack') ? 1 : 0);
  await expect(operator.getByTestId('alert-resolve')).toHaveCount(
    can('operator', 'alert.resolve') ? 1 : 0,
  );
  await expect(operator.getByTestId('alert-acknowledged-by')).toHaveText('—');

  // The operator claims it (C) and comments; the supervisor sees both.
  await operator.keyboard.press('c');
  await expect(operator.getByTestId('alert-assignee')).toHaveText(OPERATOR);
  const commentText = '현장 순찰차 확인 요청';
  await operator.getByTestId('alert-comment-input').fill(commentText);
  // The box counts characters against the limit both ends check (shared/alerts.ts).
  await expect(operator.getByTestId('alert-comment-counter')).toHaveText(
    `${commentText.length} / ${MAX_COMMENT_LENGTH}자`,
  );
  await operator.getByTestId('alert-comment-submit').click();
  // The new comment arrives on its own (the alert carries only its count) and is shown at once.
  await expect(operator.getByTestId('alert-comment')).toContainText(commentText);
  await expect(operator.getByTestId('alert-comment-counter')).toHaveText(
    `0 / ${MAX_COMMENT_LENGTH}자`,
  );

  // The supervisor selects it: the map flies there and the marker shows the severity colour.
  await row(supervisor, id).click();
  await expect(supervisor.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', String(id));
  await expect(supervisor.getByTestId('alert-assignee')).toHaveText(OPERATOR);
  await expect(supervisor.getByTestId('alert-comment')).toContainText('현장 순찰차 확인 요청');
  await expect(supervisor.getByTestId('alert-comment')).toContainText(OPERATOR);
  const [mx, my] = await flownTo(supervisor, MISSING.lon, MISSING.lat);
  const mapPng = await screenshotPixels(supervisor, 'test-results/alert-detail-supervisor.png');
  expect(near(pixelAt(mapPng, mx, my), SEVERITY_COLOR_CRITICAL, 40)).toBe(true);
  expect(
    countColored(
      mapPng,
      { x0: mx - 14, y0: my - 14, x1: mx + 14, y1: my + 14 },
      [SEVERITY_COLOR_CRITICAL],
      40,
    ),
  ).toBeGreaterThan(150);
  // One parked car and nothing moving: the feed still reads live (the relay's heartbeat frames),
  // for longer than a live frame may be old (5 s) and up to the next key frame (10 s).
  const status = supervisor.getByTestId('connection-status');
  await expect(status).toHaveAttribute('data-state', 'live');
  for (let second = 0; second < QUIET_FEED_CHECK_S; second++) {
    expect(await status.getAttribute('data-state')).toBe('live');
    await supervisor.waitForTimeout(1000);
  }
  // The selected alert pulses: a ring centred on it that the compositor animates (no map redraw).
  const pulse = supervisor.locator(`.alert-pulse[data-alert-id="${id}"]`);
  await expect(pulse).toHaveCount(1);
  const ring = (await pulse.boundingBox())!;
  expect(Math.hypot(ring.x + ring.width / 2 - mx, ring.y + ring.height / 2 - my)).toBeLessThan(2);
  expect(await pulse.evaluate((e) => getComputedStyle(e, '::after').animationName)).toBe(
    'alert-pulse',
  );

  // The supervisor unmasks (audited) and sees the person.
  await supervisor.getByTestId('alert-unmask').click();
  await expect(supervisor.getByTestId('alert-unmasked')).toBeVisible();
  await expect(supervisor.getByTestId('evidence-name')).toHaveText(MISSING.name);
  await expect(supervisor.getByTestId('evidence-description')).toHaveText(MISSING.description);

  // The supervisor acknowledges; the operator's screen says who, within a second.
  await supervisor.getByTestId('alert-ack').click();
  await expect(supervisor.getByTestId('alert-detail-status')).toHaveText('확인됨');
  await expect(operator.getByTestId('alert-acknowledged-by')).toContainText(SUPERVISOR, {
    timeout: 1000,
  });
  await expect(operator.getByTestId('alert-acknowledged-by')).toContainText('KST');
  await expect(row(operator, id)).toHaveAttribute('data-status', 'acknowledged');
  await expect(operator.getByTestId('alert-count-acknowledged')).toHaveAttribute('data-count', '1');
  // Acknowledged: the missing person no longer rings (the two lesser alerts still do).
  await expect(supervisor.getByTestId('sound-toggle')).not.toHaveAttribute(
    'data-ringing',
    'MISSING_PERSON_HIT',
  );
  await screenshotPixels(operator, 'test-results/alert-acknowledged-operator.png');

  // Dispatch (D), then resolve with a note; the operator follows along.
  await supervisor.keyboard.press('d');
  await expect(row(operator, id)).toHaveAttribute('data-status', 'dispatched');
  await supervisor.getByTestId('alert-resolution').selectOption('handled');
  await supervisor.getByTestId('alert-resolve-note').fill('보호자 인계 완료');
  await supervisor.getByTestId('alert-resolve').click();
  await expect(row(operator, id)).toHaveAttribute('data-status', 'resolved');
  await expect(operator.getByTestId('alert-resolved-by')).toContainText(SUPERVISOR);
  await expect(operator.getByTestId('alert-resolved-by')).toContainText('보호자 인계 완료');
  await expect(supervisor.getByTestId('alert-ack')).toBeDisabled();

  // Filters: by type and by district.
  await operator.getByTestId('alert-filter-type').selectOption('ARREARS_HIT');
  await expect(operator.getByTestId('alert-row')).toHaveCount(1);
  await expect(operator.getByTestId('alert-row').first()).toContainText(ARREARS.plate);
  await expect(operator.getByTestId('alert-row').first()).toContainText('체납차량');
  await operator.getByTestId('alert-filter-type').selectOption('');
  await operator.getByTestId('alert-filter-district').selectOption('21130');
  await expect(operator.getByTestId('alert-row')).toHaveCount(1);
  await expect(operator.getByTestId('alert-row').first()).toHaveAttribute(
    'data-alert-id',
    String(id),
  );
  await operator.getByTestId('alert-filter-district').selectOption('');

  // The audit screen shows who did what; its CSV downloads with the token.
  await supervisor.getByTestId('open-audit').click();
  await expect(supervisor.getByTestId('audit-view')).toBeVisible();
  const ackRow = supervisor.locator('[data-testid="audit-row"][data-action="alert.ack"]');
  await expect(ackRow).toHaveCount(1);
  await expect(ackRow).toHaveAttribute('data-actor', SUPERVISOR);
  // In words, in the reader's language (issue 19), not field names and codes.
  await expect(ackRow).toContainText('상태: 신규 → 확인됨');
  await expect(
    supervisor.locator('[data-testid="audit-row"][data-action="pii.unmask"]'),
  ).toHaveCount(1);
  await screenshotPixels(supervisor, 'test-results/alert-audit.png');
  const [download] = await Promise.all([
    supervisor.waitForEvent('download'),
    supervisor.getByTestId('export-audit-csv').click(),
  ]);
  // Named by what it holds and when, in KST (issue 19).
  expect(download.suggestedFilename()).toMatch(/^감사기록_\d{4}-\d{2}-\d{2}_\d{4}\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv as Buffer[]).toString('utf8');
  expect(text).toContain('alert.ack');
  expect(text).toContain(SUPERVISOR);
  const [alertsCsv] = await Promise.all([
    supervisor.waitForEvent('download'),
    supervisor.getByTestId('export-alerts-csv').click(),
  ]);
  expect(alertsCsv.suggestedFilename()).toMatch(/^경보_\d{4}-\d{2}-\d{2}_\d{4}\.csv$/);

  await operator.context().close();
  await supervisor.context().close();
});

test('a viewer sees alerts but no action anywhere', async ({ browser }) => {
  const viewer = await newPage(browser);
  await loginThroughUi(viewer, relay.url, VIEWER, PASSWORD);
  const id = await alertIdOfPlate(ARREARS.plate);
  await row(viewer, id).click();
  await expect(viewer.getByTestId('alert-detail')).toBeVisible();
  await expect(viewer.getByTestId('evidence-amount')).toHaveText('₩1,250,000');
  await expect(viewer.getByTestId('evidence-notices')).toHaveText('6회');
  await expect(viewer.getByTestId('evidence-ocr')).toHaveText('93%');
  for (const testId of [
    'alert-ack',
    'alert-assign',
    'alert-assignee-select',
    'alert-dispatch',
    'alert-resolve',
    'alert-unmask',
    'alert-comment-input',
    'alert-comment-submit',
    'export-alerts-csv',
    'export-audit-csv',
    'open-audit',
  ]) {
    await expect(viewer.getByTestId(testId)).toHaveCount(0);
  }
  // Close, and the read-only "replay from here" (issue 18): nothing that changes anything.
  await expect(viewer.getByTestId('alert-detail').locator('button')).toHaveCount(2);
  await expect(viewer.getByTestId('replay-from-here')).toHaveCount(1);
  await expect(viewer.getByTestId('user-menu')).toContainText('열람자');
  // Shortcuts do nothing either.
  await viewer.keyboard.press('a');
  await expect(viewer.getByTestId('alert-detail')).toHaveAttribute('data-status', 'new');
  await viewer.context().close();
});

test('an alert nobody acknowledges escalates and stands out in red', async ({ browser }) => {
  test.setTimeout(150_000);
  const supervisor = await newPage(browser);
  await loginThroughUi(supervisor, relay.url, SUPERVISOR, PASSWORD);
  await injectMissingPersonHit(relay, {
    ...MISSING,
    id: 'mp-e2e-2',
    plate: '78라9012',
    lon: 129.16,
    lat: 35.16,
  });
  const id = await alertIdOfPlate('78라9012');
  await expect(row(supervisor, id)).toHaveAttribute('data-escalated', 'false');
  // The relay's deadline is a minute; its escalation check runs every few seconds.
  await expect(row(supervisor, id)).toHaveAttribute('data-escalated', 'true', { timeout: 100_000 });
  await expect(row(supervisor, id)).toContainText('기한 초과');
  await expect(supervisor.getByTestId('sound-toggle')).toHaveAttribute(
    'data-ringing-escalated',
    'true',
  );
  const box = (await row(supervisor, id).boundingBox())!;
  const png = await screenshotPixels(supervisor, 'test-results/alert-escalated.png');
  const red = countColored(
    png,
    { x0: box.x, y0: box.y, x1: box.x + box.width, y1: box.y + box.height },
    [ESCALATED_COLOR],
    24,
  );
  expect(red).toBeGreaterThan(600);
  // On the map too, though nobody selected it.
  await expect(supervisor.locator(`.alert-pulse[data-alert-id="${id}"]`)).toHaveCount(1);
  await supervisor.context().close();
});
