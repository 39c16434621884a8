/**
 * One legend for everything the map draws (issue 19): vehicles, alert markers by severity and
 * interlock violations, from the constants the layers draw with. No alert colour is a vehicle
 * speed colour (the old medium yellow was "60+ km/h", the old drowsy orange a high alert's), and
 * severities differ by form too — a double ring, a white ring, a dark ring, a hollow ring — so a
 * colour-blind reader tells them apart.
 */
import { expect, test, type Locator } from '@playwright/test';
import { SEVERITIES } from '../../shared/alerts';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
} from '../../renderer/src/map/vehicle-colors';
import {
  loginThroughUi,
  near,
  startInProcessRelay,
  type InProcessRelay,
  type Rgb,
} from './support';

const SPEED_COLORS = [
  VEHICLE_COLOR_STOPPED,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_FAST,
];
/** Colours closer than this (per channel) are taken as the same. */
const SAME_COLOR = 40;

let relay: InProcessRelay;

// Signing in draws the map through SwiftShader; on a shared two-core machine that alone can take
// a minute.
test.setTimeout(240_000);

test.beforeAll(async () => {
  relay = await startInProcessRelay({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, SIM_VEHICLES: '0' });
});

test.afterAll(async () => {
  await relay?.stop();
});

function parseRgb(css: string): Rgb {
  const parts = /rgb\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(css);
  if (parts === null) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(parts[1]), Number(parts[2]), Number(parts[3])];
}

/** The circles of a legend swatch: fill, stroke and stroke width as drawn. */
async function circlesOf(item: Locator) {
  return item.locator('circle').evaluateAll((circles) =>
    circles.map((c) => {
      const style = getComputedStyle(c);
      return { fill: style.fill, stroke: style.stroke, strokeWidth: style.strokeWidth };
    }),
  );
}

test('the legend names vehicles, alert severities and violations, each by colour and form', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  const legend = page.getByTestId('map-legend');
  await expect(legend).toBeVisible();
  for (const key of ['missing', 'arrears', 'drowsy', 'stopped', 'slow', 'medium', 'fast']) {
    await expect(legend.getByTestId(`legend-vehicle-${key}`)).toBeVisible();
  }
  await expect(legend.getByTestId('legend-violation-major')).toBeVisible();
  await expect(legend.getByTestId('legend-violation-minor')).toBeVisible();

  const forms = new Set<string>();
  for (const severity of SEVERITIES) {
    const item = legend.getByTestId(`legend-alert-${severity}`);
    await expect(item).toBeVisible();
    const circles = await circlesOf(item);
    const marker = circles.at(-1)!;
    const fill = marker.fill === 'none' ? null : parseRgb(marker.fill);
    // Not a vehicle speed colour, nor the drowsy colour a high (drowsy) alert was confused with.
    for (const color of fill === null ? [] : [...SPEED_COLORS, VEHICLE_COLOR_DROWSY]) {
      expect(near(fill!, color, SAME_COLOR), `${severity} fill ${marker.fill}`).toBe(false);
    }
    // The form without hue: how many rings, filled or not, and the outline's lightness.
    const stroke = parseRgb(marker.stroke);
    const light = stroke[0] + stroke[1] + stroke[2] > 3 * 200;
    forms.add(
      `${circles.length}-${fill === null ? 'hollow' : 'filled'}-${light ? 'light' : 'dark'}`,
    );
  }
  // Four severities, four forms.
  expect(forms.size).toBe(SEVERITIES.length);

  // It fits its strip beside the zoom buttons at 1920×1080 and cuts nothing off, in both languages.
  for (const language of ['ko', 'en']) {
    if (language === 'en') {
      await page.getByTestId('language-switch').click();
      await expect(legend.getByTestId('legend-vehicle-stopped')).toHaveText('Stopped');
    }
    const box = (await legend.boundingBox())!;
    const zoom = (await page.locator('.maplibregl-ctrl-zoom-in').boundingBox())!;
    expect(box.x + box.width, language).toBeLessThan(zoom.x);
    const clipped = await legend.evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(clipped, language).toBe(false);
  }
});
