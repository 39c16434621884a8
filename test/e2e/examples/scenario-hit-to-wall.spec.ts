/**
 * Example for QA engineers (docs/TESTING.md) — copy it, change the scenario and the checks.
 *
 * A supervisor signs in through the login screen, waits until the console is ready, makes a
 * missing-person hit happen at a chosen place with a scenario (POST /api/sim/scenario), finds it in
 * the inbox through the QA hook, acknowledges it, and a wall display (/kiosk, signed in with a
 * device credential) shows it acknowledged. Only stable test ids and the hook are used.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../../support/auth';
import { apiLogin, createUser, startInProcessRelay, type InProcessRelay } from '../support';

const SUPERVISOR = {
  username: 'sv.example',
  password: 'example-supervisor-pass',
  role: 'supervisor',
} as const;
const WALL = {
  username: 'wall.example',
  password: 'example-wall-passphrase',
  role: 'viewer',
} as const;
const PLATE = '34나5678';

/** One hit, three seconds after loading, in 부전1동; the simulator's own dice are off. */
const SCENARIO = {
  version: 1,
  name: 'example-missing-person-at-bujeon',
  randomEvents: { drowsy: false, arrears: false, missingPerson: false, interlock: false },
  events: [
    {
      at: 3,
      type: 'missing_person_hit',
      label: 'the hit',
      plate: PLATE,
      place: { dong: '부전1동' },
      name: '김말순',
      age: 81,
    },
  ],
};

let relay: InProcessRelay;
let adminToken: string;
let deviceToken: string;

test.beforeAll(async () => {
  // A deterministic relay: fixed seed, few vehicles, in this process (port chosen by the OS).
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_SEED: 'qa-example',
    SIM_VEHICLES: '200',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, SUPERVISOR);
  await createUser(relay.url, adminToken, WALL);
  // A wall signs in with a device credential an admin issues, not with a password.
  const issued = await fetch(new URL(`/api/users/${WALL.username}/device-token`, relay.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(issued.status).toBe(201);
  deviceToken = ((await issued.json()) as { token: string }).token;
});

test.afterAll(async () => {
  await relay?.stop();
});

/** Map, labels and a vehicle frame drawn. Generous: SwiftShader on a busy 2-core CI machine. */
const READY_TIMEOUT_MS = 120_000;

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__controlRoom?.ready === true, undefined, {
    timeout: READY_TIMEOUT_MS,
  });
}

test('a scenario hit, acknowledged by a supervisor, shows acknowledged on the wall', async ({
  page,
  browser,
}) => {
  // Two screens each draw a map in software: on a loaded CI machine that is more than the default.
  test.setTimeout(300_000);
  // 1. Sign in through the UI and wait for a ready console with its inbox loaded.
  await page.goto(relay.url);
  await page.getByTestId('login-username').fill(SUPERVISOR.username);
  await page.getByTestId('login-password').fill(SUPERVISOR.password);
  await page.getByTestId('login-submit').click();
  await waitReady(page);
  await page.waitForFunction(() => window.__controlRoom!.readiness().inboxLoaded);
  expect(await page.evaluate(() => window.__controlRoom!.version)).toBe(2);
  expect(await page.evaluate(() => window.__controlRoom!.user())).toEqual({
    username: SUPERVISOR.username,
    role: 'supervisor',
  });

  // 2. Make the situation happen: load the scenario (admins only).
  const loaded = await fetch(new URL('/api/sim/scenario', relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(SCENARIO),
  });
  expect(loaded.status).toBe(200);

  // 3. Find the hit through the hook: its id, and that it tops the inbox (critical, new).
  const hit = await page.waitForFunction(
    (plate) =>
      window
        .__controlRoom!.inbox()
        .alerts.find((a) => a.type === 'MISSING_PERSON_HIT' && a.plate === plate) ?? null,
    PLATE,
    { timeout: 30_000 },
  );
  const alert = (await hit.jsonValue())!;
  expect(alert).toMatchObject({ severity: 'critical', status: 'new', dongName: '부전1동' });
  expect(await page.evaluate(() => window.__controlRoom!.inbox().ids[0])).toBe(alert.id);

  // 4. Acknowledge it as the supervisor, through the screen.
  const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alert.id}"]`);
  await row.click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  expect(await page.evaluate(() => window.__controlRoom!.openPanels())).toContain('alert-detail');
  await page.getByTestId('alert-ack').click();
  await expect(row).toHaveAttribute('data-status', 'acknowledged');
  await expect
    .poll(() => page.evaluate(() => window.__controlRoom!.inbox().countsByStatus.acknowledged))
    .toBe(1);

  // 5. The wall shows it: the alert board lists it, acknowledged, without any login form.
  const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const wall = await wallContext.newPage();
  await wall.goto(new URL(`/kiosk?views=alerts#device=${deviceToken}`, relay.url).toString());
  await expect(wall.getByTestId('kiosk')).toHaveAttribute('data-state', 'ready');
  await expect(
    wall.locator(`[data-testid="kiosk-board-row"][data-alert-id="${alert.id}"]`),
  ).toBeVisible();
  await expect(wall.getByTestId('kiosk-count-acknowledged')).toContainText('1');
  await wall.waitForFunction(
    (id) =>
      window.__controlRoom?.screen() === 'wall' &&
      window.__controlRoom.inbox().alerts.some((a) => a.id === id && a.status === 'acknowledged'),
    alert.id,
  );
  await wall.screenshot({ path: 'test-results/example-wall-acknowledged.png' });
  await wallContext.close();
});
