/**
 * The test-id contract (docs/TESTING.md): the catalogue docs/TEST-IDS.md is what the code gives
 * (run `npm run test-ids` after adding or renaming an id), and every id TESTING.md promises as
 * stable is still in the code — renaming one is a breaking change, done on purpose or not at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_PATH,
  catalogueHas,
  collectTestIds,
  catalogueText,
  ROOT,
} from '../../../scripts/test-ids';

const STABLE_SECTION = '## Stable test ids';

/** The ids in backticks in TESTING.md's stable-ids section. */
function promisedIds(): string[] {
  const text = readFileSync(join(ROOT, 'docs/TESTING.md'), 'utf8');
  const start = text.indexOf(STABLE_SECTION);
  expect(start, `docs/TESTING.md has a "${STABLE_SECTION}" section`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + STABLE_SECTION.length);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/`([a-z0-9][a-z0-9-]*)`/g)].map((m) => m[1]!);
}

describe('test-id catalogue', () => {
  const entries = collectTestIds();

  it('docs/TEST-IDS.md is what the code gives (npm run test-ids writes it)', async () => {
    expect(
      readFileSync(CATALOGUE_PATH, 'utf8'),
      'docs/TEST-IDS.md is stale: run `npm run test-ids` and commit it with the code that changed ids',
    ).toBe(await catalogueText(entries));
  });

  it('every id docs/TESTING.md promises still exists in the code', () => {
    const promised = promisedIds();
    expect(promised.length).toBeGreaterThan(20);
    expect(promised.filter((id) => !catalogueHas(entries, id))).toEqual([]);
  });

  it('finds literal, templated and prop-passed ids, grouped by screen', () => {
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('login-submit')?.screen).toBe('auth');
    expect(byId.get('alert-inbox')?.screen).toBe('features/alerts');
    expect(byId.get('kiosk-kpi-vehicles')?.screen).toBe('kiosk');
    expect(catalogueHas(entries, 'alert-count-acknowledged')).toBe(true);
    expect(catalogueHas(entries, 'no-such-id')).toBe(false);
  });
});
