/**
 * Inbox rows read whole in English (issue 19, "English mode is English"): the longest alert type
 * names ("Missing person vehicle", "Alcohol on rolling retest") are not cut, even beside the most chips a row carries (critical,
 * repeat count, overdue, the age), at 1920×1080 and 1400×900; the neighbourhood reads in English.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { en } from '../../renderer/src/i18n/en';
import {
  injectArrearsHit,
  injectDrowsy,
  injectFailedRetest,
  injectMissingPersonHit,
  loginThroughUi,
  startShiftRelay,
  type InProcessRelay,
} from './support';

const PASSWORD = 'e2e-password-1234';
const SUPERVISOR = 'sv.words';
/** 부전1동 (부산진구): in English, "Busanjin-gu Bujeon 1(il)-dong". */
const BUJEON = { lon: 129.0595, lat: 35.1577 };
/** Later than any deadline: escalateDue(now + this) escalates every unacknowledged alert. */
const PAST_EVERY_DEADLINE_MS = 60 * 60_000;

let relay: InProcessRelay;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  relay = await startShiftRelay([{ username: SUPERVISOR, password: PASSWORD, role: 'supervisor' }]);
  const missing = {
    plate: '123가4567',
    ...BUJEON,
    name: '홍길동',
    age: 81,
    description: '흰색 상의',
  };
  // Twice: the repeat merges into one row with its ×2 chip, the widest row there is.
  await injectMissingPersonHit(relay, { id: 'mp-words-1', ...missing });
  await injectMissingPersonHit(relay, { id: 'mp-words-2', ...missing });
  await injectArrearsHit(relay, {
    id: 'ar-words-1',
    plate: '45나6789',
    ...BUJEON,
    amountKrw: 1_250_000,
    notices: 3,
  });
  await injectDrowsy(relay, {
    id: 'dr-words-1',
    plate: '67다8901',
    ...BUJEON,
    gazeClosure: 4,
    headDrop: 2,
  });
  await relay.app.alerts.escalateDue(Date.now() + PAST_EVERY_DEADLINE_MS);
  // The longest interlock rule name ("Alcohol on rolling retest") beside its reading.
  await injectFailedRetest(relay, { id: 'ir-words', plate: '301머1234', bac: 0.052, ...BUJEON });
});

test.afterAll(async () => {
  await relay?.stop();
});

/** Each row's type label: its text, and whether the text is wider than the space it has. */
async function typeLabels(page: Page): Promise<{ text: string; cut: boolean }[]> {
  return page.locator('[data-testid="alert-row"] .alert-row__type-label').evaluateAll((labels) =>
    labels.map((label) => ({
      text: label.textContent ?? '',
      cut: label.scrollWidth > label.clientWidth + 1,
    })),
  );
}

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1400, height: 900 },
]) {
  test(`English inbox rows show whole type names and English places at ${viewport.width}×${viewport.height}`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await loginThroughUi(page, relay.url, SUPERVISOR, PASSWORD);
    await page.getByTestId('language-switch').click();
    await expect(page.getByTestId('language-switch')).toHaveAttribute('data-language', 'en');

    const missingRow = page
      .getByTestId('alert-row')
      .filter({ hasText: en.alertType.MISSING_PERSON_HIT });
    await expect(missingRow).toHaveAttribute('data-escalated', 'true');
    await expect(missingRow.getByTestId('alert-row-count')).toHaveText('×2');
    await expect(missingRow.locator('.alert-row__place')).toHaveText(
      'Busanjin-gu Bujeon 1(il)-dong',
    );

    await page.screenshot({ path: `test-results/shift-inbox-words-${viewport.width}.png` });
    const labels = await typeLabels(page);
    expect(labels.map((l) => l.text).sort()).toEqual(
      [
        en.alertType.ARREARS_HIT,
        en.alertType.DROWSY,
        en.alertType.INTERLOCK,
        en.alertType.MISSING_PERSON_HIT,
      ].sort(),
    );
    expect(labels.filter((l) => l.cut)).toEqual([]);
    // The chips beside it stay whole too: the overdue chip and the age.
    for (const selector of ['.escalated-chip', '.alert-row__age', '.severity-chip']) {
      const cut = await missingRow
        .locator(selector)
        .evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut, selector).toBe(false);
    }

    // The violations panel's row the same way: the rule whole beside its reading and age.
    await page.getByTestId('open-violations').click();
    const violation = page.getByTestId('violation-row').first();
    await expect(violation.locator('.violation-row__rule')).toHaveText(
      en.interlock.rule.alcohol_retest,
    );
    for (const selector of [
      '.violation-row__rule',
      '.violation-row__bac',
      '.violation-row__place',
    ]) {
      const cut = await violation
        .locator(selector)
        .evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut, selector).toBe(false);
    }
    await expect(violation.locator('.violation-row__place')).toHaveText(
      'Busanjin-gu Bujeon 1(il)-dong',
    );
  });
}

test('an admin’s English desk fits 1400×900: the user menu and log out on screen, the legend clear of the credit line', async ({
  page,
}) => {
  const viewport = { width: 1400, height: 900 };
  await page.setViewportSize(viewport);
  await loginThroughUi(page, relay.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('language-switch').click();
  await expect(page.getByTestId('language-switch')).toHaveAttribute('data-language', 'en');
  const header = page.locator('header');
  expect(await header.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  for (const testId of ['logout', 'user-menu', 'open-admin', 'language-switch']) {
    const box = (await page.getByTestId(testId).boundingBox())!;
    expect(box.x + box.width, testId).toBeLessThanOrEqual(viewport.width);
  }
  // The English legend along the bottom stays clear of the map's credit line in the corner.
  const legend = (await page.getByTestId('map-legend').boundingBox())!;
  const credit = (await page.locator('.maplibregl-ctrl-attrib').boundingBox())!;
  expect(legend.x + legend.width).toBeLessThanOrEqual(credit.x);
  await page.screenshot({ path: 'test-results/shift-header-1400-en.png' });
});
