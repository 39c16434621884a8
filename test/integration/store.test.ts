/**
 * The repository suite, run once against embedded SQLite and once against a real MariaDB: one
 * query layer, two dialects, the same expectations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/store/database';
import { migrationProvider } from '../../server/store/migrations/index';
import { writeSeedRows, pruneHistory } from '../../server/store/seed-writer';
import { loadStoreSnapshot } from '../../server/store/snapshot';
import { readTrack } from '../../server/store/track-repository';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const NOW = Date.now();
const S = 1000;

const seedRows = () => ({
  uservehicle: [
    {
      car_id: 'car_1',
      age: 41,
      user_sex: '여' as const,
      user_car_brand: '기아',
      car_plate_number: '123가4567',
      updated_at: NOW - 60 * S,
    },
  ],
  driving_session: [
    { session_id: 'sess_1', car_id: 'car_1', start_time: NOW - 50 * S, end_time: null },
  ],
  driving_session_info: [1, 2, 3].map((n) => ({
    info_id: `sess_1-${n}`,
    session_id: 'sess_1',
    app_lat: 35.15 + n * 0.0001,
    app_lon: 129.05,
    speed: 30 + n,
    app_rapid_acc: 0,
    app_weather_status: '비',
    dt: NOW - (10 - n) * S,
  })),
  arrears_info: [
    {
      car_plate_number: '12가3456',
      arrears_user_id: 'u1',
      total_arrears_amount: 1_250_000,
      notice_count: 3,
    },
  ],
  missing_person_info: [
    {
      missing_id: 'm1',
      name: '김민수',
      age: 72,
      sex: '남' as const,
      car_plate_number: '34나5678',
      description: '치매 증상, 회색 점퍼',
      reported_at: NOW - 3600 * S,
    },
  ],
});

type Dialect = 'sqlite' | 'mariadb';

describe.each<Dialect>(['sqlite', 'mariadb'])('store on %s', (dialect) => {
  let store: Store;
  let tmp: string | undefined;
  let mariadb: TestDatabase | undefined;

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      tmp = mkdtempSync(join(tmpdir(), 'store-test-'));
      store = await openStore({ sqlitePath: join(tmp, 'db.sqlite') });
    } else {
      mariadb = await createTestDatabase();
      store = await openStore({ databaseUrl: mariadb.url, sqlitePath: 'unused' });
    }
  });

  afterAll(async () => {
    await store?.close();
    await mariadb?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('writes seed rows idempotently: a duplicate delivery changes nothing', async () => {
    await writeSeedRows(store.db, store.kind, seedRows(), NOW);
    await writeSeedRows(store.db, store.kind, seedRows(), NOW);
    const count = async (table: 'driving_session_info' | 'uservehicle' | 'driving_session') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('driving_session_info')).toBe(3);
    expect(await count('uservehicle')).toBe(1);
    expect(await count('driving_session')).toBe(1);
    const person = await store.db
      .selectFrom('missing_person_info')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(person.name).toBe('김민수');
    expect(person.description).toBe('치매 증상, 회색 점퍼');
  });

  it('loads master data, open sessions and latest positions as topic rows', async () => {
    const messages = await loadStoreSnapshot(store.db, NOW);
    const byTopic = (t: string) =>
      messages.filter((m) => m.topic === t).map((m) => m.value as Record<string, unknown>);
    expect(byTopic('uservehicle')[0]).toMatchObject({
      car_id: 'car_1',
      car_plate_number: '123가4567',
      user_sex: '여',
    });
    expect(byTopic('driving_session')).toHaveLength(1);
    const latest = byTopic('driving_session_info');
    expect(latest).toHaveLength(1);
    expect(latest[0]?.info_id).toBe('sess_1-3');
    expect(byTopic('arrears_info')[0]).toMatchObject({ car_plate_number: '12가3456' });
  });

  it('fills a session end time when the session row comes again', async () => {
    await writeSeedRows(
      store.db,
      store.kind,
      {
        driving_session: [
          { session_id: 'sess_1', car_id: 'car_1', start_time: NOW - 50 * S, end_time: NOW - S },
        ],
      },
      NOW,
    );
    const row = await store.db.selectFrom('driving_session').selectAll().executeTakeFirstOrThrow();
    expect(row.end_time).not.toBeNull();
    const messages = await loadStoreSnapshot(store.db, NOW);
    expect(messages.filter((m) => m.topic === 'driving_session')).toHaveLength(0);
  });

  it('reads a track in time order and prunes old history', async () => {
    const track = await readTrack(store.db, 'car_1', NOW - 60 * S);
    expect(track.map((p) => p.speed)).toEqual([31, 32, 33]);
    expect(Math.abs(track[2]!.t - (NOW - 7 * S))).toBeLessThan(2);
    expect(await readTrack(store.db, 'car_404', NOW - 60 * S)).toEqual([]);
    expect(await pruneHistory(store.db, NOW - 8 * S)).toBe(1);
    expect((await readTrack(store.db, 'car_1', NOW - 60 * S)).length).toBe(2);
  });

  it('re-running migrations is a no-op', async () => {
    const again =
      dialect === 'sqlite'
        ? await openStore({ sqlitePath: join(tmp!, 'db.sqlite') })
        : await openStore({ databaseUrl: mariadb!.url, sqlitePath: 'unused' });
    await again.close();
    const rows = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
      store.db,
    );
    // One row per migration, however many there are by now.
    const migrations = await migrationProvider(dialect).getMigrations();
    expect(Number(rows.rows[0]!.n)).toBe(Object.keys(migrations).length);
  });
});

describe('migrations on an existing upstream MariaDB', () => {
  it('create seed tables only where missing and never touch upstream rows', async () => {
    const database = await createTestDatabase('cr_upstream');
    try {
      const { createConnection } = await import('mysql2/promise');
      const u = new URL(database.url);
      const c = await createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: u.username,
        database: database.name,
      });
      // The upstream's own DDL (seed 000 §7), with a row already in it.
      await c.query(
        `CREATE TABLE uservehicle (car_id VARCHAR(255) PRIMARY KEY, age INT, user_sex ENUM('남','여'), user_car_brand VARCHAR(255), updated_at TIMESTAMP NULL, extra_upstream_col INT)`,
      );
      await c.query(
        `INSERT INTO uservehicle VALUES ('up_1', 50, '남', '현대', '2025-12-09 14:30:00', 7)`,
      );
      await c.end();
      const store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
      const rows = await sql<{
        car_id: string;
        extra_upstream_col: number;
      }>`select * from uservehicle`.execute(store.db);
      expect(rows.rows).toEqual([
        expect.objectContaining({ car_id: 'up_1', extra_upstream_col: 7 }),
      ]);
      const tables = await store.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['driving_session_info', 'quarantined_message', 'vehicle_plate']),
      );
      await store.close();
    } finally {
      await database.drop();
    }
  });
});
