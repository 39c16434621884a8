/** Wall displays: an admin issues a long-lived viewer credential; disabling the account revokes it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { TEST_ADMIN_PASSWORD, loginToken } from '../support/auth';

let app: FastifyInstance;
let url: string;
let dir: string;
let admin: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'device-token-'));
  app = await buildApp(
    loadConfig({
      PORT: '0',
      SQLITE_PATH: join(dir, 'db.sqlite'),
      SIM_VEHICLES: '20',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      DEVICE_TOKEN_TTL_DAYS: '30',
      LOG_LEVEL: 'warn',
    }),
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  admin = await loginToken(app);
  for (const [username, role] of [
    ['wall-1', 'viewer'],
    ['op-1', 'operator'],
  ]) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username, role, password: 'a-long-password-1' },
    });
    expect(created.statusCode).toBe(201);
  }
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('device credentials for wall displays', () => {
  it('issues a long-lived viewer token that opens the API and the socket', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/users/wall-1/device-token',
      headers: bearer(admin),
    });
    expect(issued.statusCode).toBe(201);
    const { token, expiresAtMs } = issued.json<{ token: string; expiresAtMs: number }>();
    const days = (expiresAtMs - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
    expect((await app.inject({ url: '/api/alerts', headers: bearer(token) })).statusCode).toBe(200);
    // Read-only: a viewer's credential cannot act.
    expect((await app.inject({ url: '/api/audit', headers: bearer(token) })).statusCode).toBe(403);
    const socket = io(url, { transports: ['websocket'], forceNew: true, auth: { token } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.close();
    const audit = await app.inject({
      url: '/api/audit?action=user.device_token',
      headers: bearer(admin),
    });
    expect(audit.json<{ events: { entityId: string }[] }>().events[0]?.entityId).toBe('wall-1');

    // Disabling the account revokes the credential.
    const disabled = await app.inject({
      method: 'PATCH',
      url: '/api/users/wall-1',
      headers: bearer(admin),
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/alerts', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('is for viewer accounts only, and only admins issue it', async () => {
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/users/op-1/device-token',
          headers: bearer(admin),
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/users/nobody/device-token',
          headers: bearer(admin),
        })
      ).statusCode,
    ).toBe(404);
    const operator = await loginToken(app, 'op-1', 'a-long-password-1');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/users/wall-1/device-token',
          headers: bearer(operator),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: '/api/users/wall-1/device-token' })).statusCode,
    ).toBe(401);
  });
});
