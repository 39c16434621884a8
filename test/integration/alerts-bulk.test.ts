/**
 * Bulk acknowledgement on a real MariaDB (`POST /api/alerts/ack-bulk`): only roles that may
 * acknowledge, each alert through the change feed (broadcast, audited with the note, the note as
 * a comment), per-alert refusals with their reasons (stale version, already acknowledged, gone),
 * a checked body, and the command limiter counting the request.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RawMessage } from '../../server/ingest/pipeline';
import {
  MAX_BULK_ACK,
  type Alert,
  type AlertCommentPage,
  type BulkAckResponse,
} from '../../shared/alerts';
import type { AuditListResponse } from '../../shared/audit';
import type { LoginResponse } from '../../shared/auth';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { Role } from '../../shared/roles';
import { formatKstIso } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const ADMIN_PASSWORD = 'chief-passphrase-for-tests';
const PASSWORD = 'staff-password-for-tests';
const NOTE = '야간 순찰 확인 · 일괄 처리';
const SECOND = 1000;
const LON = 129.05;
const LAT = 35.15;
/** Low enough that a burst of bulk requests meets the limiter, high enough for the other tests. */
const USER_PER_SECOND = 1;
const USER_BURST = 10;

let database: TestDatabase;
let app: FastifyInstance;
let url: string;
const tokens = {} as Record<string, string>;

function call(token: string, method: InjectOptions['method'], path: string, payload?: object) {
  return app.inject({
    method,
    url: path,
    headers: { authorization: `Bearer ${token}` },
    ...(payload !== undefined && { payload }),
  });
}

const bulkAck = (token: string, payload: object) =>
  call(token, 'POST', '/api/alerts/ack-bulk', payload);

const row = (topic: string, value: object): RawMessage => ({
  topic,
  partition: null,
  offset: null,
  value,
});

let carCounter = 0;

async function newDrowsyAlert(): Promise<Alert> {
  const n = ++carCounter;
  const car = `bulk_car_${n}`;
  const session = `bulk_s_${n}`;
  const now = Date.now();
  await app.ingest.ingest(
    [
      row('uservehicle', {
        car_id: car,
        age: 45,
        user_sex: '남',
        user_car_brand: '현대',
        car_plate_number: `${20 + n}나${String(2000 + n).padStart(4, '0')}`,
        updated_at: formatKstIso(now),
      }),
      row('driving_session', {
        session_id: session,
        car_id: car,
        start_time: formatKstIso(now - 60 * SECOND),
        end_time: null,
      }),
      row('driving_session_info', {
        info_id: `${session}-1`,
        session_id: session,
        app_lat: LAT + n * 1e-5,
        app_lon: LON,
        speed: 40,
        dt: formatKstIso(now - SECOND),
      }),
      row('drowsy_drive', {
        drowsy_id: `bulk_d_${n}`,
        session_id: session,
        detected_at: formatKstIso(now),
        gaze_closure: 8,
        head_drop: 1,
      }),
    ],
    now,
  );
  const alert = (await app.alerts.list({ type: ['DROWSY'], limit: 5000 })).find(
    (a) => a.carId === car,
  );
  expect(alert).toBeDefined();
  return alert!;
}

