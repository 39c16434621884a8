/**
 * Rewind the city (issue 18): a vehicle this test drives along a known route through the relay's
 * ingest path is, in replay, drawn at the right place at the right times (pixels at the projected
 * route points), the banner names the replayed KST moment, and one click returns to live, where a
 * position sent during the replay is already on the map (live data kept arriving underneath).
 */
import { expect, test, type Page } from '@playwright/test';
import { KST_OFFSET_MS } from '../../shared/time';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  countColored,
  hexToRgb,
  kstText,
  loginThroughUi,
  screenshotPixels,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const CAR = 'CAR-REPLAY-1';
const SESSION = 'S-REPLAY-1';
const PLATE = '77라7777';
/** Four points about 3 km apart across 부산진구 and 연제구: far apart at zoom 11 (~40 px). */
const ROUTE: readonly [lon: number, lat: number][] = [
  [129.03, 35.15],
  [129.06, 35.158],
  [129.09, 35.17],
  [129.11, 35.185],
];
/** After the drive, a position sent while the operator is replaying. */
const LATER: [lon: number, lat: number] = [129.0, 35.2];
/** 45 km/h: drawn in the 30–60 colour. */
const SPEED_KMH = 45;
const MEDIUM = hexToRgb('#4ade80');
const COLOR_TOLERANCE = 40;
const BOX_PX = 6;
/** Positions are sent this long before a whole second, so that second shows them for certain. */
const LEAD_MS = 700;
const ZOOM = 11;
const CENTER: [lon: number, lat: number] = [129.07, 35.168];

let relay: InProcessRelay;

const message = (topic: string, value: object) => ({ topic, partition: null, offset: null, value });

async function sendPosition(id: number, [lon, lat]: readonly [number, number]): Promise<void> {
  const now = Date.now();
  await relay.app.ingest.ingest(
    [
      message('driving_session_info', {
        info_id: `I-REPLAY-${id}`,
        session_id: SESSION,
        app_lat: lat,
        app_lon: lon,
        speed: SPEED_KMH,
        app_rapid_acc: 0,
        app_weather_status: '맑음',
        dt: kstText(now),
      }),
    ],
    now,
  );
}

/** Waits until `LEAD_MS` before the next whole second; returns that second (epoch ms). */
async function untilLead(): Promise<number> {
  const second = Math.ceil((Date.now() + LEAD_MS + 50) / 1000) * 1000;
  await new Promise((resolve) => setTimeout(resolve, second - LEAD_MS - Date.now()));
  return second;
}

function kstClock(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(11, 19);
}

/** Vehicle-coloured pixels around each route point, on a fresh screenshot. */
async function litAt(page: Page, name: string, points: readonly (readonly [number, number])[]) {
  // The camera set again on every look: the map's own first fit may still move it after a jump.
  const positions = await page.evaluate(
    ({ pts, center, zoom }) => {
      window.__controlRoom!.jumpTo(center[0], center[1], zoom);
      return pts.map(([lon, lat]) => window.__controlRoom!.projectLngLat(lon, lat));
    },
    { pts: points.map((p) => [p[0], p[1]] as [number, number]), center: CENTER, zoom: ZOOM },
  );
  // A frame for the jumped camera to be drawn.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  const png = await screenshotPixels(page, `test-results/replay/${name}.png`);
  return positions.map(([x, y]) =>
    countColored(
      png,
      { x0: x - BOX_PX, y0: y - BOX_PX, x1: x + BOX_PX, y1: y + BOX_PX },
      [MEDIUM],
      COLOR_TOLERANCE,
    ),
  );
}

/** Only the route point `k` shows the vehicle. */
async function expectVehicleAt(page: Page, name: string, k: number, points = ROUTE) {
  await expect
    .poll(async () => (await litAt(page, name, points)).map((n) => n > 0), { timeout: 10_000 })
    .toEqual(points.map((_, i) => i === k));
}

test.beforeAll(async () => {
  relay = await startInProcessRelay({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, SIM_VEHICLES: '0' });
});

test.afterAll(async () => {
  await relay?.stop();
});

test('replay shows a driven route at the right places and times, then back to live', async ({
  page,
}) => {
  // Generous for a busy 2-core machine; on a quiet one it takes about 40 s.
  test.setTimeout(180_000);
  const now = Date.now();
  await relay.app.ingest.ingest(
    [
      message('uservehicle', {
        car_id: CAR,
        age: 41,
        user_sex: '남',
        user_car_brand: '현대',
        car_plate_number: PLATE,
        updated_at: kstText(now),
      }),
      message('driving_session', {
        session_id: SESSION,
        car_id: CAR,
        start_time: kstText(now),
        end_time: null,
      }),
    ],
    now,
  );
  // The drive: each route point just before a whole second, held for two seconds.
  const shownAt: number[] = [];
  for (const [k, point] of ROUTE.entries()) {
    const second = await untilLead();
    await sendPosition(k, point);
    shownAt.push(second);
    await new Promise((resolve) => setTimeout(resolve, 1_000 + LEAD_MS));
  }

  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  // The map and the one vehicle drawn (district labels are not what this test reads).
  await expect
    .poll(() => page.evaluate(() => window.__controlRoom?.readiness()), { timeout: 60_000 })
    .toMatchObject({ basemap: true, vehicles: true });
  await page.evaluate(([lon, lat, zoom]) => window.__controlRoom!.jumpTo(lon, lat, zoom), [
    129.07,
    35.168,
    ZOOM,
  ] as const);
  // Live: the car is at the end of its route.
  await expectVehicleAt(page, 'live-end', ROUTE.length - 1);
  await expect(page.getByTestId('time-bar')).toHaveAttribute('data-state', 'live');

  for (const [k, second] of shownAt.entries()) {
    await page.getByTestId('replay-jump').fill(kstClock(second));
    await page.getByTestId('replay-jump-go').click();
    const bar = page.getByTestId('time-bar');
    await expect(bar).toHaveAttribute('data-state', 'replay');
    await expect(bar).toHaveAttribute('data-at-ms', String(second));
    await expect(page.getByTestId('replay-banner-time')).toHaveText(
      `${new Date(second + KST_OFFSET_MS).toISOString().slice(0, 10)} ${kstClock(second)} KST`,
    );
    await expectVehicleAt(page, `replay-${k}`, k);
    if (k === 1) {
      // Live goes on underneath: the car moves on while the operator looks back.
      await sendPosition(99, LATER);
    }
  }

  await page.getByTestId('replay-back-to-live').click();
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);
  await expect(page.getByTestId('time-bar')).toHaveAttribute('data-state', 'live');
  // The position sent during the replay is what live shows now: nothing was lost.
  await expectVehicleAt(page, 'back-live', ROUTE.length, [...ROUTE, LATER]);
});
