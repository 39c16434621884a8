/**
 * The time bar (issue 18) as an operator sees it: laid out clear of the zoom buttons, the inbox
 * and a right-hand panel at the usual window sizes, its clock showing the replayed moment second
 * by second while playing, and the vehicle drawer showing the vehicle as it was at that moment.
 */
import { expect, test, type Page } from '@playwright/test';
import { KST_OFFSET_MS } from '../../shared/time';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  injectDrowsy,
  kstText,
  loginThroughUi,
  startInProcessRelay,
  waitForLiveMap,
  type InProcessRelay,
} from './support';

let relay: InProcessRelay;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, SIM_VEHICLES: '300' });
});

test.afterAll(async () => {
  await relay?.stop();
});

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of what shows now among the time bar, banner, zoom buttons, panels and legend. */
async function boxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const named: [string, string][] = [
      ['time bar', '[data-testid="time-bar"]'],
      ['banner', '[data-testid="replay-banner"]'],
      ['zoom buttons', '.maplibregl-ctrl-bottom-right .maplibregl-ctrl-group'],
      ['inbox', '[data-testid="alert-inbox"]'],
      ['alert detail', '[data-testid="alert-detail"]'],
      ['vehicle drawer', '[data-testid="vehicle-drawer"]'],
      ['legend', '[data-testid="map-legend"]'],
      ['map tools', '[data-testid="map-tools"]'],
    ];
    const out: Box[] = [];
    for (const [name, selector] of named) {
      const element = document.querySelector(selector);
      if (element === null) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      out.push({ name, x: rect.x, y: rect.y, width: rect.width, height: rect.height });
    }
    return out;
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every pair of boxes that overlap, by name ("time bar × zoom buttons"). */
function overlapping(all: readonly Box[]): string[] {
  const found: string[] = [];
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) if (overlaps(a, b)) found.push(`${a.name} × ${b.name}`);
  }
  return found;
}

test('time bar, banner, zoom buttons, inbox and a right-hand panel never overlap', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await injectDrowsy(relay, {
    id: 'LAYOUT-1',
    plate: '12가3456',
    lon: 129.06,
    lat: 35.16,
    gazeClosure: 0.9,
    headDrop: 0.8,
  });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await waitForLiveMap(page);
  // Replay on, so the banner is there too.
  await expect(page.getByTestId('replay-rewind')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('replay-rewind').click();
  await expect(page.getByTestId('replay-banner')).toBeVisible();

  for (const [width, height] of [
    [1400, 900],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const panel of ['none', 'vehicle drawer', 'alert detail'] as const) {
      if (panel === 'vehicle drawer') {
        await page.evaluate(() => {
          const hook = window.__controlRoom!;
          hook.selectVehicle(hook.liveVehicleIndexes()[0]!);
        });
        await expect(page.getByTestId('vehicle-drawer')).toBeVisible();
      } else if (panel === 'alert detail') {
        await page.getByTestId('drawer-close').click();
        await page.getByTestId('alert-row').first().click();
        await expect(page.getByTestId('alert-detail')).toBeVisible();
      }
      const shown = await boxes(page);
      await page.screenshot({ path: `test-results/time-bar/layout-${width}-${panel}.png` });
      const names = shown.map((box) => box.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'time bar',
          'banner',
          'zoom buttons',
          'inbox',
          'legend',
          'map tools',
        ]),
      );
      if (panel !== 'none') expect(names).toContain(panel);
      expect(overlapping(shown), `${width}×${height}, ${panel}`).toEqual([]);
      for (const box of shown) {
        expect(box.x + box.width, `${box.name} inside the window`).toBeLessThanOrEqual(width);
        expect(box.y + box.height, `${box.name} inside the window`).toBeLessThanOrEqual(height);
      }
    }
    await page.getByTestId('alert-detail-close').click();
  }
});

function kstClock(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(11, 19);
}

