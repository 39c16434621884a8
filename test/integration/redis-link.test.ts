/**
 * The relay's Redis link (server/cluster/redis-link.ts) against a private redis-server that is
 * stopped and started again: the state follows, commands fail at once while Redis is away (a
 * broadcast must not wait for it), a dropped PUBLISH promise does not end the process, and the
 * link comes back by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLink } from '../../server/cluster/redis-link';
import { startTestRedis, type TestRedis } from '../support/redis-server';

const FAIL_FAST_MS = 200;
const RECOVER_MS = 10_000;

let redis: TestRedis;
let link: RedisLink;

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  redis = await startTestRedis();
  link = new RedisLink(redis.url);
});
afterAll(async () => {
  await link?.close();
  await redis?.stop();
});

describe('RedisLink', () => {
  it('is up once Redis answers, fails fast while it is away, and recovers by itself', async () => {
    expect(await link.ready(5_000)).toBe(true);
    expect(await link.client.ping()).toBe('PONG');
    const reader = link.client.duplicate();
    const changes: boolean[] = [];
    link.onChange((state) => changes.push(state.up));

    await redis.stop();
    await waitFor(() => !link.state().up, RECOVER_MS);
    expect(link.state().reason).not.toBeNull();
    const started = Date.now();
    await expect(link.client.xadd('s', '*', 'k', 'v')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
    // As the adapter does with server-side events: the promise is dropped.
    void link.client.publish('channel', 'payload');
    // The readers wait for Redis instead of failing (the adapter's poll loop must not spin).
    const waiting = reader.get('key');

    await redis.start();
    await waitFor(() => link.state().up, RECOVER_MS);
    expect(await waiting).toBeNull();
    expect(await link.client.ping()).toBe('PONG');
    expect(changes).toEqual([false, true]);
  });
});
