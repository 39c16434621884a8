/**
 * The interlock registry screen (issue 17): subjects and devices the simulator wrote into the
 * registry tables, masked; an admin imports a registry file and reads the validation report
 * (rows accepted, rows refused with line, column and reason); an operator sees no import.
 */
import { expect, test } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import {
  apiLogin,
  createUser,
  loginThroughUi,
  startInProcessRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const OPERATOR = 'op.registry';
/** 3 % of 200 simulated cars carry a device. */
const SIM_DEVICES = 6;

let relay: InProcessRelay;

test.beforeAll(async () => {
  relay = await startInProcessRelay({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIM_VEHICLES: '200',
    LOGIN_RATE_LIMIT_PER_MINUTE: '200',
  });
  const admin = await apiLogin(relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await createUser(relay.url, admin, { username: OPERATOR, password: PASSWORD, role: 'operator' });
});

test.afterAll(async () => {
  await relay?.stop();
});

test('an admin lists subjects and devices, imports a file and reads its report', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('open-registry').click();
  const panel = page.getByTestId('registry-panel');
  await expect(panel).toBeVisible();

  const subjects = panel.getByTestId('registry-subject-row');
  await expect(subjects).toHaveCount(SIM_DEVICES);
  // Names are masked for every role (김*수): the first character, stars, the last.
  await expect(subjects.first().locator('td').nth(1)).toContainText('*');
  await expect(panel.getByTestId('registry-summary')).toContainText(`대상자 ${SIM_DEVICES}`);

  await panel.getByTestId('registry-tab-devices').click();
  await expect(panel.getByTestId('registry-device-row')).toHaveCount(SIM_DEVICES);

  await panel.getByTestId('registry-tab-import').click();
  await panel.getByTestId('registry-import-kind').selectOption('subjects');
  const csv = [
    'user_id,name,license_number,phone,obligation_start,obligation_end',
    'E2E-S1,한가람,12-22-000333-44,010-3333-4444,2025-06-01,2028-06-01',
    'E2E-S2,,12-22-000333-45,010-3333-4445,2025-06-01,2028-06-01',
    'E2E-S3,윤바다,12-22-000333-46,010-3333-4446,2025-06-01,2024-06-01',
  ].join('\n');
  await panel.getByTestId('registry-import-file').setInputFiles({
    name: 'subjects.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await panel.getByTestId('registry-import-submit').click();
  const report = panel.getByTestId('registry-import-report');
  await expect(report).toBeVisible();
  await expect(report.getByTestId('registry-report-accepted')).toContainText('1');
  await expect(report.getByTestId('registry-report-refused')).toContainText('2');
  const problems = report.getByTestId('registry-report-problem');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText('3');
  await expect(problems.nth(0)).toContainText('name is required');
  await expect(problems.nth(1)).toContainText('obligation_end must be after obligation_start');
  await page.screenshot({ path: test.info().outputPath('registry-import.png') });

  // The accepted subject is in the registry now.
  await panel.getByTestId('registry-tab-subjects').click();
  await expect(panel.locator('[data-subject="E2E-S1"]')).toBeVisible();
  await expect(panel.locator('[data-subject="E2E-S1"]')).not.toContainText('한가람');
  await page.screenshot({ path: test.info().outputPath('registry-subjects.png') });
});

test('an operator reads the registry but cannot import', async ({ page }) => {
  await loginThroughUi(page, relay.url, OPERATOR, PASSWORD);
  await page.getByTestId('open-registry').click();
  const panel = page.getByTestId('registry-panel');
  await expect(panel.getByTestId('registry-subject-row').first()).toBeVisible();
  await expect(panel.getByTestId('registry-tab-import')).toHaveCount(0);
  await expect(panel.getByTestId('registry-refresh')).toHaveCount(0);
});
