/** Helpers for browser tests: the QA hook, screenshots as pixels. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import type { InterlockMasterData } from '../../shared/interlock';
import {
  SOCKET_LOAD_REFUSAL_CODE,
  SOCKET_LOAD_REFUSALS,
  type SocketRefusalData,
} from '../../shared/socket-admission';

export type Rgb = readonly [number, number, number];

export async function waitForLiveMap(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__controlRoom?.ready === true, undefined, {
    timeout: 60_000,
  });
}

export async function screenshotPixels(page: Page, path: string): Promise<PNG> {
  mkdirSync(dirname(path), { recursive: true });
  const buffer = await page.screenshot({ path });
  return PNG.sync.read(buffer);
}

export function pixelAt(png: PNG, x: number, y: number): Rgb {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

export function near(a: Rgb, b: Rgb, tolerance: number): boolean {
  return (
    Math.abs(a[0] - b[0]) <= tolerance &&
    Math.abs(a[1] - b[1]) <= tolerance &&
    Math.abs(a[2] - b[2]) <= tolerance
  );
}

export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Counts pixels inside a rectangle whose colour is near any of `colors`. */
export function countColored(
  png: PNG,
  box: { x0: number; y0: number; x1: number; y1: number },
  colors: readonly Rgb[],
  tolerance: number,
): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(png.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(png.height - 1, Math.ceil(box.y1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const p = pixelAt(png, x, y);
      if (colors.some((c) => near(p, c, tolerance))) n++;
    }
  }
  return n;
}

// ── Alert inbox helpers (issue 5): a relay in this process, users, logins, injected detections ──

/** A relay built in the test's own process, so a test can put detections on its ingest path. */
export interface InProcessRelay {
  url: string;
  app: import('fastify').FastifyInstance;
  stop(): Promise<void>;
}

