/**
 * Errors in the detail panels clear themselves (issue 19, broken items): a violation's action
 * tried while the relay is away, and an alert's comments read while it is away, show "not
 * connected" — and once the link is back the message goes by itself (and the comments are read
 * again), as the inbox's and the alert actions' errors already did.
 */
import { expect, test, type Page } from '@playwright/test';
import type { AlertListResponse } from '../../shared/alerts';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { ko } from '../../renderer/src/i18n/ko';
import {
  apiLogin,
  createUser,
  injectDrowsy,
  injectFailedRetest,
  loginThroughUi,
  relayOutage,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const SUPERVISOR = 'sv.errors';
const DROWSY = { id: 'dr-errors', plate: '55라5555', lon: 129.07, lat: 35.18 };
const RETEST = { id: 'ir-errors', plate: '301머5678', bac: 0.06, lon: 129.06, lat: 35.16 };
const COMMENT = '순찰차 배정 요청함';

let relay: InProcessRelay;
let outage: ReturnType<typeof relayOutage>;
let supervisorToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '0',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  outage = relayOutage(relay);
  const adminToken = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, adminToken, {
    username: SUPERVISOR,
    password: PASSWORD,
    role: 'supervisor',
  });
  supervisorToken = await apiLogin(relay.url, SUPERVISOR, PASSWORD);
  await injectDrowsy(relay, { ...DROWSY, gazeClosure: 4, headDrop: 2 });
  await injectFailedRetest(relay, RETEST);
  // One comment on the drowsy alert, so opening it reads its comments from the relay.
  const list = (await (
    await fetch(new URL('/api/alerts', relay.url), {
      headers: { authorization: `Bearer ${supervisorToken}` },
    })
  ).json()) as AlertListResponse;
  const drowsy = list.alerts.find((a) => a.plate === DROWSY.plate)!;
  const response = await fetch(new URL(`/api/alerts/${drowsy.id}/comment`, relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` },
    body: JSON.stringify({ text: COMMENT }),
  });
  expect(response.status).toBe(200);
});

test.afterAll(async () => {
  await relay?.stop();
});

async function openDesk(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, SUPERVISOR, PASSWORD);
}

test('a violation action tried while the relay is away: its error clears once the link is back', async ({
  page,
}) => {
  await openDesk(page);
  await page.getByTestId('open-violations').click();
  await page.getByTestId('violation-row').filter({ hasText: RETEST.plate }).click();
  await expect(page.getByTestId('violation-detail')).toBeVisible();

  await outage.away(page);
  await page.getByTestId('violation-unmask').click();
  const error = page.getByTestId('violation-action-error');
  await expect(error).toHaveText(ko.errors.network);

  await outage.back(page);
  await expect(error).toHaveCount(0);
  // And the action works now.
  await page.getByTestId('violation-unmask').click();
  await expect(page.getByTestId('violation-unmasked')).toBeVisible();
  await expect(page.getByTestId('violation-subject-name')).toContainText('김민수');
});

test('comments read while the relay is away: the error clears and the comments come once back', async ({
  page,
}) => {
  await openDesk(page);
  await outage.away(page);
  await page.getByTestId('alert-row').filter({ hasText: DROWSY.plate }).click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  const error = page.getByTestId('alert-comments-error');
  await expect(error).toHaveText(ko.errors.network);
  await expect(page.getByTestId('alert-comment')).toHaveCount(0);

  await outage.back(page);
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('alert-comment')).toContainText(COMMENT);
});
