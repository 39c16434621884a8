/**
 * When the feed stops, the desk says so at once, calmly, with the age of what the map shows, and
 * dims the vehicles (issue 19): it no longer waits 15 s while a frozen city stays in full colour.
 */
import { expect, test } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { injectDrowsy, loginThroughUi, startInProcessRelay, type InProcessRelay } from './support';

/** Well inside the 15 s after which the feed counts as lost: "at once". */
const SAID_WITHIN_MS = 8000;

let relay: InProcessRelay | null = null;

// Signing in draws the map through SwiftShader; on a shared two-core machine that alone can take
// a minute.
test.setTimeout(240_000);

test.afterAll(async () => {
  await relay?.stop().catch(() => undefined);
});

test('a stopped feed is said at once with the age of the last data', async ({ page }) => {
  relay = await startInProcessRelay({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, SIM_VEHICLES: '0' });
  await injectDrowsy(relay, {
    id: 'feed-1',
    plate: '12가3456',
    lon: 129.0756,
    lat: 35.1796,
    gazeClosure: 4,
    headDrop: 2,
  });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('connection-lost-banner')).toHaveCount(0);

  // The relay goes away.
  const stopped = relay;
  relay = null;
  await stopped.stop();
  const banner = page.getByTestId('connection-lost-banner');
  await expect(banner).toBeVisible({ timeout: SAID_WITHIN_MS });
  await expect(banner).toHaveAttribute('data-state', 'reconnecting');
  await expect(page.getByTestId('connection-banner-age')).toContainText(
    /마지막 수신 .*(초 전|방금)/,
  );
  // Calm at first (status, not an alarm); firm once the feed counts as lost.
  await expect(banner).toHaveAttribute('role', 'status');
  await expect(banner).toHaveAttribute('data-state', 'lost', { timeout: 20_000 });
  await expect(banner).toHaveAttribute('role', 'alert');
});
