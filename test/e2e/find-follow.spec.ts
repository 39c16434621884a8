/**
 * Find and follow (issue 18): the map's search box finds a plate however it is typed, flies there
 * and selects the vehicle; a partial plate lists its matches; "동래구 온천3동" fits that
 * neighbourhood; following keeps the vehicle in the middle of the map until the map is dragged;
 * the inbox's district filter moves the map to the district.
 */
import { expect, test, type Page } from '@playwright/test';
import { DISTRICT_LABELS_FILE, DONG_LABELS_FILE } from './find-follow-places';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  loginThroughUi,
  startInProcessRelay,
  waitForLiveMap,
  type InProcessRelay,
} from './support';

let relay: InProcessRelay;

// Sign-in, the first frames and a few 1 Hz position updates per test: on a busy 2-core machine
// that alone can take most of the default two minutes.
test.setTimeout(240_000);

test.beforeAll(async () => {
  relay = await startInProcessRelay({ SIM_VEHICLES: '300', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD });
});

test.afterAll(async () => {
  await relay?.stop();
});

/** The middle of the map's free area: right of the docked inbox (the camera's padding). */
async function mapMiddle(page: Page): Promise<[number, number]> {
  const map = (await page.getByTestId('map').boundingBox())!;
  const inbox = (await page.getByTestId('alert-inbox').boundingBox())!;
  const left = inbox.x + inbox.width;
  return [left + (map.x + map.width - left) / 2, map.y + map.height / 2];
}

async function distanceFromMiddle(page: Page, index: number): Promise<number> {
  const [cx, cy] = await mapMiddle(page);
  const at = await page.evaluate((i) => window.__controlRoom!.projectVehicle(i), index);
  if (at === null) return Number.POSITIVE_INFINITY;
  return Math.hypot(at[0] - cx, at[1] - cy);
}

/** A live vehicle with a plate, and its plate as the relay knows it. */
async function vehicleWithPlate(page: Page): Promise<{ index: number; plate: string }> {
  const live = await page.evaluate(() => window.__controlRoom!.liveVehicleIndexes());
  for (const index of live) {
    const plate = relay.app.fleet.entry(index)?.plate;
    if (plate) return { index, plate };
  }
  throw new Error('no live vehicle with a plate');
}

async function signIn(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await waitForLiveMap(page);
}

test('a plate typed with spaces is found, flown to and selected; a partial one lists', async ({
  page,
}) => {
  await signIn(page);
  const { index, plate } = await vehicleWithPlate(page);
  // `12가3456` typed as `12 가 3456`: the plate's normal form finds it.
  const spaced = plate.replace(/(\d+)([가-힣])(\d+)$/u, '$1 $2 $3');
  const search = page.getByTestId('map-search-input');
  await search.fill(spaced);
  await expect(page.getByTestId('map-search-results')).toContainText(plate);
  await search.press('Enter');
  await expect(page.getByTestId('vehicle-drawer')).toContainText(plate);
  await expect.poll(() => distanceFromMiddle(page, index), { timeout: 15_000 }).toBeLessThan(60);

  // Its last four digits: a list to pick from, the vehicle among them.
  await search.fill(plate.slice(-4));
  const results = page.getByTestId('map-search-result');
  await expect(results.first()).toBeVisible();
  await expect(page.getByTestId('map-search-results')).toContainText(plate);
});

test('"동래구 온천3동" fits that neighbourhood; the inbox district filter moves the map', async ({
  page,
}) => {
  await signIn(page);
  const dong = DONG_LABELS_FILE.features.find((f) => f.properties.name === '온천3동')!;
  const [w, s, e, n] = dong.bbox as number[];
  const search = page.getByTestId('map-search-input');
  await search.fill('동래구 온천3동');
  await expect(page.getByTestId('map-search-result')).toHaveCount(1);
  await search.press('Enter');
  const middleOf = async (lon: number, lat: number) => {
    const [cx, cy] = await mapMiddle(page);
    const [x, y] = await page.evaluate(([a, b]) => window.__controlRoom!.projectLngLat(a, b), [
      lon,
      lat,
    ] as const);
    return Math.hypot(x - cx, y - cy);
  };
  await expect
    .poll(() => middleOf((w! + e!) / 2, (s! + n!) / 2), { timeout: 15_000 })
    .toBeLessThan(40);

  // The inbox's district filter: 해운대구 comes into the middle.
  const district = DISTRICT_LABELS_FILE.features.find((f) => f.properties.name === '해운대구')!;
  const [dw, ds, de, dn] = district.bbox as number[];
  await page.getByTestId('alert-filter-district').selectOption(district.properties.code);
  await expect
    .poll(() => middleOf((dw! + de!) / 2, (ds! + dn!) / 2), { timeout: 15_000 })
    .toBeLessThan(40);
});

test('following keeps the vehicle in the middle until the map is dragged', async ({ page }) => {
  await signIn(page);
  const { index } = await vehicleWithPlate(page);
  await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
  await page.getByTestId('follow-toggle').click();
  await expect(page.getByTestId('follow-toggle')).toHaveAttribute('aria-pressed', 'true');
  // Over several position updates (1 Hz) it stays in the middle, wherever it drives.
  for (let sample = 0; sample < 4; sample++) {
    await expect.poll(() => distanceFromMiddle(page, index), { timeout: 10_000 }).toBeLessThan(40);
    await page.waitForFunction(
      ([i, before]) => {
        const now = window.__controlRoom!.updateTiming().arrived;
        return now > before && window.__controlRoom!.projectVehicle(i) !== null;
      },
      [index, await page.evaluate(() => window.__controlRoom!.updateTiming().arrived)] as const,
    );
  }

  // A drag takes the camera back: following ends.
  const [cx, cy] = await mapMiddle(page);
  await page.mouse.move(cx + 200, cy + 150);
  await page.mouse.down();
  await page.mouse.move(cx + 50, cy + 20, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('follow-toggle')).toHaveAttribute('aria-pressed', 'false');
});