beforeAll(async () => {
  database = await createTestDatabase('cr_bulk');
  app = await buildApp(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_PASSWORD,
      JWT_SECRET: 'integration-test-secret-0123456789abcdef',
      SIM_VEHICLES: '0',
      COMMAND_LIMIT_USER_PER_SECOND: String(USER_PER_SECOND),
      COMMAND_LIMIT_USER_BURST: String(USER_BURST),
      LOG_LEVEL: 'warn',
    }),
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const adminLogin = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  });
  tokens.admin = adminLogin.json<LoginResponse>().token;
  const staff: [string, Role][] = [
    ['wall1', 'viewer'],
    ['op1', 'operator'],
    ['sup1', 'supervisor'],
    ['sup2', 'supervisor'],
  ];
  for (const [username, role] of staff) {
    const created = await call(tokens.admin, 'POST', '/api/users', {
      username,
      password: PASSWORD,
      role,
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
      remoteAddress: `10.9.0.${Object.keys(tokens).length + 1}`,
    });
    tokens[username] = login.json<LoginResponse>().token;
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('POST /api/alerts/ack-bulk', () => {
  it('is refused (403) for an operator and a viewer, and acknowledges nothing', async () => {
    const alert = await newDrowsyAlert();
    for (const who of ['op1', 'wall1']) {
      const response = await bulkAck(tokens[who]!, {
        items: [{ id: alert.id, version: alert.version }],
      });
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    }
    expect((await app.alerts.get(alert.id))?.status).toBe('new');
  });

  it('acknowledges each alert through the change feed, audits each with the note, and reports a stale one by id', async () => {
    const first = await newDrowsyAlert();
    const second = await newDrowsyAlert();
    const moved = await newDrowsyAlert();
    // Someone changes `moved` after the supervisor looked: their version is stale.
    const comment = await app.alerts.command(
      { username: 'op1', role: 'operator' },
      'comment',
      moved.id,
      { text: '현장 확인 중' },
    );
    expect(comment.ok).toBe(true);

    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: tokens.wall1 },
    });
    const pushed: Alert[] = [];
    socket.on('change', (change) => {
      if (change.entity === 'alert') pushed.push(change.record);
    });
    await new Promise<void>((resolve) => socket.once('changes', () => resolve()));

    try {
      const response = await bulkAck(tokens.sup1!, {
        items: [first, second, moved].map((a) => ({ id: a.id, version: a.version })),
        note: NOTE,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<BulkAckResponse>();
      expect(body.acknowledged).toBe(2);
      expect(body.refused).toBe(1);
      const byId = new Map(body.results.map((r) => [r.id, r]));
      for (const a of [first, second]) {
        const result = byId.get(a.id)!;
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.alert.status).toBe('acknowledged');
          expect(result.alert.acknowledgedBy).toBe('sup1');
          expect(result.alert.commentCount).toBe(1);
        }
      }
      const stale = byId.get(moved.id)!;
      expect(stale.ok).toBe(false);
      if (!stale.ok) {
        expect(stale.error.status).toBe(409);
        expect(stale.error.code).toBe('stale_version');
        expect(stale.error.message).toContain(`alert ${moved.id}`);
      }
      expect((await app.alerts.get(moved.id))?.status).toBe('new');

      // Each acknowledgement reached a connected client (the one change path).
      await expect
        .poll(() =>
          [first.id, second.id].every((id) =>
            pushed.some((a) => a.id === id && a.status === 'acknowledged'),
          ),
        )
        .toBe(true);
    } finally {
      socket.close();
    }

    for (const a of [first, second]) {
      const audit = await call(tokens.sup1!, 'GET', `/api/audit?entity=alert:${a.id}`);
      expect(audit.statusCode).toBe(200);
      const ack = audit.json<AuditListResponse>().events.find((e) => e.action === 'alert.ack');
      expect(ack?.actor).toBe('sup1');
      expect(ack?.actorRole).toBe('supervisor');
      expect(ack?.after).toMatchObject({ status: 'acknowledged', note: NOTE });
      const comments = await call(tokens.sup1!, 'GET', `/api/alerts/${a.id}/comments`);
      expect(comments.json<AlertCommentPage>().comments).toMatchObject([
        { by: 'sup1', text: NOTE },
      ]);
    }
    const movedAudit = await call(tokens.sup1!, 'GET', `/api/audit?entity=alert:${moved.id}`);
    expect(movedAudit.json<AuditListResponse>().events.some((e) => e.action === 'alert.ack')).toBe(
      false,
    );
  });

  it('reports an alert already acknowledged (409) and one that does not exist (404), per id', async () => {
    const done = await newDrowsyAlert();
    const acked = await app.alerts.command(
      { username: 'sup2', role: 'supervisor' },
      'ack',
      done.id,
      { version: done.version },
    );
    expect(acked.ok).toBe(true);
    const fresh = await newDrowsyAlert();
    const response = await bulkAck(tokens.sup1!, {
      items: [
        { id: done.id, version: done.version + 1 },
        { id: 987_654, version: 1 },
        { id: fresh.id, version: fresh.version },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<BulkAckResponse>();
    expect(body.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'illegal_transition',
      'not_found',
      'ok',
    ]);
    expect(body.results.map((r) => (r.ok ? 200 : r.error.status))).toEqual([409, 404, 200]);
  });

  it('refuses a bad body with 400 and the reason', async () => {
    const cases: [object, string][] = [
      [{ items: [] }, 'at least one'],
      [
        {
          items: [
            { id: 1, version: 1 },
            { id: 1, version: 2 },
          ],
        },
        'each alert once',
      ],
      [{ items: [{ id: 1 }] }, 'version'],
      [
        { items: Array.from({ length: MAX_BULK_ACK + 1 }, (_, i) => ({ id: i + 1, version: 1 })) },
        `at most ${MAX_BULK_ACK}`,
      ],
      [{ items: [{ id: 1, version: 1 }], note: 'x'.repeat(2001) }, 'note'],
    ];
    for (const [payload, reason] of cases) {
      const response = await bulkAck(tokens.sup2!, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<{ error: { message: string } }>().error.message).toContain(reason);
    }
  });

  it('counts each request in the command limiter: a flood meets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    // More than a second's allowance plus the burst, sent at once (empty bodies: 400 once admitted).
    for (let i = 0; i < USER_PER_SECOND + USER_BURST + 3; i++) {
      const response = await bulkAck(tokens.admin!, { items: [] });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) retryAfter = String(response.headers['retry-after']);
    }
    expect(statuses).toContain(400);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