export async function startInProcessRelay(
  env: Record<string, string> = {},
): Promise<InProcessRelay> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { buildApp } = await import('../../server/app');
  const { loadConfig } = await import('../../server/config');
  const dataDir = mkdtempSync(join(tmpdir(), 'control-room-e2e-'));
  const app = await buildApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dataDir, 'control-room.sqlite'),
      SIM_SEED: 'e2e-seed',
      LOG_LEVEL: 'warn',
      // A client built elsewhere (RENDERER_OUT_DIR) when a developer's run must not share out/renderer.
      ...(process.env.CLIENT_DIR ? { CLIENT_DIR: process.env.CLIENT_DIR } : {}),
      ...env,
    }),
  );
  // A fixed PORT when a test must know the address before it starts (peer relays name each other).
  const address = await app.listen({ port: Number(env.PORT ?? 0), host: '127.0.0.1' });
  return {
    url: `${address}/`,
    app,
    stop: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function apiLogin(
  baseUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok)
    throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Creates a user as an admin (`POST /api/users`). */
export async function createUser(
  baseUrl: string,
  adminToken: string,
  user: {
    username: string;
    password: string;
    role: 'viewer' | 'operator' | 'supervisor' | 'admin';
  },
): Promise<void> {
  const response = await fetch(new URL('/api/users', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(user),
  });
  if (response.status !== 201)
    throw new Error(`create ${user.username}: ${response.status} ${await response.text()}`);
}

/**
 * A relay for a shift test: no simulated vehicles (the test injects what it needs), sign-ins not
 * rate-limited for the test's many logins, the admin's password known, and these people created.
 */
export async function startShiftRelay(
  users: Parameters<typeof createUser>[2][],
): Promise<InProcessRelay> {
  const relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  const adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  for (const user of users) await createUser(relay.url, adminToken, user);
  return relay;
}

/** Logs in through the login screen and waits for the inbox to hold the relay's alerts. */
export async function loginThroughUi(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // Loaded: the relay's first alert snapshot arrived, so what happens next comes live.
  await page
    .locator('[data-testid="alert-inbox"][data-loaded="true"]')
    .waitFor({ timeout: 30_000 });
}

/** Zone-less KST text, as the upstream pipeline writes timestamps. */
export function kstText(epochMs: number): string {
  return new Date(epochMs + 9 * 3_600_000).toISOString().slice(0, 19);
}

const message = (topic: string, value: object) => ({ topic, partition: null, offset: null, value });

/** An arrears (체납) plate hit: the daily arrears row, then a successful plate read at a place. */
export async function injectArrearsHit(
  relay: InProcessRelay,
  hit: {
    id: string;
    plate: string;
    lon: number;
    lat: number;
    amountKrw: number;
    notices: number;
    confidence?: number;
  },
): Promise<void> {
  const now = Date.now();
  await relay.app.ingest.ingest(
    [
      message('arrears_info', {
        car_plate_number: hit.plate,
        arrears_user_id: `U-${hit.id}-0042`,
        total_arrears_amount: hit.amountKrw,
        notice_count: hit.notices,
      }),
    ],
    now,
  );
  await relay.app.ingest.ingest(
    [
      message('arrears_detection', {
        detection_id: hit.id,
        image_id: `IMG-${hit.id}`,
        car_plate_number: hit.plate,
        detection_success: 1,
        detected_lat: hit.lat,
        detected_lon: hit.lon,
        detected_time: kstText(now),
        confidence: hit.confidence ?? 0.93,
      }),
    ],
    now,
  );
}

/** A missing person's (실종자) car read by a camera: always critical. */
export async function injectMissingPersonHit(
  relay: InProcessRelay,
  hit: {
    id: string;
    plate: string;
    lon: number;
    lat: number;
    name: string;
    age: number;
    description: string;
  },
): Promise<void> {
  const now = Date.now();
  const missingId = `M-${hit.id}`;
  await relay.app.ingest.ingest(
    [
      message('missing_person_info', {
        missing_id: missingId,
        name: hit.name,
        age: hit.age,
        sex: '남',
        car_plate_number: hit.plate,
        description: hit.description,
        reported_at: kstText(now - 3 * 3_600_000),
      }),
    ],
    now,
  );
  await relay.app.ingest.ingest(
    [
      message('missing_person_detection', {
        detection_id: hit.id,
        image_id: `IMG-${hit.id}`,
        car_plate_number: hit.plate,
        missing_id: missingId,
        detection_success: true,
        detected_lat: hit.lat,
        detected_lon: hit.lon,
        detected_time: kstText(now),
      }),
    ],
    now,
  );
}

/** A drowsy-driving detection of a car that is driving at a place (its own vehicle and session). */
export async function injectDrowsy(
  relay: InProcessRelay,
  hit: {
    id: string;
    plate: string;
    lon: number;
    lat: number;
    gazeClosure: number;
    headDrop: number;
  },
): Promise<void> {
  const now = Date.now();
  const carId = `CAR-${hit.id}`;
  const sessionId = `S-${hit.id}`;
  await relay.app.ingest.ingest(
    [
      message('uservehicle', {
        car_id: carId,
        age: 52,
        user_sex: '여',
        user_car_brand: '현대',
        car_plate_number: hit.plate,
        updated_at: kstText(now),
      }),
      message('driving_session', {
        session_id: sessionId,
        car_id: carId,
        start_time: kstText(now - 600_000),
        end_time: null,
      }),
      message('driving_session_info', {
        info_id: `I-${hit.id}`,
        session_id: sessionId,
        app_lat: hit.lat,
        app_lon: hit.lon,
        speed: 42,
        app_rapid_acc: 0,
        app_weather_status: '맑음',
        dt: kstText(now),
      }),
    ],
    now,
  );
  await relay.app.ingest.ingest(
    [
      message('drowsy_drive', {
        drowsy_id: hit.id,
        session_id: sessionId,
        detected_at: kstText(now),
        gaze_closure: hit.gazeClosure,
        head_drop: hit.headDrop,
      }),
    ],
    now,
  );
}

// ── Map fly-to (interlock panels, issue 6; the alert inbox test has its own copy) ──

/**
 * Where a selected record lands once the map has flown to it: the middle of the map left visible
 * between the left dock (`dockTestId`), the right-hand detail (`detailTestId`) and the header.
 * Waits until the lon/lat projects there and returns that viewport point.
 */
export async function flownBetween(
  page: Page,
  lon: number,
  lat: number,
  docks: { dockTestId: string; detailTestId: string },
): Promise<[number, number]> {
  const dock = (await page.getByTestId(docks.dockTestId).boundingBox())!;
  const detail = (await page.getByTestId(docks.detailTestId).boundingBox())!;
  const header = (await page.locator('header').boundingBox())!;
  const height = page.viewportSize()!.height;
  const target = [(dock.x + dock.width + detail.x) / 2, (header.y + header.height + height) / 2];
  let at: [number, number] = [NaN, NaN];
  await expect
    .poll(
      async () => {
        at = await page.evaluate(
          ([x, y]) => window.__controlRoom!.projectLngLat(x!, y!),
          [lon, lat],
        );
        return Math.hypot(at[0] - target[0]!, at[1] - target[1]!);
      },
      { timeout: 15_000 },
    )
    .toBeLessThan(2);
  return at;
}

// ── The relay away and back (issue 19: errors that clear themselves) ──

/** How soon a refused client may try again: short, so "back" is seen within a few seconds. */
const AWAY_RETRY_AFTER_MS = 300;

/**
 * Makes the relay look away to one page and back again: its sockets are refused (as the relay
 * refuses them under load, so the client keeps retrying) and the page's REST calls fail as an
 * unreachable relay's would.
 */
export function relayOutage(relay: InProcessRelay): {
  away(page: Page): Promise<void>;
  back(page: Page): Promise<void>;
} {
  let away = false;
  relay.app.io.use((_socket, next) => {
    if (!away) return next();
    const refusal = new Error(SOCKET_LOAD_REFUSALS.clients) as Error & {
      data: SocketRefusalData;
    };
    refusal.data = {
      code: SOCKET_LOAD_REFUSAL_CODE,
      reason: 'clients',
      retryAfterMs: AWAY_RETRY_AFTER_MS,
    };
    next(refusal);
  });
  const api = '**/api/**';
  return {
    async away(page) {
      away = true;
      await page.route(api, (route) => route.abort('connectionrefused'));
      relay.app.io.disconnectSockets(true);
      await expect(page.getByTestId('connection-status')).not.toHaveAttribute('data-state', 'live');
    },
    async back(page) {
      away = false;
      await page.unroute(api);
      await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live', {
        timeout: 15_000,
      });
    },
  };
}

