/**
 * Limits shared by many relays through Redis (DESIGN §12): two relays (in-process apps, each its
 * own SQLite, one private redis-server) count login attempts per address and commands per user
 * together, so a client that the load balancer sends to another relay gets no fresh allowance.
 * Also: a token of one relay works on the other (one JWT_SECRET), and /healthz names the instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { HealthSnapshot } from '../../shared/events';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';
import { startTestRedis, type TestRedis } from '../support/redis-server';

const LOGINS_PER_MINUTE = 3;
let redis: TestRedis;
const apps: FastifyInstance[] = [];
const dirs: string[] = [];

async function relay(instance: string): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'shared-limits-'));
  dirs.push(dir);
  const app = await buildApp(
    loadConfig({
      SQLITE_PATH: join(dir, 'store.sqlite'),
      SIM_VEHICLES: '0',
      REDIS_URL: redis.url,
      INSTANCE_ID: instance,
      JWT_SECRET: 'shared-limits-test-secret-0123456789abcdef',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGINS_PER_MINUTE),
      COMMAND_LIMIT_USER_PER_SECOND: '1',
      COMMAND_LIMIT_USER_BURST: '0',
      LOG_LEVEL: 'silent',
    }),
  );
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('limits shared through Redis', () => {
  it('counts logins per address over both relays, accepts one token on both, names each', async () => {
    const a = await relay('relay-a');
    const b = await relay('relay-b');
    // Before the login limit is spent: a token from A is good on B.
    const token = await loginToken(a);
    const onB = await b.inject({
      method: 'GET',
      url: '/api/alerts',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(onB.statusCode).toBe(200);

    const wrong = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'not-the-password' },
      });
    // One attempt used above; the rest of the minute's allowance alternates between relays.
    const codes: number[] = [];
    for (let i = 0; i < LOGINS_PER_MINUTE; i++) codes.push((await wrong(i % 2 ? a : b)).statusCode);
    expect(codes).toEqual([401, 401, 429]);

    // Commands: one a second per user, counted together.
    const ack = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/alerts/999999/ack',
        headers: { authorization: `Bearer ${token}` },
        payload: { version: 1 },
      });
    expect((await ack(a)).statusCode).toBe(404);
    expect((await ack(b)).statusCode).toBe(429);

    const health = (await b.inject({ method: 'GET', url: '/healthz' })).json<HealthSnapshot>();
    expect(health.cluster).toMatchObject({ instance: 'relay-b', redis: { up: true } });
    // SQLite: each relay is alone with its store, so it holds every lease.
    expect(Object.values(health.cluster!.leases).every(Boolean)).toBe(true);
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/relay_socket_clients\{instance="relay-a"\} \d+/);
  });
});
