/**
 * User administration on a real MariaDB (issue 19): only admins manage users and see sessions;
 * every change is audited; disabling a user or revoking a wall's credential ends their live sockets
 * and tokens at once, and enabling the account again does not bring the old ones back. The audit
 * log's filters (person, action, entity, time range) and paging are answered by the store.
 */
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { DeviceTokenResponse, SessionListResponse, UserListResponse } from '../../shared/auth';
import type { AuditListResponse } from '../../shared/audit';
import { TEST_ADMIN_PASSWORD, loginToken } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const PASSWORD = 'harbour-lights-window-7';
const INSTANCE = 'admin-test-relay';
const HTTP_OK = 200;
const HTTP_CREATED = 201;
const HTTP_BAD_REQUEST = 400;
const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;

let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let admin: string;
const sockets: Socket[] = [];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createUser(username: string, role: string): Promise<void> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: bearer(admin),
    payload: { username, role, password: PASSWORD },
  });
  expect(created.statusCode, created.body).toBe(HTTP_CREATED);
}

async function connect(token: string, client?: 'wall'): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: client ? { token, client } : { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

function disconnected(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (!socket.connected) resolve();
    else socket.once('disconnect', () => resolve());
  });
}

async function audit(query: string): Promise<AuditListResponse> {
  const response = await app.inject({ url: `/api/audit?${query}`, headers: bearer(admin) });
  expect(response.statusCode, response.body).toBe(HTTP_OK);
  return response.json<AuditListResponse>();
}

async function sessions(): Promise<SessionListResponse> {
  const response = await app.inject({ url: '/api/sessions', headers: bearer(admin) });
  expect(response.statusCode, response.body).toBe(HTTP_OK);
  return response.json<SessionListResponse>();
}

beforeAll(async () => {
  database = await createTestDatabase('cr_admin');
  app = await buildApp(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      SIM_VEHICLES: '10',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      INSTANCE_ID: INSTANCE,
      LOG_LEVEL: 'warn',
    }),
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  admin = await loginToken(app);
  await createUser('op-kim', 'operator');
  await createUser('sup-lee', 'supervisor');
  await createUser('wall-1', 'viewer');
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app?.close();
  await database?.drop();
});

describe('user administration is for admins', () => {
  it('refuses operators and supervisors with a reason', async () => {
    for (const username of ['op-kim', 'sup-lee']) {
      const token = await loginToken(app, username, PASSWORD);
      const calls = [
        app.inject({ url: '/api/users', headers: bearer(token) }),
        app.inject({ url: '/api/sessions', headers: bearer(token) }),
        app.inject({
          method: 'POST',
          url: '/api/users',
          headers: bearer(token),
          payload: { username: 'x-new', role: 'admin', password: PASSWORD },
        }),
        app.inject({
          method: 'PATCH',
          url: '/api/users/wall-1',
          headers: bearer(token),
          payload: { role: 'admin' },
        }),
        app.inject({
          method: 'POST',
          url: '/api/users/wall-1/device-token',
          headers: bearer(token),
        }),
        app.inject({
          method: 'DELETE',
          url: '/api/users/wall-1/device-token',
          headers: bearer(token),
        }),
      ];
      for (const response of await Promise.all(calls)) {
        expect(response.statusCode).toBe(HTTP_FORBIDDEN);
        expect(response.json<{ error: { message: string } }>().error.message).toMatch(/\w/);
      }
    }
    const users = await app.inject({ url: '/api/users', headers: bearer(admin) });
    expect(users.json<UserListResponse>().users.find((u) => u.username === 'wall-1')?.role).toBe(
      'viewer',
    );
  });

  it('refuses a weak password with the policy reason, and audits a new user', async () => {
    const weak = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username: 'op-park', role: 'operator', password: 'op-park-2024' },
    });
    expect(weak.statusCode).toBe(HTTP_BAD_REQUEST);
    expect(weak.json<{ error: { message: string } }>().error.message).toMatch(/username/);
    await createUser('op-park', 'operator');
    const { events } = await audit('action=user.create&entity=user:op-park');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'admin', actorRole: 'admin', entityId: 'op-park' });
  });
});

describe('who is signed in where', () => {
  it('lists each socket with its relay, address, kind of client and since when', async () => {
    const before = Date.now();
    const op = await connect(await loginToken(app, 'op-kim', PASSWORD));
    const issued = await app.inject({
      method: 'POST',
      url: '/api/users/wall-1/device-token',
      headers: bearer(admin),
    });
    expect(issued.statusCode).toBe(HTTP_CREATED);
    const wall = await connect(issued.json<DeviceTokenResponse>().token, 'wall');
    const listed = await sessions();
    expect(listed.scope).toBe('cluster');
    const mine = listed.sessions.find((s) => s.socketId === op.id);
    expect(mine).toMatchObject({ username: 'op-kim', role: 'operator', client: 'desktop' });
    expect(mine?.instance).toBe(INSTANCE);
    expect(mine?.address).toMatch(/127\.0\.0\.1/);
    expect(mine?.connectedAtMs).toBeGreaterThanOrEqual(before - 1000);
    expect(listed.sessions.find((s) => s.socketId === wall.id)).toMatchObject({
      username: 'wall-1',
      role: 'viewer',
      client: 'wall',
    });
    op.close();
    wall.close();
  });
});