/** Signs in and rewinds to the oldest recorded moment (the relay started a minute or so ago). */
async function rewound(page: Page): Promise<void> {
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await waitForLiveMap(page);
  await page.getByTestId('replay-rewind').click();
  await expect(page.getByTestId('replay-banner')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => window.__controlRoom!.replay()?.shownAsOfMs ?? null))
    .not.toBeNull();
}

test('while playing at ×1 the clock shows the replayed moment second by second', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Frames answered 1.5 s late: the clock must follow the play head, not the frames' arrival.
  await page.route('**/api/fleet/at?**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await rewound(page);
  await page.getByTestId('replay-play').click();
  const seen: { label: string; atMs: number; wall: number }[] = [];
  const started = Date.now();
  while (Date.now() - started < 4_500) {
    const label = (await page.getByTestId('replay-time').textContent()) ?? '';
    const atMs = await page.evaluate(() => window.__controlRoom!.replay()!.atMs!);
    seen.push({ label, atMs, wall: Date.now() });
    await page.waitForTimeout(200);
  }
  const labels = seen.map((s) => s.label).filter((l, i, all) => i === 0 || all[i - 1] !== l);
  // At least four seconds shown, each one second after the one before.
  expect(labels.length).toBeGreaterThanOrEqual(4);
  const seconds = labels.map((l) => {
    const [h, m, s] = l.split(':').map(Number);
    return h! * 3600 + m! * 60 + s!;
  });
  expect(seconds.slice(1).map((s, i) => s - seconds[i]!)).toEqual(seconds.slice(1).map(() => 1));
  // The label is the play head's second, and the play head keeps real time at ×1.
  const last = seen.at(-1)!;
  expect(last.label).toBe(kstClock(last.atMs));
  const replayed = last.atMs - seen[0]!.atMs;
  const real = last.wall - seen[0]!.wall;
  expect(Math.abs(replayed - real)).toBeLessThan(1_200);
});

test('at ×10 frames are fetched ahead and keep up with the play head', async ({ page }) => {
  test.setTimeout(180_000);
  // A minute recorded, so ×10 plays for six seconds before it reaches the newest moment.
  await expect
    .poll(
      async () => {
        const range = await relay.app.replay.range();
        return (range.newestMs ?? 0) - (range.oldestMs ?? 0);
      },
      { timeout: 90_000 },
    )
    .toBeGreaterThanOrEqual(60_000);
  await rewound(page);
  const requests: number[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/fleet/at?')) requests.push(Date.now());
  });
  await page.getByTestId('replay-speed').selectOption('10');
  await page.getByTestId('replay-play').click();
  const lags: number[] = [];
  const started = Date.now();
  while (Date.now() - started < 4_000) {
    await page.waitForTimeout(250);
    const replay = await page.evaluate(() => window.__controlRoom!.replay()!);
    if (Date.now() - started > 1_000) lags.push(replay.atMs! - replay.shownAsOfMs!);
  }
  const playedMs = Date.now() - started;
  // ×10 shows a frame every 2 replayed seconds (5 a real second): the frame on screen stays within
  // two steps of the play head, and the requests are the 2 s window asked ahead at the start (10)
  // plus about five a second, not one per animation frame (the old driver asked ~17 a second).
  expect(lags.filter((lag) => lag <= 4_500).length / lags.length).toBeGreaterThanOrEqual(0.8);
  expect(requests.length).toBeLessThanOrEqual(12 + 5 * (playedMs / 1000));
  expect(requests.length).toBeGreaterThanOrEqual(10);
});

const DRIVE_CAR = 'CAR-DRAWER-1';
const DRIVE_SESSION = 'S-DRAWER-1';
const DRIVE_PLATE = '88나8888';
const message = (topic: string, value: object) => ({ topic, partition: null, offset: null, value });

