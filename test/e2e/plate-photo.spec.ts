/**
 * The proof of a plate hit on screen (issue 15): an operator opens an arrears hit and sees each
 * read's plate photo beside the plate as read and the OCR confidence, two merged reads as a strip;
 * the photo is the simulator's generated plate (embedded default), fetched with the token, audited;
 * a viewer (a wall) sees no photo and the relay refuses one. Checks screen pixels of the photo.
 */
import { expect, test } from '@playwright/test';
import type { AlertListResponse } from '../../shared/alerts';
import type { AuditEvent } from '../../shared/audit';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  injectArrearsHit,
  loginThroughUi,
  screenshotPixels,
  type InProcessRelay,
  startInProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const OPERATOR = 'op.photo';
const VIEWER = 'wall.photo';
/** Written with spaces, as some lists do; the read has none (matched on the normal form). */
const HIT = {
  id: 'ar-photo-1',
  plate: '부산 12 가 3456',
  lon: 129.0756,
  lat: 35.1796,
  amountKrw: 3_400_000,
  notices: 7,
  confidence: 0.91,
};
/** The generated plate is white (#fafafa) with black text, on a grey road. */
const PLATE_WHITE = 240;
const TEXT_DARK = 60;
/** Shown scaled in the strip: the plate is about half of the picture, its text a part of that. */
const MIN_WHITE_SHARE = 0.25;
const MIN_DARK_SHARE = 0.02;

let relay: InProcessRelay;
let adminToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: OPERATOR,
    password: PASSWORD,
    role: 'operator',
  });
  await createUser(relay.url, adminToken, { username: VIEWER, password: PASSWORD, role: 'viewer' });
  await injectArrearsHit(relay, HIT);
  // A second read of the same car merges into the same alert: the strip shows both.
  await injectArrearsHit(relay, {
    ...HIT,
    id: 'ar-photo-2',
    plate: '부산12가3456',
    confidence: 0.97,
  });
});

test.afterAll(async () => {
  await relay?.stop();
});

async function hitAlertId(): Promise<number> {
  const response = await fetch(new URL('/api/alerts?type=ARREARS_HIT', relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { alerts } = (await response.json()) as AlertListResponse;
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.count).toBe(2);
  return alerts[0]!.id;
}

test('an operator opens an arrears hit and sees its plate photos beside the reads', async ({
  page,
}) => {
  const id = await hitAlertId();
  await loginThroughUi(page, relay.url, OPERATOR, PASSWORD);
  await page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`).click();
  const strip = page.getByTestId('plate-photo-strip');
  await expect(strip).toBeVisible();
  const cards = strip.getByTestId('plate-photo-card');
  await expect(cards).toHaveCount(2);
  // Each read as the camera wrote it, with its confidence where the message carried one (the
  // two reads fall in the same second, so their order is not asserted).
  const second = strip.locator('[data-testid="plate-photo-card"][data-detection="ar-photo-2"]');
  const first = strip.locator('[data-testid="plate-photo-card"][data-detection="ar-photo-1"]');
  await expect(second.getByTestId('plate-photo-text')).toHaveText('부산12가3456');
  await expect(second.getByTestId('plate-photo-confidence')).toHaveText('97%');
  await expect(first.getByTestId('plate-photo-text')).toHaveText('부산 12 가 3456');
  const images = strip.getByTestId('plate-photo-image');
  await expect(images).toHaveCount(2);
  for (const image of await images.all()) {
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
  }

  // The detail panel scrolls (its comment form is pinned at the foot): bring the photo into view.
  await images.nth(0).scrollIntoViewIfNeeded();
  const png = await screenshotPixels(page, test.info().outputPath('plate-photo.png'));
  const box = (await images.nth(0).boundingBox())!;
  let white = 0;
  let dark = 0;
  let all = 0;
  for (let y = Math.ceil(box.y); y < box.y + box.height; y++) {
    for (let x = Math.ceil(box.x); x < box.x + box.width; x++) {
      const i = (png.width * y + x) << 2;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      all++;
      if (r > PLATE_WHITE && g > PLATE_WHITE && b > PLATE_WHITE) white++;
      if (r < TEXT_DARK && g < TEXT_DARK && b < TEXT_DARK) dark++;
    }
  }
  expect(white / all).toBeGreaterThan(MIN_WHITE_SHARE);
  expect(dark / all).toBeGreaterThan(MIN_DARK_SHARE);

  // Each photo opened is audited like an unmask: who, which alert, which image.
  const audit = await fetch(new URL(`/api/audit?action=alert.photo`, relay.url), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { events } = (await audit.json()) as { events: AuditEvent[] };
  const mine = events.filter((e) => e.action === 'alert.photo' && e.actor === OPERATOR);
  expect(mine.map((e) => (e.after as { imageId: string }).imageId).sort()).toEqual([
    'IMG-ar-photo-1',
    'IMG-ar-photo-2',
  ]);
  expect(mine.every((e) => e.entityId === String(id))).toBe(true);
});

test('a viewer (wall) sees no photo, and the relay refuses one', async ({ page }) => {
  const id = await hitAlertId();
  await loginThroughUi(page, relay.url, VIEWER, PASSWORD);
  await page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`).click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  await expect(page.getByTestId('plate-photos')).toHaveCount(0);
  const token = await apiLogin(relay.url, VIEWER, PASSWORD);
  const response = await fetch(new URL(`/api/alerts/${id}/photos/IMG-ar-photo-1`, relay.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(403);
});
