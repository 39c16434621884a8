/**
 * The embedded store's seed-table writer runs on a worker thread with its own connection to the
 * SQLite file: what it writes is readable on the relay's connection, large batches go through in
 * short transactions, and pruning removes old history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicRow } from '../../shared/topics';
import { openStore, type Store } from '../../server/store/database';
import { createSeedWriter, type SeedWriter } from '../../server/store/seed-writer';

const ROWS = 5_000;
const MINUTE_MS = 60_000;

describe('seed writer on a worker thread (embedded SQLite)', () => {
  let dir: string;
  let store: Store;
  let writer: SeedWriter;
  const warnings: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seed-writer-'));
    store = await openStore({ sqlitePath: join(dir, 'store.sqlite') });
    writer = createSeedWriter(store, {
      acknowledge: 'stored',
      log: { warn: (_obj, msg) => warnings.push(msg) },
    });
  });

  afterAll(async () => {
    await writer?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a batch larger than one transaction, readable on the main connection', async () => {
    const nowMs = Date.now();
    const info: TopicRow<'driving_session_info'>[] = Array.from({ length: ROWS }, (_, i) => ({
      info_id: `info-${i}`,
      session_id: `s-${i % 50}`,
      app_lat: 35.1,
      app_lon: 129.0,
      speed: 30,
      app_rapid_acc: 0,
      app_weather_status: null,
      // Half of it is two hours old: the prune below removes exactly that half.
      dt: i % 2 === 0 ? nowMs : nowMs - 120 * MINUTE_MS,
    }));
    await writer.write({ driving_session_info: info }, nowMs);
    const { count } = await store.db
      .selectFrom('driving_session_info')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(ROWS);

    // A duplicate delivery changes nothing.
    await writer.write({ driving_session_info: info.slice(0, 10) }, nowMs);
    expect(await writer.prune(nowMs - 60 * MINUTE_MS)).toBe(ROWS / 2);
    const after = await store.db
      .selectFrom('driving_session_info')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(ROWS / 2);
    expect(warnings).toEqual([]);
  });
});