describe('ending sessions', () => {
  it('disabling a user closes their sockets and refuses their token, even after enabling', async () => {
    const token = await loginToken(app, 'op-kim', PASSWORD);
    const socket = await connect(token);
    const gone = disconnected(socket);
    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/users/op-kim',
      headers: bearer(admin),
      payload: { disabled: true },
    });
    expect(patched.statusCode, patched.body).toBe(HTTP_OK);
    await gone;
    expect((await app.inject({ url: '/api/alerts', headers: bearer(token) })).statusCode).toBe(
      HTTP_UNAUTHORIZED,
    );
    expect((await sessions()).sessions.some((s) => s.username === 'op-kim')).toBe(false);

    const enabled = await app.inject({
      method: 'PATCH',
      url: '/api/users/op-kim',
      headers: bearer(admin),
      payload: { disabled: false },
    });
    expect(enabled.statusCode).toBe(HTTP_OK);
    // The old token stays dead; a new login works.
    expect((await app.inject({ url: '/api/alerts', headers: bearer(token) })).statusCode).toBe(
      HTTP_UNAUTHORIZED,
    );
    const fresh = await loginToken(app, 'op-kim', PASSWORD);
    expect((await app.inject({ url: '/api/alerts', headers: bearer(fresh) })).statusCode).toBe(
      HTTP_OK,
    );
    const { events } = await audit('action=user.update&actor=admin&entity=user:op-kim');
    expect(events.map((e) => e.after)).toEqual([
      { role: 'operator', disabled: false },
      { role: 'operator', disabled: true },
    ]);
  });

  it('revoking a wall credential closes the wall and refuses that credential', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/users/wall-1/device-token',
      headers: bearer(admin),
    });
    const { token } = issued.json<DeviceTokenResponse>();
    const wall = await connect(token, 'wall');
    const gone = disconnected(wall);
    const revoked = await app.inject({
      method: 'DELETE',
      url: '/api/users/wall-1/device-token',
      headers: bearer(admin),
    });
    expect(revoked.statusCode, revoked.body).toBe(HTTP_OK);
    await gone;
    expect((await app.inject({ url: '/api/alerts', headers: bearer(token) })).statusCode).toBe(
      HTTP_UNAUTHORIZED,
    );
    const missing = await app.inject({
      method: 'DELETE',
      url: '/api/users/nobody-here/device-token',
      headers: bearer(admin),
    });
    expect(missing.statusCode).toBe(404);
    const { events } = await audit('action=user.device_token_revoke');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'admin', entityType: 'user', entityId: 'wall-1' });
    // A new credential works again.
    const again = await app.inject({
      method: 'POST',
      url: '/api/users/wall-1/device-token',
      headers: bearer(admin),
    });
    const next = again.json<DeviceTokenResponse>().token;
    expect((await app.inject({ url: '/api/alerts', headers: bearer(next) })).statusCode).toBe(
      HTTP_OK,
    );
  });
});

describe('audit filters', () => {
  it('filters by person, action, entity and time range, and pages by id', async () => {
    const logins = await audit('actor=sup-lee&action=auth.login');
    expect(logins.events.length).toBeGreaterThan(0);
    expect(logins.events.every((e) => e.actor === 'sup-lee' && e.action === 'auth.login')).toBe(
      true,
    );

    const all = await audit('entity=user&limit=10000');
    expect(all.nextBefore).toBeNull();
    expect(all.events.every((e) => e.entityType === 'user')).toBe(true);
    expect(all.events.length).toBeGreaterThan(5);

    // Pages of two, newest first, meet the whole list without gaps or repeats.
    const paged: number[] = [];
    let before: number | null = null;
    do {
      const page: AuditListResponse = await audit(
        `entity=user&limit=2${before === null ? '' : `&before=${before}`}`,
      );
      expect(page.events.length).toBeLessThanOrEqual(2);
      paged.push(...page.events.map((e) => e.id));
      before = page.nextBefore;
    } while (before !== null);
    expect(paged).toEqual(all.events.map((e) => e.id));

    // Time range: from the middle event on, and before it.
    const middle = all.events[Math.floor(all.events.length / 2)]!;
    const since = await audit(`entity=user&limit=10000&from=${middle.atMs}`);
    expect(since.events.every((e) => e.atMs >= middle.atMs)).toBe(true);
    expect(since.events.some((e) => e.id === middle.id)).toBe(true);
    const until = await audit(`entity=user&limit=10000&to=${middle.atMs}`);
    expect(until.events.every((e) => e.atMs < middle.atMs)).toBe(true);
    expect(since.events.length + until.events.length).toBe(all.events.length);
    const none = await audit(`from=${Date.now() + 60_000}`);
    expect(none.events).toEqual([]);

    for (const bad of ['from=yesterday', 'action=alert.nope', 'before=-1', 'entity=car:1']) {
      const response = await app.inject({ url: `/api/audit?${bad}`, headers: bearer(admin) });
      expect(response.statusCode, bad).toBe(HTTP_BAD_REQUEST);
    }
  });
});
