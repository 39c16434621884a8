/**
 * A shift at the inbox (issue 19): the list holds still under the pointer and while an alert is
 * open, arrivals wait in a bar that inserts them on a click (or at rest); the keyboard walks the
 * list and opens an alert; a supervisor acknowledges several checked alerts at once with one
 * note; an action tried while the relay was away says so, and the message goes by itself once the
 * link is back.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AlertListResponse } from '../../shared/alerts';
import {
  SOCKET_LOAD_REFUSAL_CODE,
  SOCKET_LOAD_REFUSALS,
  type SocketRefusalData,
} from '../../shared/socket-admission';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  injectDrowsy,
  injectMissingPersonHit,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const LOGIN_WAIT_MS = 120_000;
const SUPERVISOR = 'sv.shift';
const OPERATOR = 'op.shift';
/** Places inside Busan, a little apart. */
const lonOf = (n: number) => 129.03 + n * 0.004;
const latOf = (n: number) => 35.15 + n * 0.003;
/** How long the relay tells a refused socket to wait before trying again. */
const RETRY_AFTER_MS = 300;

let relay: InProcessRelay;
let adminToken: string;
let counter = 0;
/** While true, the relay refuses sockets as if it were away (see blockSockets). */
let relayAway = false;

test.describe.configure({ mode: 'serial' });

/**
 * Each test logs in one to three mapped browsers: well under a minute on a quiet machine, several
 * where nine sessions share two cores (load 30 was seen).
 */
test.setTimeout(300_000);

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: SUPERVISOR,
    password: PASSWORD,
    role: 'supervisor',
  });
  await createUser(relay.url, adminToken, {
    username: OPERATOR,
    password: PASSWORD,
    role: 'operator',
  });
  // The relay "away": every socket refused (as the relay does under load, so clients retry).
  relay.app.io.use((_socket, next) => {
    if (!relayAway) return next();
    const refusal = new Error(SOCKET_LOAD_REFUSALS.clients) as Error & {
      data: SocketRefusalData;
    };
    refusal.data = {
      code: SOCKET_LOAD_REFUSAL_CODE,
      reason: 'clients',
      retryAfterMs: RETRY_AFTER_MS,
    };
    next(refusal);
  });
});

test.afterAll(async () => {
  await relay?.stop();
});

/**
 * Logs in through the login screen and waits for the first alert snapshot, longer than the
 * shared helper does: several mapped pages on two busy cores take a while to load.
 */
async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(relay.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page
    .locator('[data-testid="alert-inbox"][data-loaded="true"]')
    .waitFor({ timeout: LOGIN_WAIT_MS });
}

