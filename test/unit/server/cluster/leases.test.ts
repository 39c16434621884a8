/** LeaseManager without a database: the embedded relay holds every lease; a holder cut off from
 * its store stops the work before the lease could expire elsewhere. */
import { describe, expect, it } from 'vitest';
import { LEASE_NAMES, LeaseManager, type LeaseStore } from '../../../../server/cluster/leases';

const quiet = { info: () => undefined, warn: () => undefined };

describe('LeaseManager', () => {
  it('the embedded relay (no lease store) holds every lease, for ever', async () => {
    const leases = new LeaseManager({ holder: 'solo', store: null, log: quiet });
    await leases.start();
    for (const name of LEASE_NAMES) expect(leases.holds(name)).toBe(true);
    expect(Object.values(leases.snapshot()).every(Boolean)).toBe(true);
    const told: string[] = [];
    leases.onChange((name, held) => told.push(`${name}:${held}`));
    expect(told).toHaveLength(LEASE_NAMES.length);
    await leases.stop();
  });

  it('keeps a lease it cannot renew only until the safety margin before its expiry', async () => {
    let nowMs = 1_000_000;
    let answer: boolean | Error = true;
    const store: LeaseStore = {
      tryAcquire: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
      release: async () => undefined,
    };
    const leases = new LeaseManager({
      holder: 'a',
      store,
      names: ['tcs-worker'],
      ttlMs: 10_000,
      safetyMs: 2_000,
      now: () => nowMs,
      log: quiet,
    });
    await leases.round();
    expect(leases.holds('tcs-worker')).toBe(true);
    answer = new Error('database away');
    nowMs += 3_000;
    await leases.round();
    expect(leases.holds('tcs-worker')).toBe(true);
    nowMs += 5_000; // 8 s after the last renewal: TTL 10 s - safety 2 s
    expect(leases.holds('tcs-worker')).toBe(false);
    answer = false; // back, but another relay took it meanwhile
    await leases.round();
    expect(leases.holds('tcs-worker')).toBe(false);
    answer = true;
    await leases.round();
    expect(leases.holds('tcs-worker')).toBe(true);
    await leases.stop();
  });
});
