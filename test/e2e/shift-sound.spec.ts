/**
 * Who the alarm rings for (issue 19), read from the sound toggle's QA attributes, which show the
 * sound module's plan (renderer/src/features/alerts/sound/sound-plan.ts), not audio: a viewer
 * never rings; an operator rings until the alert is claimed, and their own claim silences it for
 * them while the supervisor still hears it; an escalated alert stays loud for the supervisor,
 * even one they claimed themselves, until it is acknowledged.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AlertListResponse } from '../../shared/alerts';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  injectDrowsy,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const LOGIN_WAIT_MS = 120_000;
const VIEWER = 'wall.sound';
const OPERATOR = 'op.sound';
const SUPERVISOR = 'sv.sound';
const PLATE = '301머1234';
/** Later than any deadline: escalateDue(now + this) escalates every unacknowledged alert. */
const PAST_EVERY_DEADLINE_MS = 60 * 60_000;

let relay: InProcessRelay;
let adminToken: string;

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
  for (const [username, role] of [
    [VIEWER, 'viewer'],
    [OPERATOR, 'operator'],
    [SUPERVISOR, 'supervisor'],
  ] as const) {
    await createUser(relay.url, adminToken, { username, password: PASSWORD, role });
  }
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
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** The sound plan as the page shows it: how many ring, which type, escalated. */
async function expectRinging(
  page: Page,
  ringing: { count: number; type?: string; escalated?: boolean },
): Promise<void> {
  const toggle = page.getByTestId('sound-toggle');
  await expect(toggle).toHaveAttribute('data-ringing-count', String(ringing.count));
  await expect(toggle).toHaveAttribute('data-ringing', ringing.type ?? '');
  await expect(toggle).toHaveAttribute(
    'data-ringing-escalated',
    String(ringing.escalated ?? false),
  );
}

test('a viewer never rings; a claim silences the claimer only; escalated stays loud for supervisors', async ({
  browser,
}) => {
  const viewer = await newPage(browser);
  const operator = await newPage(browser);
  const supervisor = await newPage(browser);
  await signIn(viewer, VIEWER);
  await signIn(operator, OPERATOR);
  await signIn(supervisor, SUPERVISOR);

  await injectDrowsy(relay, {
    id: 'sound-dr-1',
    plate: PLATE,
    lon: 129.06,
    lat: 35.18,
    gazeClosure: 7,
    headDrop: 2,
  });
  const response = await fetch(new URL('/api/alerts', relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const id = ((await response.json()) as AlertListResponse).alerts.find(
    (a) => a.plate === PLATE,
  )!.id;
  const rowOf = (page: Page) => page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);

  // Everyone sees it; it rings for the two who can act, never for the viewer.
  for (const page of [viewer, operator, supervisor]) await expect(rowOf(page)).toBeVisible();
  await expectRinging(operator, { count: 1, type: 'DROWSY' });
  await expectRinging(supervisor, { count: 1, type: 'DROWSY' });
  await expectRinging(viewer, { count: 0 });

  // The operator claims it: silent for them, still ringing for the supervisor.
  await rowOf(operator).click();
  await operator.keyboard.press('c');
  await expect(operator.getByTestId('alert-assignee')).toHaveText(OPERATOR);
  await expectRinging(operator, { count: 0 });
  await expectRinging(supervisor, { count: 1, type: 'DROWSY' });

  // The supervisor takes it over (assigns it to themself): quiet for them too...
  await rowOf(supervisor).click();
  await supervisor.keyboard.press('c');
  await expect(supervisor.getByTestId('alert-assignee')).toHaveText(SUPERVISOR);
  await expectRinging(supervisor, { count: 0 });
  // ...until it passes its deadline unacknowledged: escalated, it is loud again for them.
  await relay.app.alerts.escalateDue(Date.now() + PAST_EVERY_DEADLINE_MS);
  await expectRinging(supervisor, { count: 1, type: 'DROWSY', escalated: true });
  await expectRinging(operator, { count: 0 });
  await expectRinging(viewer, { count: 0 });

  // Acknowledged, it is handled: silence everywhere.
  await supervisor.keyboard.press('a');
  await expect(rowOf(supervisor)).toHaveAttribute('data-status', 'acknowledged');
  await expectRinging(supervisor, { count: 0 });
});