const contexts: BrowserContext[] = [];
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  return context.newPage();
}
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function alertIdOfPlate(plate: string): Promise<number> {
  const response = await fetch(new URL('/api/alerts?limit=5000', relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { alerts } = (await response.json()) as AlertListResponse;
  const alert = alerts.find((a) => a.plate === plate);
  if (!alert) throw new Error(`no alert for ${plate}`);
  return alert.id;
}

async function drowsy(plate: string): Promise<number> {
  const n = ++counter;
  await injectDrowsy(relay, {
    id: `shift-dr-${n}`,
    plate,
    lon: lonOf(n),
    lat: latOf(n),
    gazeClosure: 6,
    headDrop: 2,
  });
  return alertIdOfPlate(plate);
}

const row = (page: Page, id: number) =>
  page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
const rowIds = (page: Page) =>
  page.getByTestId('alert-row').evaluateAll((rows) =>
    rows
      .map((r) => ({
        id: Number(r.getAttribute('data-alert-id')),
        top: r.getBoundingClientRect().top,
      }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.id),
  );

test('the list holds still under the pointer; arrivals wait in a bar; the keyboard walks it', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, SUPERVISOR);
  const first = await drowsy('11가1111');
  const second = await drowsy('22나2222');
  await expect(row(page, second)).toBeVisible();
  const before = await rowIds(page);
  expect(before.slice(0, 2)).toEqual([second, first]);

  // The pointer rests on the second row, about to click it.
  const target = row(page, first);
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('alert-inbox')).toHaveAttribute('data-holding', 'true');

  // A critical alert arrives: it would sort to the top and push every row down.
  const n = ++counter;
  await injectMissingPersonHit(relay, {
    id: `shift-mp-${n}`,
    plate: '33다3333',
    lon: lonOf(n),
    lat: latOf(n),
    name: '박영희',
    age: 81,
    description: '파란 외투',
  });
  const critical = await alertIdOfPlate('33다3333');
  const bar = page.getByTestId('alert-arrivals');
  await expect(bar).toHaveAttribute('data-count', '1');
  await expect(bar).toContainText('새 경보 1건');
  expect(await rowIds(page)).toEqual(before);
  expect(await row(page, critical).count()).toBe(0);
  // The row under the pointer did not move: the click opens the alert the person was reading.
  expect((await target.boundingBox())!.y).toBe(box.y);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', String(first));

  // A click on the bar inserts them, in inbox order.
  await bar.click();
  await expect(bar).toHaveCount(0);
  await expect.poll(() => rowIds(page)).toEqual([critical, second, first]);

  // Keyboard: J/K move through the list, Enter opens, Escape closes.
  await page.mouse.move(1500, 900);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('alert-detail')).toHaveCount(0);
  // The keyboard's place starts at the alert last opened (the last row), and stops at the ends.
  await expect(row(page, first)).toHaveAttribute('data-cursor', 'true');
  await page.keyboard.press('j');
  await expect(row(page, first)).toHaveAttribute('data-cursor', 'true');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await expect(row(page, critical)).toHaveAttribute('data-cursor', 'true');
  await page.keyboard.press('j');
  await expect(row(page, second)).toHaveAttribute('data-cursor', 'true');
  await expect(page.getByTestId('alert-detail')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', String(second));
  // A acknowledges the open alert.
  await page.keyboard.press('a');
  await expect(row(page, second)).toHaveAttribute('data-status', 'acknowledged');

  // At rest (no pointer in the list, nothing open), an arrival goes straight in.
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 1500, y: 900 } });
  await expect(page.getByTestId('alert-inbox')).toHaveAttribute('data-holding', 'false');
  const late = await drowsy('44라4444');
  await expect(row(page, late)).toBeVisible();
  await expect(page.getByTestId('alert-arrivals')).toHaveCount(0);
});

test('a supervisor acknowledges several checked alerts at once with one note', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, SUPERVISOR);
  const a = await drowsy('55마5555');
  const b = await drowsy('66바6666');
  const keep = await drowsy('77사7777');
  await expect(row(page, keep)).toBeVisible();
  await row(page, a).getByTestId('alert-row-check').check();
  await row(page, b).getByTestId('alert-row-check').check();
  // Checking opens nothing: the row click is not fired through the box.
  await expect(page.getByTestId('alert-detail')).toHaveCount(0);
  await expect(page.getByTestId('alert-bulk-count')).toHaveText('2건 선택');
  await page.getByTestId('alert-bulk-note').fill('야간 일괄 확인');
  await page.getByTestId('alert-bulk-ack').click();
  await expect(page.getByTestId('alert-bulk-outcome')).toContainText('2건 확인, 0건 거부');
  for (const id of [a, b])
    await expect(row(page, id)).toHaveAttribute('data-status', 'acknowledged');
  await expect(row(page, keep)).toHaveAttribute('data-status', 'new');
  // The note is each alert's comment, by the supervisor.
  await row(page, a).click();
  await expect(page.getByTestId('alert-comment')).toContainText('야간 일괄 확인');
});

test('"not connected" after an action while the relay was away clears itself once the link is back', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, OPERATOR);
  const id = await drowsy('88아8888');
  // An operator sees no boxes: only those who may acknowledge can check alerts.
  await expect(row(page, id)).toBeVisible();
  await expect(page.getByTestId('alert-row-check')).toHaveCount(0);
  await row(page, id).click();
  await expect(page.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', String(id));

  relayAway = true;
  relay.app.io.disconnectSockets(true);
  const status = page.getByTestId('connection-status');
  await expect(status).not.toHaveAttribute('data-state', 'live');
  // The operator tries to claim it (C) while the relay is away.
  await page.keyboard.press('c');
  const error = page.getByTestId('alert-action-error');
  await expect(error).toContainText('중계 서버에 연결되어 있지 않습니다');

  relayAway = false;
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(error).toHaveCount(0);
  // And the action works now.
  await page.keyboard.press('c');
  await expect(page.getByTestId('alert-assignee')).toHaveText(OPERATOR);
});