/**
 * A registered driver fails a rolling retest while driving (a major `alcohol_retest`, its
 * INTERLOCK alert and its violation): installer, subject and device, then the device's event.
 */
export async function injectFailedRetest(
  relay: InProcessRelay,
  retest: { id: string; plate: string; bac: number; lon: number; lat: number },
): Promise<void> {
  const now = Date.now();
  const day = 86_400_000;
  const data: InterlockMasterData = {
    operators: [
      {
        operatorId: `ILO-${retest.id}`,
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: now - 100 * day,
        contact: '051-555-0101',
      },
    ],
    subjects: [
      {
        subjectId: `ILS-${retest.id}`,
        name: '김민수',
        licenceNumber: '12-19-123456-78',
        phone: '010-1234-5678',
        obligationStartMs: now - 30 * day,
        obligationEndMs: now + 300 * day,
      },
    ],
    devices: [
      {
        deviceId: `ILD-${retest.id}`,
        serialNumber: `BS25-${retest.id}`,
        model: 'BreathSafe K-200',
        installMs: now - 30 * day,
        lastCalibrationMs: now - 20 * day,
        lastLogSubmittedMs: now - 5 * day,
        subjectId: `ILS-${retest.id}`,
        operatorId: `ILO-${retest.id}`,
        carId: null,
        plate: retest.plate,
      },
    ],
  };
  await relay.app.interlock.saveMasterData(data, now);
  await relay.app.ingest.ingest(
    [
      message('interlock_event', {
        event_id: `EV-${retest.id}`,
        device_id: `ILD-${retest.id}`,
        event_type: 'rolling_retest',
        result: 'fail',
        bac: retest.bac,
        lat: retest.lat,
        lon: retest.lon,
        occurred_at: kstText(now),
      }),
    ],
    now,
  );
}
