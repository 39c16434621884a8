/**
 * Administration in the client (issue 19): an admin adds a user (the password policy's reason said
 * in Korean first), changes the role, disables them, issues a wall's device credential (the kiosk
 * address and its QR code appear; the wall opened with it shows up among who is signed in, as a
 * wall), and reads the audit log filtered by person and action in words, not codes.
 */
import { expect, test } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { loginThroughUi, startInProcessRelay, type InProcessRelay } from './support';

const NEW_USER = 'op-jung';
const WALL = 'wall-lobby';
const GOOD_PASSWORD = 'harbour-night-shift-42';

let relay: InProcessRelay;

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '30',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
});

test.afterAll(async () => {
  await relay?.stop();
});

test('an admin manages users and a wall credential, then finds it in the audit log', async ({
  page,
  browser,
}) => {
  // Generous for a loaded machine; it takes about 30 s on a quiet one.
  test.setTimeout(240_000);
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('open-admin').click();
  const admin = page.getByTestId('admin-view');
  await expect(admin).toBeVisible();
  await expect(admin.getByTestId('admin-user-row')).toHaveCount(1);

  // A password with the username in it: refused, with the policy's reason in Korean.
  await admin.getByTestId('admin-create-username').fill(NEW_USER);
  await admin.getByTestId('admin-create-password').fill(`${NEW_USER}-2024!`);
  await admin.getByTestId('admin-create-role').selectOption('operator');
  await admin.getByTestId('admin-create-submit').click();
  await expect(admin.getByTestId('admin-create-error')).toHaveText(
    '비밀번호에 아이디가 들어 있습니다.',
  );
  await admin.getByTestId('admin-create-password').fill(GOOD_PASSWORD);
  await admin.getByTestId('admin-create-submit').click();
  const row = admin.locator(`[data-testid="admin-user-row"][data-username="${NEW_USER}"]`);
  await expect(row).toHaveAttribute('data-role', 'operator');
  await expect(admin.getByTestId('admin-create-error')).toHaveText('');

  // Role change, then disable (asked first).
  await row.getByTestId('admin-role-select').selectOption('supervisor');
  await expect(row).toHaveAttribute('data-role', 'supervisor');
  await row.getByTestId('admin-disable').click();
  await expect(admin.getByTestId('admin-confirm-bar')).toContainText(NEW_USER);
  await admin.getByTestId('admin-confirm').click();
  await expect(row).toHaveAttribute('data-disabled', 'true');
  await expect(row.getByTestId('admin-user-state')).toHaveText('사용 중지');

  // A wall account and its device credential: the address to paste and its QR code.
  await admin.getByTestId('admin-create-username').fill(WALL);
  await admin.getByTestId('admin-create-password').fill(GOOD_PASSWORD);
  await admin.getByTestId('admin-create-role').selectOption('viewer');
  await admin.getByTestId('admin-create-submit').click();
  const wallRow = admin.locator(`[data-testid="admin-user-row"][data-username="${WALL}"]`);
  await wallRow.getByTestId('admin-issue-device').click();
  const dialog = page.getByTestId('admin-device-dialog');
  await expect(dialog).toBeVisible();
  const address = await dialog.getByTestId('admin-device-address').inputValue();
  expect(address).toMatch(new RegExp(`^${relay.url}kiosk#device=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
  const qr = dialog.getByTestId('admin-device-qr');
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await dialog.getByTestId('admin-device-close').click();
  await expect(dialog).toBeHidden();

  // The wall opened with that address is listed among who is signed in, as a wall display.
  const wallPage = await browser.newPage();
  try {
    await wallPage.goto(address);
    const wallSession = admin.locator(`[data-testid="admin-session-row"][data-username="${WALL}"]`);
    await expect(wallSession).toHaveAttribute('data-client', 'wall', { timeout: 30_000 });
    await expect(wallSession).toContainText('벽면 화면');
    await expect(
      admin.locator('[data-testid="admin-session-row"][data-username="admin"]').first(),
    ).toContainText('데스크톱');
  } finally {
    await wallPage.close();
  }

  // The audit log, filtered by person and action, in words.
  await page.getByTestId('open-audit').click();
  const audit = page.getByTestId('audit-view');
  await expect(audit).toBeVisible();
  await audit.getByTestId('audit-filter-actor').fill('admin');
  await audit.getByTestId('audit-filter-actor').press('Enter');
  await audit.getByTestId('audit-filter-action').selectOption('user.update');
  const rows = audit.getByTestId('audit-row');
  await expect(rows).toHaveCount(2);
  for (const action of await rows.evaluateAll((els) => els.map((e) => e.dataset.action))) {
    expect(action).toBe('user.update');
  }
  await expect(rows.first().getByTestId('audit-action')).toHaveText('사용자 변경');
  await expect(rows.first().getByTestId('audit-changes')).toHaveText('사용 중지: 아니요 → 예');
  await expect(rows.nth(1).getByTestId('audit-changes')).toHaveText('역할: 관제요원 → 관제 책임자');
  await expect(audit).not.toContainText('user.update');
  await expect(audit).not.toContainText('disabled:');

  // A row opens what it is about: this user, on the admin screen.
  await rows.first().getByTestId('audit-open').click();
  await expect(page.getByTestId('admin-view')).toBeVisible();
  await expect(
    page.locator(`[data-testid="admin-user-row"][data-username="${NEW_USER}"]`),
  ).toHaveClass(/is-focus/);
});
