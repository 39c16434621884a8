/**
 * The time bar (issue 18) as an operator sees it: laid out clear of the zoom buttons, the inbox
 * and a right-hand panel at the usual window sizes, its clock showing the replayed moment second
 * by second while playing, and the vehicle drawer showing the vehicle as it was at that moment.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  injectDrowsy,
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
