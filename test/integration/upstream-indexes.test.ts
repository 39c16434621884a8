/**
 * The upstream's tables are the upstream's: on a MariaDB that already has `driving_session_info`
 * and `driving_session`, starting the relay adds no index; the operator's script does, online.
 */
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/database';
import {
  createUpstreamIndexes,
  existingIndexNames,
  UPSTREAM_INDEXES,
} from '../../server/store/upstream-indexes';
import { readTrack } from '../../server/store/track-repository';
import { formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const UPSTREAM_DDL = [
  `CREATE TABLE driving_session (
     session_id VARCHAR(255) PRIMARY KEY, car_id VARCHAR(255) NOT NULL,
     start_time TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, end_time TIMESTAMP NULL)`,
  `CREATE TABLE driving_session_info (
     info_id VARCHAR(64) PRIMARY KEY, session_id VARCHAR(255) NOT NULL,
     app_lat DOUBLE NOT NULL, app_lon DOUBLE NOT NULL, speed FLOAT, app_rapid_acc INT,
     app_weather_status VARCHAR(32), dt DATETIME(3) NOT NULL)`,
];

async function connect(url: string) {
  const u = new URL(url);
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  });
}

describe('upstream indexes (MariaDB)', () => {
  let upstream: TestDatabase;
  let fresh: TestDatabase;

  beforeAll(async () => {
    upstream = await createTestDatabase('cr_upidx');
    fresh = await createTestDatabase('cr_freshidx');
    const c = await connect(upstream.url);
    try {
      for (const ddl of UPSTREAM_DDL) await c.query(ddl);
      // The upstream writes KST wall-clock text (seed §8.2), whatever the server's zone.
      const kst = (msAgo: number) => formatKstSql(Date.now() - msAgo);
      await c.query(`INSERT INTO driving_session VALUES ('s1', 'car_1', ?, NULL)`, [
        kst(5 * 60_000),
      ]);
      await c.query(
        `INSERT INTO driving_session_info VALUES
           ('i1', 's1', 35.1, 129.0, 30, 0, '맑음', ?),
           ('i2', 's1', 35.2, 129.1, 31, 0, '맑음', ?)`,
        [kst(2 * 60_000), kst(60_000)],
      );
    } finally {
      await c.end();
    }
  });

  afterAll(async () => {
    await upstream?.drop();
    await fresh?.drop();
  });

  it('start adds no index to existing upstream tables; the script adds them; queries work either way', async () => {
    const store = await openStore({ databaseUrl: upstream.url, sqlitePath: ':memory:' });
    try {
      for (const index of UPSTREAM_INDEXES) {
        const names = await existingIndexNames(store.db, index.table, 'mariadb');
        expect(names.has(index.name), index.name).toBe(false);
      }
      // Without the indexes the track still reads (bounded, only slower).
      const before = await readTrack(store.db, 'car_1', Date.now() - 10 * 60_000);
      expect(before.map((p) => p.lat)).toEqual([35.1, 35.2]);

      const created = await createUpstreamIndexes(store.db, 'mariadb');
      expect(created).toEqual(UPSTREAM_INDEXES.map((i) => i.name));
      for (const index of UPSTREAM_INDEXES) {
        const names = await existingIndexNames(store.db, index.table, 'mariadb');
        expect(names.has(index.name), index.name).toBe(true);
      }
      expect(await createUpstreamIndexes(store.db, 'mariadb')).toEqual([]);
      const after = await readTrack(store.db, 'car_1', Date.now() - 10 * 60_000);
      expect(after).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('tables the relay creates itself (a fresh database) get the indexes at once', async () => {
    const store = await openStore({ databaseUrl: fresh.url, sqlitePath: ':memory:' });
    try {
      for (const index of UPSTREAM_INDEXES) {
        const names = await existingIndexNames(store.db, index.table, 'mariadb');
        expect(names.has(index.name), index.name).toBe(true);
      }
    } finally {
      await store.close();
    }
  });
});

describe('upstream indexes (embedded SQLite)', () => {
  it('the embedded store creates its own tables, with the indexes', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      for (const index of UPSTREAM_INDEXES) {
        const names = await existingIndexNames(store.db, index.table, 'sqlite');
        expect(names.has(index.name), index.name).toBe(true);
      }
      await sql`select 1`.execute(store.db);
    } finally {
      await store.close();
    }
  });
});
