/**
 * The driver's personal fields (age band, sex) reach only roles that may see them (issue 19): the
 * vehicle table every socket gets — walls and viewers included — carries none; an operator's drawer
 * reads them from `GET /api/vehicles/:carId/driver`, which refuses viewers and audits every read;
 * a viewer's drawer has no driver rows at all.
 */
import { expect, test } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import type { AuditListResponse } from '../../shared/audit';
import { vehicleDriverPath, type VehicleTableUpdate } from '../../shared/vehicles';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  loginThroughUi,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const OPERATOR = 'op.privacy';
const VIEWER = 'wall.privacy';
const SIM_VEHICLES = 200;
/** Table updates a viewer socket must have seen beyond the full table before the check. */
const UPDATES_SEEN = 1;
/** Words that would only be in the table if a driver field were. */
const DRIVER_KEYS = ['"sex"', '"ageBand"', '"age"'];

let relay: InProcessRelay;
let adminToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: String(SIM_VEHICLES),
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: OPERATOR,
    password: PASSWORD,
    role: 'operator',
  });
  await createUser(relay.url, adminToken, { username: VIEWER, password: PASSWORD, role: 'viewer' });
});

test.afterAll(async () => {
  await relay?.stop();
});

async function getJson(path: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, relay.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

test('a viewer (wall) socket never receives a driver field in the vehicle table', async () => {
  const token = await apiLogin(relay.url, VIEWER, PASSWORD);
  const raw: string[] = [];
  let full: VehicleTableUpdate | null = null;
  let updates = 0;
  const socket: Socket = io(relay.url, { auth: { token }, transports: ['websocket'] });
  try {
    socket.on('vehicles', (table: VehicleTableUpdate) => {
      raw.push(JSON.stringify(table));
      if (table.full) full = table;
      else updates++;
    });
    // The full table (with every car's entry) and live updates after it (sessions, weather).
    await expect
      .poll(() => (full === null ? 0 : Math.min(updates, UPDATES_SEEN)), { timeout: 30_000 })
      .toBe(UPDATES_SEEN);
    expect(full!.entries.length).toBeGreaterThanOrEqual(SIM_VEHICLES / 2);
    for (const text of raw) {
      for (const key of DRIVER_KEYS) expect(text).not.toContain(key);
    }
  } finally {
    socket.close();
  }
});

test('only roles that may see the driver read it, and every read is audited', async () => {
  const viewerToken = await apiLogin(relay.url, VIEWER, PASSWORD);
  const operatorToken = await apiLogin(relay.url, OPERATOR, PASSWORD);
  const carId = relay.app.fleet.entry(0)!.carId;

  const refused = await getJson(vehicleDriverPath(carId), viewerToken);
  expect(refused.status).toBe(403);

  const read = await getJson(vehicleDriverPath(carId), operatorToken);
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ carId, sex: expect.stringMatching(/^(남|여)$/) });

  expect((await getJson(vehicleDriverPath('no-such-car'), operatorToken)).status).toBe(404);

  const audit = await getJson(`/api/audit?entity=vehicle:${carId}`, adminToken);
  expect(audit.status).toBe(200);
  const events = (audit.body as AuditListResponse).events;
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    actor: OPERATOR,
    action: 'pii.unmask',
    entityType: 'vehicle',
    entityId: carId,
  });
  // Which fields were revealed, never their values.
  expect(JSON.stringify(events[0])).not.toMatch(/남|여/);
});

test('the drawer shows the driver to an operator and has no driver rows for a viewer', async ({
  browser,
}) => {
  for (const [username, seesDriver] of [
    [OPERATOR, true],
    [VIEWER, false],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await loginThroughUi(page, relay.url, username, PASSWORD);
    // Live vehicles are enough: the drawer does not need the basemap drawn.
    await page.waitForFunction(
      () => (window.__controlRoom?.liveVehicleIndexes().length ?? 0) > 0,
      undefined,
      { timeout: 30_000 },
    );
    const index = await page.evaluate(() => window.__controlRoom!.liveVehicleIndexes()[0]!);
    await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
    await expect(page.getByTestId('vehicle-drawer')).toBeVisible();
    await expect(page.getByTestId('drawer-plate')).not.toHaveText('—');
    if (seesDriver) {
      await expect(page.getByTestId('drawer-sex')).toHaveText(/^(남성|여성)$/);
      await expect(page.getByTestId('drawer-age')).toHaveText(/^[1-9]0대$/);
      await expect(page.getByTestId('drawer-driver-audited')).toBeVisible();
    } else {
      await expect(page.getByTestId('drawer-sex')).toHaveCount(0);
      await expect(page.getByTestId('drawer-age')).toHaveCount(0);
    }
    await page.close();
  }
});
