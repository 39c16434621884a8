/** Which errors mean "the database cannot be reached" (503) and which stay internal (500). */
import { describe, expect, it } from 'vitest';
import {
  apiErrorOf,
  isStoreUnavailable,
  storeUnavailableReason,
} from '../../../../server/store/store-errors';
import { StoreHealth } from '../../../../server/store/store-health';

const driverError = (code: string, extra: object = {}) =>
  Object.assign(new Error(`driver: ${code}`), { code, ...extra });

describe('storeUnavailableReason', () => {
  it.each([
    'ECONNREFUSED',
    'PROTOCOL_CONNECTION_LOST',
    'ETIMEDOUT',
    'ER_CON_COUNT_ERROR',
    'ECONNRESET',
  ])('recognises %s', (code) => {
    expect(storeUnavailableReason(driverError(code))).toBe(code);
  });

  it('recognises a fatal mysql2 error, a closed pool, a wrapped cause and an AggregateError', () => {
    expect(storeUnavailableReason(driverError('ER_SOMETHING', { fatal: true }))).toBe(
      'ER_SOMETHING',
    );
    expect(isStoreUnavailable(new Error('Pool is closed.'))).toBe(true);
    expect(
      storeUnavailableReason(new Error('query failed', { cause: driverError('ECONNREFUSED') })),
    ).toBe('ECONNREFUSED');
    expect(
      storeUnavailableReason(new AggregateError([driverError('ECONNREFUSED')], 'connect failed')),
    ).toBe('ECONNREFUSED');
  });

  it('leaves query errors and bugs alone', () => {
    expect(isStoreUnavailable(driverError('ER_DUP_ENTRY'))).toBe(false);
    expect(isStoreUnavailable(driverError('ER_PARSE_ERROR'))).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
  });
});

describe('apiErrorOf', () => {
  it('answers 503 store_unavailable with the reason, else a generic 500', () => {
    expect(apiErrorOf(driverError('ECONNREFUSED'))).toMatchObject({
      status: 503,
      code: 'store_unavailable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(apiErrorOf(new Error('secret detail'))).toEqual({
      status: 500,
      code: 'internal_error',
      message: 'internal error',
    });
  });
});

describe('StoreHealth', () => {
  it('goes down on a failed probe or a reported failure, up on the next good probe, logging each once', async () => {
    let failing = true;
    const warnings: string[] = [];
    const infos: string[] = [];
    let now = 1_000;
    const health = new StoreHealth({
      probe: async () => {
        if (failing) throw driverError('ECONNREFUSED');
      },
      intervalMs: 1_000,
      timeoutMs: 100,
      log: { warn: (_o, m) => warnings.push(m), info: (_o, m) => infos.push(m) },
      now: () => now,
    });
    expect(health.state()).toMatchObject({ up: true, reason: null });
    expect(await health.check()).toMatchObject({
      up: false,
      reason: 'ECONNREFUSED',
      sinceMs: 1_000,
    });
    now = 2_000;
    await health.check();
    health.reportFailure(driverError('PROTOCOL_CONNECTION_LOST'));
    expect(health.state()).toMatchObject({ up: false, reason: 'ECONNREFUSED', sinceMs: 1_000 });
    expect(warnings).toHaveLength(1);
    failing = false;
    expect(await health.check()).toMatchObject({ up: true, reason: null, sinceMs: 2_000 });
    expect(infos).toEqual(['store reachable again']);
  });

  it('counts a probe that hangs as down', async () => {
    const health = new StoreHealth({
      probe: () => new Promise(() => undefined),
      intervalMs: 1_000,
      timeoutMs: 20,
      log: { warn: () => undefined, info: () => undefined },
    });
    expect((await health.check()).up).toBe(false);
  });
});
