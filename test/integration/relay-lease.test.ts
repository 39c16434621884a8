/**
 * Leases on a real MariaDB (server/cluster/leases.ts): two relays on one database — exactly one
 * holds each lease; the other takes it once the holder stops renewing (a crash) or gives it back
 * (a clean shutdown). Short TTLs here; the product's are 10 s / 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseManager, sqlLeaseStore, type LeaseName } from '../../server/cluster/leases';
import { openStore, type Store } from '../../server/store/database';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const TTL_MS = 1_500;
const RENEW_MS = 300;
const SAFETY_MS = 300;
const quiet = { info: () => undefined, warn: () => undefined };

async function waitFor(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe('relay leases on MariaDB', () => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase('cr_lease');
    store = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const manager = (holder: string, names: LeaseName[]) =>
    new LeaseManager({
      holder,
      store: sqlLeaseStore(store.db),
      names,
      ttlMs: TTL_MS,
      renewIntervalMs: RENEW_MS,
      safetyMs: SAFETY_MS,
      log: quiet,
    });

  it('one statement decides: of two relays exactly one holds it, renewals keep it', async () => {
    const leases = sqlLeaseStore(store.db);
    const [a, b] = await Promise.all([
      leases.tryAcquire('retention', 'relay-a', TTL_MS),
      leases.tryAcquire('retention', 'relay-b', TTL_MS),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? 'relay-a' : 'relay-b';
    const loser = a ? 'relay-b' : 'relay-a';
    expect(await leases.tryAcquire('retention', winner, TTL_MS)).toBe(true);
    expect(await leases.tryAcquire('retention', loser, TTL_MS)).toBe(false);
    await leases.release('retention', winner);
    expect(await leases.tryAcquire('retention', loser, TTL_MS)).toBe(true);
  });

  it('a holder that stops renewing loses the lease to the other within TTL + interval', async () => {
    const a = manager('relay-a', ['tcs-worker']);
    const b = manager('relay-b', ['tcs-worker']);
    await a.start();
    await b.start();
    try {
      expect(a.holds('tcs-worker')).toBe(true);
      expect(b.holds('tcs-worker')).toBe(false);
      // A crash: no more renewals and nothing given back (stop() would give it back).
      const aLost = new Promise<number>((resolve) => {
        const started = Date.now();
        a.onChange((_name, held) => {
          if (!held) resolve(Date.now() - started);
        });
      });
      (a as unknown as { timer: NodeJS.Timeout }).timer.close();
      const tookOverMs = await waitFor(() => b.holds('tcs-worker'), TTL_MS + RENEW_MS * 3);
      // The old holder let go before the new one took it: never two at once.
      const lostMs = await aLost;
      expect(lostMs).toBeLessThanOrEqual(tookOverMs);
      expect(tookOverMs).toBeLessThanOrEqual(TTL_MS + RENEW_MS * 2);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a clean shutdown gives the lease back: the other takes it at its next try', async () => {
    const a = manager('relay-a', ['alert-sweeps']);
    const b = manager('relay-b', ['alert-sweeps']);
    await a.start();
    await b.start();
    try {
      expect(a.holds('alert-sweeps')).toBe(true);
      await a.stop();
      expect(a.holds('alert-sweeps')).toBe(false);
      const ms = await waitFor(() => b.holds('alert-sweeps'), RENEW_MS * 4);
      expect(ms).toBeLessThan(TTL_MS);
    } finally {
      await b.stop();
    }
  });
});
