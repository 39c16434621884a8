/**
 * An admin resets a user's two-factor sign-in from the admin screen (issue 19): the user whose
 * phone is lost shows 2단계 인증 on their row; the reset is asked first, then done, and the row
 * no longer has it. The audit log says the whole story in words: enrolled, codes refused, locked,
 * reset by the admin — no action codes.
 */
import { expect, test } from '@playwright/test';
import type { LoginResponse } from '../../shared/auth';
import type { LoginChallenge, TotpEnrolment } from '../../shared/two-factor';
import { totpCode } from '../../server/auth/totp';
import { ko } from '../../renderer/src/i18n/ko';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  loginThroughUi,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'operator-password-e2e';
const OPERATOR = 'op.phone';
/** Wrong codes in a row before code entry locks (server/auth/two-factor-service.ts). */
const MAX_FAILURES = 5;

let relay: InProcessRelay;

async function post<T>(path: string, body: object, token?: string): Promise<T> {
  const response = await fetch(new URL(path, relay.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return (await response.json()) as T;
}

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
    TOTP_SECRET_KEY: 'totp-secret-key-for-the-e2e-test-01234',
  });
  const admin = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, admin, { username: OPERATOR, password: PASSWORD, role: 'operator' });
  // The operator turns two-factor sign-in on, then (phone lost) locks it with wrong codes.
  const token = await apiLogin(relay.url, OPERATOR, PASSWORD);
  const { secret } = await post<TotpEnrolment>('/api/auth/totp/enrol', {}, token);
  await post('/api/auth/totp/confirm', { code: totpCode(secret, Date.now()) }, token);
  const step = await post<LoginChallenge | LoginResponse>('/api/auth/login', {
    username: OPERATOR,
    password: PASSWORD,
  });
  expect('ticket' in step).toBe(true);
  for (let i = 0; i < MAX_FAILURES; i++) {
    await post('/api/auth/login/totp', { ticket: (step as LoginChallenge).ticket, code: '999999' });
  }
});

test.afterAll(async () => {
  await relay?.stop();
});

test('an admin resets a lost phone’s two-factor sign-in, asked first, and the log says it in words', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('open-admin').click();
  const admin = page.getByTestId('admin-view');
  const row = admin.locator(`[data-testid="admin-user-row"][data-username="${OPERATOR}"]`);
  await expect(row.getByTestId('admin-two-factor-on')).toHaveText(ko.admin.twoFactor.on);
  // The admin's own row has none: no reset offered there.
  const adminRow = admin.locator('[data-testid="admin-user-row"][data-username="admin"]');
  await expect(adminRow.getByTestId('admin-reset-two-factor')).toHaveCount(0);

  // Asked first; cancel leaves it on.
  await row.getByTestId('admin-reset-two-factor').click();
  const bar = admin.getByTestId('admin-confirm-bar');
  await expect(bar).toContainText(`${OPERATOR}의 2단계 인증을 초기화할까요?`);
  await admin.getByTestId('admin-confirm-cancel').click();
  await expect(row.getByTestId('admin-two-factor-on')).toBeVisible();

  await row.getByTestId('admin-reset-two-factor').click();
  await expect(admin.getByTestId('admin-confirm')).toHaveText(ko.admin.twoFactor.reset);
  await admin.getByTestId('admin-confirm').click();
  await expect(row.getByTestId('admin-two-factor-on')).toHaveCount(0);
  await expect(row.getByTestId('admin-reset-two-factor')).toHaveCount(0);
  // The operator signs in with the password alone again (they may enrol anew).
  expect((await apiLogin(relay.url, OPERATOR, PASSWORD)).length).toBeGreaterThan(0);

  // The audit log: the operator's story and the admin's reset, in words.
  await admin.getByTestId('admin-close').click();
  await page.getByTestId('open-audit').click();
  const audit = page.getByTestId('audit-view');
  await expect(audit).toBeVisible();
  const actionOf = (action: string) =>
    audit.locator(`[data-testid="audit-row"][data-action="${action}"]`).first();
  await expect(actionOf('user.totp_reset').getByTestId('audit-action')).toHaveText(
    ko.audit.actions.user.totp_reset,
  );
  await expect(actionOf('auth.totp_locked').getByTestId('audit-action')).toHaveText(
    ko.audit.actions.auth.totp_locked,
  );
  await expect(actionOf('auth.totp_failed').getByTestId('audit-changes')).toContainText(
    '사유: 인증 코드 불일치',
  );
  await expect(actionOf('user.totp_enrolled').getByTestId('audit-action')).toHaveText(
    ko.audit.actions.user.totp_enrolled,
  );
  await expect(audit).not.toContainText('totp');
  await page.screenshot({ path: 'test-results/admin-two-factor-audit.png' });
});