async function sendDrive(id: string, lon: number, lat: number, speed: number): Promise<number> {
  const now = Date.now();
  await relay.app.ingest.ingest(
    [
      message('driving_session_info', {
        info_id: id,
        session_id: DRIVE_SESSION,
        app_lat: lat,
        app_lon: lon,
        speed,
        app_rapid_acc: 0,
        app_weather_status: '맑음',
        dt: kstText(now),
      }),
    ],
    now,
  );
  return now;
}

test('the vehicle drawer shows the replayed moment, marks what is current, and live again after', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const now = Date.now();
  await relay.app.ingest.ingest(
    [
      message('uservehicle', {
        car_id: DRIVE_CAR,
        age: 33,
        user_sex: '남',
        user_car_brand: '현대',
        car_plate_number: DRIVE_PLATE,
        updated_at: kstText(now),
      }),
      message('driving_session', {
        session_id: DRIVE_SESSION,
        car_id: DRIVE_CAR,
        start_time: kstText(now),
        end_time: null,
      }),
    ],
    now,
  );
  const sentSlow = await sendDrive('I-DRAWER-1', 129.06, 35.16, 23);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // Replayed: a whole second after the slow position was recorded, before the fast one.
  const replayedSecond = Math.ceil((sentSlow + 1_200) / 1000) * 1000;
  await sendDrive('I-DRAWER-2', 129.07, 35.165, 88);

  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await waitForLiveMap(page);
  await page.evaluate(() => window.__controlRoom!.jumpTo(129.07, 35.165, 13));
  const indexOnScreen = () =>
    page.evaluate(
      (car) => window.__controlRoom!.vehiclesOnScreen().find((v) => v.carId === car)?.index,
      DRIVE_CAR,
    );
  await expect.poll(indexOnScreen).not.toBeUndefined();
  const index = (await indexOnScreen())!;
  await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
  const drawer = page.getByTestId('vehicle-drawer');
  await expect(page.getByTestId('drawer-speed')).toHaveText('88 km/h');
  await expect(drawer).toHaveAttribute('data-replay', 'false');

  // Into replay at that second (the range the bar knows grows every ten seconds: try until in).
  await expect(async () => {
    await page.getByTestId('replay-jump').fill(kstClock(replayedSecond));
    await page.getByTestId('replay-jump-go').click();
    await expect(page.getByTestId('time-bar')).toHaveAttribute(
      'data-at-ms',
      String(replayedSecond),
      { timeout: 2_000 },
    );
  }).toPass({ timeout: 40_000 });
  await expect(drawer).toHaveAttribute('data-replay', 'true');
  await expect(page.getByTestId('drawer-speed')).toHaveText('23 km/h');
  const note = page.getByTestId('drawer-replayed');
  await expect(note).toContainText(`${kstClock(replayedSecond).slice(0, 5)}`);
  const asOf = Number(await note.getAttribute('data-as-of-ms'));
  expect(asOf).toBeLessThanOrEqual(replayedSecond);
  expect(asOf).toBeGreaterThanOrEqual(sentSlow - 1_000);
  await expect(note).toContainText(`${kstClock(asOf)} KST`);
  await expect(page.getByTestId('drawer-last-update')).toHaveText(`${kstClock(asOf)} KST`);
  // The driver has no history: shown as it is now, and said so.
  await expect(drawer.locator('.drawer__field', { hasText: '연령대 (현재)' })).toBeVisible();
  await expect(page.getByTestId('drawer-age')).toHaveText('30대');
  await page.screenshot({ path: 'test-results/time-bar/drawer-replay.png' });

  await page.getByTestId('replay-back-to-live').click();
  await expect(drawer).toHaveAttribute('data-replay', 'false');
  await expect(page.getByTestId('drawer-speed')).toHaveText('88 km/h');
  await expect(page.getByTestId('drawer-replayed')).toHaveCount(0);
  await expect(drawer.locator('.drawer__field', { hasText: '(현재)' })).toHaveCount(0);
});
