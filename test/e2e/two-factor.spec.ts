/**
 * Two-factor sign-in in a real browser: a supervisor, whose role requires it
 * (TOTP_REQUIRED_ROLES=supervisor), signs in with the password, is asked to enrol, reads the QR
 * code's secret, types the code an authenticator would show (computed here from that secret),
 * keeps the recovery codes, and is in. Signed out and back, the code is asked after the
 * password: a wrong code is refused on screen, the right one signs in.
 */
import { expect, test } from '@playwright/test';
import { totpCode } from '../../server/auth/totp';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { apiLogin, createUser, startInProcessRelay, type InProcessRelay } from './support';

const PASSWORD = 'supervisor-password-e2e';
const PERIOD_MS = 30_000;
const INBOX_LOADED = '[data-testid="alert-inbox"][data-loaded="true"]';

let relay: InProcessRelay;

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '20',
    TOTP_REQUIRED_ROLES: 'supervisor',
    TOTP_SECRET_KEY: 'totp-secret-key-for-the-e2e-test-01234',
  });
  const admin = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, admin, {
    username: 'sup.kim',
    password: PASSWORD,
    role: 'supervisor',
  });
});

test.afterAll(async () => {
  await relay?.stop();
});

test('a supervisor enrols at sign-in and signs in with a TOTP code', async ({ page }) => {
  await page.goto(relay.url);
  await page.getByTestId('login-username').fill('sup.kim');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();

  // Enrolment: the QR code drawn (an image that loaded) and the secret beside it.
  await expect(page.getByTestId('totp-enrol-form')).toBeVisible();
  const qr = page.getByTestId('totp-qr');
  await expect(qr).toBeVisible();
  await expect
    .poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
  const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByTestId('totp-secret')).toContainText(secret.slice(0, 4));
  await page.screenshot({ path: 'test-results/two-factor-enrol.png' });

  await page.getByTestId('totp-enrol-code').fill(totpCode(secret, Date.now()));
  await page.getByTestId('totp-enrol-submit').click();
  const codes = page.getByTestId('totp-recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await page.getByTestId('totp-recovery-continue').click();
  await page.locator(INBOX_LOADED).waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('user-menu')).toHaveAttribute('data-username', 'sup.kim');

  // Signed out and back: the code is asked after the password.
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').fill('sup.kim');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('totp-form')).toBeVisible();
  await expect(page.getByTestId('totp-user')).toContainText('sup.kim');
  await page.getByTestId('totp-code').fill('000000');
  await page.getByTestId('totp-submit').click();
  await expect(page.getByTestId('totp-error')).toBeVisible();
  await expect(page.getByTestId('totp-form')).toBeVisible();
  await page.screenshot({ path: 'test-results/two-factor-code.png' });
  // The enrolment used this period's step, so the next period's code (inside the window) is new.
  await page.getByTestId('totp-code').fill(totpCode(secret, Date.now() + PERIOD_MS));
  await page.getByTestId('totp-submit').click();
  await page.locator(INBOX_LOADED).waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('user-menu')).toHaveAttribute('data-role', 'supervisor');
});
