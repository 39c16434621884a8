/**
 * Many relays, seen from the page (DESIGN §12, issue 16): a page served by relay A with the relay
 * list `?relays=A,B` keeps working when A goes away — the socket moves to B, and REST calls (the
 * KPI panel's read here) follow it to B, which answers the page's origin (CORS) and which the
 * page's policy lets it call (CSP connect-src from RELAY_PEERS). Chromium enforces both, so a
 * missing header or policy entry fails this test.
 */
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { loginThroughUi, startInProcessRelay, type InProcessRelay } from './support';

/** One signing key for both relays: a token from A must be good on B. */
const SHARED_JWT_SECRET = 'e2e-failover-shared-secret-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let relayA: InProcessRelay | undefined;
let relayB: InProcessRelay;
let originA: string;
let originB: string;

test.beforeAll(async () => {
  const [portA, portB] = [await freePort(), await freePort()];
  originA = `http://127.0.0.1:${portA}`;
  originB = `http://127.0.0.1:${portB}`;
  const common = {
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    JWT_SECRET: SHARED_JWT_SECRET,
    SIM_VEHICLES: '50',
  };
  relayA = await startInProcessRelay({ ...common, PORT: String(portA), RELAY_PEERS: originB });
  relayB = await startInProcessRelay({ ...common, PORT: String(portB), RELAY_PEERS: originA });
});

test.afterAll(async () => {
  await relayA?.stop();
  await relayB?.stop();
});

test('relay A goes away: the page moves to B and its REST calls follow', async ({ page }) => {
  const policyViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|CORS/i.test(message.text())) policyViolations.push(message.text());
  });
  const kpiAnswers: string[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/kpis')
      kpiAnswers.push(`${new URL(response.url()).origin} ${response.status()}`);
  });

  await loginThroughUi(
    page,
    `${originA}/?relays=${encodeURIComponent(`${originA},${originB}`)}`,
    'admin',
    TEST_ADMIN_PASSWORD,
  );
  const pill = page.getByTestId('connection-status');
  await expect(pill).toHaveAttribute('data-state', 'live');

  await relayA!.stop();
  relayA = undefined;
  await expect(pill).not.toHaveAttribute('data-state', 'live');
  // Back live, on B: A is gone, so the socket that is live is B's.
  await expect(pill).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  await page.getByTestId('open-kpis').click();
  await expect(page.getByTestId('kpi-panel').getByTestId('kpi-figure').first()).toBeVisible();
  expect(kpiAnswers).toContain(`${originB} 200`);
  expect(kpiAnswers.filter((answer) => answer.startsWith(originA))).toEqual([]);
  expect(policyViolations).toEqual([]);
});
