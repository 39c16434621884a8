/**
 * The right-hand panels on a 1920×1080 desk (issue 19, broken items): an open alert, violation or
 * vehicle leaves the map's zoom buttons usable beside it; the alert's comment 등록 button is in
 * view without scrolling, even for a supervisor whose panel is longest; an INTERLOCK alert says
 * its rule in words (as the violations panel does) and its blood alcohol as everywhere else.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ko } from '../../renderer/src/i18n/ko';
import {
  injectDrowsy,
  injectFailedRetest,
  loginThroughUi,
  startShiftRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const SUPERVISOR = 'sv.shift';
const VIEWPORT = { width: 1920, height: 1080 };
const DROWSY = {
  id: 'dr-shift-1',
  plate: '12가3456',
  lon: 129.0756,
  lat: 35.1796,
  gazeClosure: 4,
  headDrop: 2,
};
const RETEST = { plate: '301머1234', bac: 0.05, lon: 129.06, lat: 35.16 };

let relay: InProcessRelay;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startShiftRelay([{ username: SUPERVISOR, password: PASSWORD, role: 'supervisor' }]);
  await injectDrowsy(relay, DROWSY);
  await injectFailedRetest(relay, { id: 'SHIFT', ...RETEST });
});

test.afterAll(async () => {
  await relay?.stop();
});

/** A driver fails a rolling retest while driving: a major `alcohol_retest` and its alert. */
async function openDesk(page: Page): Promise<void> {
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, relay.url, SUPERVISOR, PASSWORD);
}

/** The element is on screen and nothing covers its middle: a click there reaches it. */
async function expectReachable(page: Page, target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
  expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
  const hit = await target.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const top = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
    return top !== null && (top === element || element.contains(top));
  });
  expect(hit).toBe(true);
}

async function expectZoomUsableBeside(page: Page, panel: Locator): Promise<void> {
  const zoomIn = page.locator('.maplibregl-ctrl-zoom-in');
  await expectReachable(page, zoomIn);
  const zoom = (await zoomIn.boundingBox())!;
  const side = (await panel.boundingBox())!;
  // Left of the panel, not beneath it.
  expect(zoom.x + zoom.width).toBeLessThanOrEqual(side.x);
}

test('an open alert leaves the zoom buttons usable and its 등록 button in view', async ({
  page,
}) => {
  await openDesk(page);
  await page.getByTestId('alert-row').filter({ hasText: DROWSY.plate }).first().click();
  const detail = page.getByTestId('alert-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('alert-plate')).toHaveText(DROWSY.plate);
  await expectZoomUsableBeside(page, detail);

  // A supervisor's panel is the longest (actions, assignee, resolve form, evidence, timeline).
  await expect(page.getByTestId('alert-resolve')).toBeAttached();
  const input = page.getByTestId('alert-comment-input');
  await expectReachable(page, input);
  await input.fill('현장 확인 중');
  await expectReachable(page, page.getByTestId('alert-comment-submit'));
  await page.getByTestId('alert-comment-submit').click();
  await expect(page.getByTestId('alert-comment')).toContainText('현장 확인 중');
});

test('the Korean INTERLOCK alert says its rule in words and its blood alcohol as everywhere', async ({
  page,
}) => {
  await openDesk(page);
  await page.getByTestId('alert-row').filter({ hasText: RETEST.plate }).first().click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  const rule = page.getByTestId('evidence-rule');
  await expect(rule).toHaveText(ko.interlock.rule.alcohol_retest);
  await expect(rule).not.toContainText('alcohol_retest');
  // One way everywhere: percent with three decimals, then per mille (as the violations panel).
  await expect(page.getByTestId('evidence-bac')).toHaveText('0.050% (0.50‰)');
});

test('an open violation and an open vehicle leave the zoom buttons usable', async ({ page }) => {
  await openDesk(page);
  await page.getByTestId('open-violations').click();
  await page.getByTestId('violation-row').first().click();
  const violation = page.getByTestId('violation-detail');
  await expect(violation).toBeVisible();
  await expect(page.getByTestId('violation-bac')).toHaveText('0.050% (0.50‰)');
  await expectZoomUsableBeside(page, violation);
  await page.getByTestId('violation-detail-close').click();

  const index = await page.evaluate(() => window.__controlRoom!.liveVehicleIndexes()[0]!);
  await page.evaluate((i) => window.__controlRoom!.selectVehicle(i), index);
  const drawer = page.getByTestId('vehicle-drawer');
  await expect(drawer).toBeVisible();
  await expectZoomUsableBeside(page, drawer);
});
