/**
 * Streets where the deployment has them (issue 18): a relay with BASEMAP_TILES (an MBTiles built
 * here of generated Korean-named roads, plus the simulator's own roads so vehicles drive on drawn
 * streets) shows the roads and their names at street zoom, under the vehicles, in pixels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BASEMAP_COLORS } from '../../renderer/src/map/basemap-style';
import {
  VEHICLE_COLOR_ARREARS,
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_MISSING_PERSON,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
} from '../../renderer/src/map/vehicle-colors';
import { loadRoadNetwork } from '../../server/sim/road-network';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  buildTestTiles,
  TEST_ROADS,
  writeMbtiles,
  type TestRoad,
} from '../integration/basemap-archive-builder';
import {
  countColored,
  hexToRgb,
  loginThroughUi,
  near,
  pixelAt,
  screenshotPixels,
  startInProcessRelay,
  waitForLiveMap,
  type InProcessRelay,
} from './support';

const VEHICLE_COLORS = [
  VEHICLE_COLOR_MISSING_PERSON,
  VEHICLE_COLOR_ARREARS,
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_STOPPED,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_FAST,
];
/** The street colours of renderer/src/map/street-style.ts at zoom 16. */
const MAJOR_ROAD = hexToRgb('#5f6f87');
const MINOR_ROAD = hexToRgb('#414e64');
const ROAD_NAME = hexToRgb('#c3ccd9');
const LAND = hexToRgb(BASEMAP_COLORS.land);
const STREET_ZOOM = 16;

let relay: InProcessRelay;

// Building the archive, sign-in and two street-zoom views with their names on a busy machine.
test.setTimeout(240_000);
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streets-e2e-'));
  // The simulator's roads, each a named minor road: every vehicle then sits on a drawn street.
  const network = loadRoadNetwork();
  const simRoads: TestRoad[] = network.edges.map((edge) => {
    const a = network.nodes[edge.a]!;
    const b = network.nodes[edge.b]!;
    return {
      name: `시험${edge.id}길`,
      nameEn: `Siheom ${edge.id}-gil`,
      kind: 'minor_road',
      line: [
        [a.lon, a.lat],
        [b.lon, b.lat],
      ],
    };
  });
  const archive = join(dir, 'streets.mbtiles');
  writeMbtiles(archive, buildTestTiles(simRoads));
  relay = await startInProcessRelay({
    BASEMAP_TILES: archive,
    SIM_VEHICLES: '400',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
  });
});

test.afterAll(async () => {
  await relay?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('roads and their Korean names draw at street zoom, under the vehicles', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await waitForLiveMap(page);
  await page.waitForFunction(() => {
    const streets = window.__controlRoom?.streets();
    return streets?.kind === 'tiles' && streets.drawn;
  });
  await expect(page.getByText('© 시험 도로 데이터')).toBeVisible();

  // Where the two test avenues cross, at street zoom.
  const [avenue, crossing] = [TEST_ROADS[0]!, TEST_ROADS[1]!];
  const centre: [number, number] = [avenue.line[0][0], crossing.line[0][1]];
  await page.evaluate(([lon, lat, zoom]) => window.__controlRoom!.jumpTo(lon, lat, zoom), [
    centre[0],
    centre[1],
    STREET_ZOOM,
  ] as const);
  await page.waitForFunction(() => window.__controlRoom?.streets().drawn === true);
  // Names are placed after the lines: wait until some are on screen.
  await expect
    .poll(
      async () => {
        const png = await screenshotPixels(page, 'test-results/streets/crossing.png');
        const [x, y] = await page.evaluate(
          ([lon, lat]) => window.__controlRoom!.projectLngLat(lon, lat),
          centre,
        );
        return countColored(
          png,
          { x0: x - 400, y0: y - 300, x1: x + 400, y1: y + 300 },
          [ROAD_NAME],
          24,
        );
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(40);

  // Along the north-south avenue where the map shows it: its ends projected with the map's own
  // project(), then every few pixels of the line between them that lies on the map canvas (not
  // under the time bar, a panel or the header) and away from the crossing. At zoom 16 a
  // thousandth of a degree is over 100 px, so fixed steps in degrees leave the screen; walking
  // the projected line does not.
  const samples = await page.evaluate(
    ([from, to, crossingLat, step]) => {
      const hook = window.__controlRoom!;
      const [x0, y0] = hook.projectLngLat(from[0], from[1]);
      const [x1, y1] = hook.projectLngLat(to[0], to[1]);
      const [, yCrossing] = hook.projectLngLat(from[0], crossingLat);
      const length = Math.hypot(x1 - x0, y1 - y0);
      const points: [number, number][] = [];
      for (let d = 0; d <= length; d += step) {
        const x = x0 + ((x1 - x0) * d) / length;
        const y = y0 + ((y1 - y0) * d) / length;
        if (Math.abs(y - yCrossing) < 40) continue;
        // The point and 60 px beside it must both be map, not an overlay.
        const here = document.elementFromPoint(x, y);
        const beside = document.elementFromPoint(x + 60, y);
        if (here?.tagName !== 'CANVAS' || beside?.tagName !== 'CANVAS') continue;
        points.push([x, y]);
      }
      return points;
    },
    [avenue.line[0], avenue.line[1], centre[1], 8] as const,
  );
  // The view is 1080 px tall: hundreds of pixels of avenue are on the map, above and below.
  expect(samples.length).toBeGreaterThanOrEqual(30);
  const png = await screenshotPixels(page, 'test-results/streets/crossing.png');
  let onRoad = 0;
  let besideRoad = 0;
  for (const [x, y] of samples) {
    // The line's own colour (the style's major road, a step lighter than the land, never a
    // vehicle hue); 60 px to its side: land.
    if (near(pixelAt(png, x, y), MAJOR_ROAD, 20)) onRoad++;
    if (near(pixelAt(png, x + 60, y), LAND, 16)) besideRoad++;
  }
  // The avenue's name, drawn along it a few times, covers some samples; the rest are road.
  expect(onRoad / samples.length).toBeGreaterThan(0.7);
  expect(besideRoad / samples.length).toBeGreaterThan(0.8);

  // A vehicle at street zoom: its dot in its own colour over the street it drives on. Following
  // it (the search's and drawer's follow) brings it to the middle of the map at this zoom.
  const index = await page.evaluate(() => window.__controlRoom!.liveVehicleIndexes()[0]!);
  await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
  await page.getByTestId('follow-toggle').click();
  await page.waitForFunction(() => window.__controlRoom?.streets().drawn === true);
  await expect
    .poll(
      async () => {
        const shot = await screenshotPixels(page, 'test-results/streets/vehicle.png');
        const [x, y] = (await page.evaluate(
          (i) => window.__controlRoom!.projectVehicle(i),
          index,
        ))!;
        const dot = countColored(
          shot,
          { x0: x - 6, y0: y - 6, x1: x + 6, y1: y + 6 },
          VEHICLE_COLORS,
          12,
        );
        const road = countColored(
          shot,
          { x0: x - 16, y0: y - 16, x1: x + 16, y1: y + 16 },
          [MINOR_ROAD],
          14,
        );
        return dot > 4 && road > 4;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
});
