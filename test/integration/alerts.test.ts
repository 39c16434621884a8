/**
 * The alert inbox end to end on a real MariaDB: alerts derived from ingested rows, the whole
 * role × action matrix over REST and over socket commands, versions and transitions, the audit
 * trail, live pushes and reconnect catch-up, unmasking, login rate limiting, CSV exports, users.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RawMessage } from '../../server/ingest/pipeline';
import {
  MAX_COMMENT_LENGTH,
  type Alert,
  type AlertCommandName,
  type AlertCommandResult,
  type AlertCommentPage,
  type AlertListResponse,
  type AlertResponse,
  type AlertStatus,
} from '../../shared/alerts';
import type { AuditEvent, AuditListResponse } from '../../shared/audit';
import {
  SOCKET_AUTH_ERRORS,
  type LoginResponse,
  type User,
  type UserListResponse,
} from '../../shared/auth';
import type { ChangeCatchUp } from '../../shared/changes';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { Role } from '../../shared/roles';
import { formatKstIso, formatKstSql } from '../../shared/time';
import { parseCsv } from '../support/csv';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const ADMIN_PASSWORD = 'chief-passphrase-for-tests';
const PASSWORD = 'staff-password-for-tests';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
/** Inside the Busan district 부산진구 (범천2동). */
const LON = 129.05;
const LAT = 35.15;

type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let database: TestDatabase;
let app: FastifyInstance;
let url: string;

/** One person per role, plus a second operator and supervisor. */
const PEOPLE: Record<Role, string> = {
  viewer: 'wall1',
  operator: 'op1',
  supervisor: 'sup1',
  admin: 'admin',
};
const ROLES_UNDER_TEST = Object.keys(PEOPLE) as Role[];
const tokens = {} as Record<Role | 'sup2' | 'op2', string>;
const actors = {
  supervisor: { username: 'sup1', role: 'supervisor' as const },
};

// Every login in these tests comes from its own address, except in the rate-limit test.
let addressCounter = 0;
const nextAddress = () =>
  `10.7.${Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 1}`;

function login(username: string, password: string, remoteAddress = nextAddress()) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress,
  });
}

async function tokenOf(username: string, password: string): Promise<string> {
  const response = await login(username, password);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<LoginResponse>().token;
}

function call(
  token: string | null,
  method: InjectOptions['method'],
  path: string,
  payload?: object,
) {
  return app.inject({
    method,
    url: path,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload !== undefined && { payload }),
  });
}

const row = (topic: string, value: object): RawMessage => ({
  topic,
  partition: null,
  offset: null,
  value,
});

let carCounter = 0;

/** Ingests a car with a position and one drowsy detection; returns the new alert (unmasked). */
async function newDrowsyAlert(): Promise<Alert> {
  const n = ++carCounter;
  const car = `it_car_${n}`;
  const session = `it_s_${n}`;
  const now = Date.now();
  await app.ingest.ingest(
    [
      row('uservehicle', {
        car_id: car,
        age: 45,
        user_sex: '남',
        user_car_brand: '현대',
        car_plate_number: `${10 + (n % 90)}가${String(1000 + n).padStart(4, '0')}`,
        updated_at: formatKstIso(now),
      }),
      row('driving_session', {
        session_id: session,
        car_id: car,
        start_time: formatKstIso(now - MINUTE),
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
        drowsy_id: `it_d_${n}`,
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

async function supervise(name: AlertCommandName, alert: Alert, body: object = {}): Promise<Alert> {
  const result = await app.alerts.command(actors.supervisor, name, alert.id, {
    version: alert.version,
    ...body,
  });
  if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
  return result.value;
}

/** A fresh alert brought to a status through the lifecycle. */
async function alertIn(status: AlertStatus): Promise<Alert> {
  let alert = await newDrowsyAlert();
  if (status === 'new') return alert;
  if (status === 'resolved') return supervise('resolve', alert, { resolution: 'handled' });
  alert = await supervise('ack', alert);
  if (status === 'acknowledged') return alert;
  return supervise('dispatch', alert);
}

/** A socket with its catch-up's alerts (`snapshot`) and every alert change after (`received`). */
function connect(auth: { token?: string; lastSeq?: number; lastAlertSeq?: number } = {}): Promise<{
  socket: RelaySocket;
  snapshot: Alert[];
  catchUp: ChangeCatchUp;
  received: Alert[];
}> {
  const socket: RelaySocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
  });
  const received: Alert[] = [];
  socket.on('change', (change) => {
    if (change.entity === 'alert') received.push(change.record);
  });
  const alertsOf = (catchUp: ChangeCatchUp) =>
    catchUp.changes.flatMap((c) => (c.entity === 'alert' ? [c.record] : []));
  return new Promise((resolve, reject) => {
    socket.once('changes', (catchUp) =>
      resolve({ socket, snapshot: alertsOf(catchUp), catchUp, received }),
    );
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** A new operator, logged in, with a connected socket and a promise of its disconnection. */
async function connectedOperator(
  username: string,
): Promise<{ token: string; disconnected: Promise<void> }> {
  await call(tokens.admin, 'POST', '/api/users', {
    username,
    password: PASSWORD,
    role: 'operator',
  });
  const token = await tokenOf(username, PASSWORD);
  const { socket } = await connect({ token });
  const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  return { token, disconnected };
}

async function auditOf(alertId: number): Promise<AuditEvent[]> {
  const response = await call(tokens.supervisor, 'GET', `/api/audit?entity=alert:${alertId}`);
  expect(response.statusCode).toBe(200);
  return response.json<AuditListResponse>().events.reverse();
}

beforeAll(async () => {
  database = await createTestDatabase('cr_alerts');
  app = await buildApp(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_PASSWORD,
      JWT_SECRET: 'integration-test-secret-0123456789abcdef',
      // No simulated traffic: every alert here comes from rows the tests ingest.
      SIM_VEHICLES: '0',
      // These tests send commands far faster than people do; the command limits have their own
      // tests (test/unit/server/command-limiter.test.ts, test/reliability/comment-flood.test.ts).
      COMMAND_LIMIT_SOCKET_PER_SECOND: '1000',
      COMMAND_LIMIT_USER_PER_SECOND: '1000',
      LOG_LEVEL: 'warn',
    }),
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  tokens.admin = await tokenOf('admin', ADMIN_PASSWORD);
  const staff: [string, Role][] = [
    ['wall1', 'viewer'],
    ['op1', 'operator'],
    ['op2', 'operator'],
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
  }
  tokens.viewer = await tokenOf('wall1', PASSWORD);
  tokens.operator = await tokenOf('op1', PASSWORD);
  tokens.op2 = await tokenOf('op2', PASSWORD);
  tokens.supervisor = await tokenOf('sup1', PASSWORD);
  tokens.sup2 = await tokenOf('sup2', PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('alerts from ingested rows', () => {
  it('raises a drowsy alert at the car’s last position, in its district', async () => {
    const alert = await newDrowsyAlert();
    expect(alert).toMatchObject({
      type: 'DROWSY',
      severity: 'medium',
      status: 'new',
      version: 1,
      count: 1,
      districtCode: '21050',
      districtName: '부산진구',
      dongName: '범천2동',
      evidence: { type: 'DROWSY', gazeClosure: 8, headDrop: 1 },
    });
    expect(alert.lon).toBeCloseTo(LON, 5);
    expect(alert.seq).toBeGreaterThan(0);
  });

  it('merges repeats of the same car into one alert, and counts a redelivered row once', async () => {
    const first = await newDrowsyAlert();
    const session = first.evidence.type === 'DROWSY' ? first.evidence.sessionId : '';
    const repeat = (id: string) =>
      row('drowsy_drive', {
        drowsy_id: id,
        session_id: session,
        detected_at: formatKstIso(Date.now()),
        gaze_closure: 12,
        head_drop: 4,
      });
    await app.ingest.ingest([repeat('rep-1')], Date.now());
    await app.ingest.ingest([repeat('rep-1'), repeat('rep-2')], Date.now()); // rep-1 again
    const merged = (await app.alerts.get(first.id))!;
    expect(merged).toMatchObject({ count: 3, severity: 'critical', version: 3 });
    const others = (await app.alerts.list({ type: ['DROWSY'], limit: 5000 })).filter(
      (a) => a.carId === first.carId,
    );
    expect(others).toHaveLength(1);
    const actions = (await auditOf(first.id)).map((e) => [e.action, e.actor]);
    expect(actions).toEqual([
      ['alert.create', 'system'],
      ['alert.merge', 'system'],
      ['alert.merge', 'system'],
    ]);
  });

  it('raises arrears hits only for successful reads of listed plates, with amount and notices', async () => {
    const now = Date.now();
    const detection = (id: string, plate: string | null, success: number) =>
      row('arrears_detection', {
        detection_id: id,
        image_id: `img-${id}`,
        car_plate_number: plate,
        detection_success: success,
        detected_lat: LAT,
        detected_lon: LON,
        detected_time: formatKstIso(now),
        confidence: 0.91,
      });
    await app.ingest.ingest(
      [
        row('arrears_info', {
          car_plate_number: '77다7777',
          arrears_user_id: 'debtor-0042',
          total_arrears_amount: '3500000',
          notice_count: 4,
        }),
        detection('arr-1', '77다7777', 1),
        detection('arr-2', '77다7777', 0),
        detection('arr-3', '88라8888', 1),
      ],
      now,
    );
    const hits = await app.alerts.list({ type: ['ARREARS_HIT'], limit: 100 });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      severity: 'high',
      plate: '77다7777',
      districtName: '부산진구',
      evidence: { amountKrw: 3_500_000, noticeCount: 4, ocrConfidence: 0.91 },
    });
  });
});

describe('authentication', () => {
  it('logs in with the first admin’s password and refuses wrong ones', async () => {
    const ok = await login('admin', ADMIN_PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<LoginResponse>().user).toEqual({ username: 'admin', role: 'admin' });
    const wrong = await login('admin', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      error: { code: 'unauthorized', message: 'wrong username or password' },
    });
    expect((await login('nobody', 'whatever-123')).statusCode).toBe(401);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin' },
      remoteAddress: nextAddress(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^password/);
  });

  it('answers 401 without a token or with a bad one, on every API route', async () => {
    for (const path of ['/api/alerts', '/api/audit', '/api/users', '/api/vehicles/x/track']) {
      expect((await call(null, 'GET', path)).statusCode).toBe(401);
      expect((await call('garbage', 'GET', path)).statusCode).toBe(401);
    }
    const response = await call(null, 'POST', '/api/alerts/1/ack', { version: 1 });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('keeps health, metrics and the client public', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect([200, 503]).toContain((await app.inject({ url: '/' })).statusCode);
  });

  it('tells who is logged in', async () => {
    const me = await call(tokens.operator, 'GET', '/api/auth/me');
    expect(me.json()).toEqual({ user: { username: 'op1', role: 'operator' } });
  });

  it('limits login attempts per address: 429 after ten a minute', async () => {
    const address = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login('op1', 'wrong-password', address)).statusCode);
    expect(statuses).toEqual(Array(10).fill(401));
    // The eleventh within the minute is refused even with the right password.
    const limited = await login('op1', PASSWORD, address);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    // Another address is not affected.
    expect((await login('op1', PASSWORD)).statusCode).toBe(200);
  });

  it('refuses sockets without a valid token, with a clear message', async () => {
    await expect(connect()).rejects.toThrow(SOCKET_AUTH_ERRORS.missingToken);
    await expect(connect({ token: 'garbage' })).rejects.toThrow(SOCKET_AUTH_ERRORS.invalidToken);
  });
});

/** One row of the matrix: a request against a fresh alert in `needs`, and who may make it. */
interface MatrixRow {
  label: string;
  needs: AlertStatus;
  command: AlertCommandName | 'unmask';
  body: (alert: Alert, me: string) => object;
  allowed: Role[];
}

const SUPERVISORS: Role[] = ['supervisor', 'admin'];
const WORKERS: Role[] = ['operator', 'supervisor', 'admin'];
const COMMAND_MATRIX: MatrixRow[] = [
  {
    label: 'ack',
    needs: 'new',
    command: 'ack',
    body: (a) => ({ version: a.version }),
    allowed: SUPERVISORS,
  },
  {
    label: 'assign to self (claim)',
    needs: 'new',
    command: 'assign',
    body: (a, me) => ({ version: a.version, username: me }),
    allowed: WORKERS,
  },
  {
    label: 'assign to another',
    needs: 'new',
    command: 'assign',
    body: (a) => ({ version: a.version, username: 'op2' }),
    allowed: SUPERVISORS,
  },
  {
    label: 'comment',
    needs: 'new',
    command: 'comment',
    body: () => ({ text: '순찰차 이동 중' }),
    allowed: WORKERS,
  },
  {
    label: 'dispatch',
    needs: 'acknowledged',
    command: 'dispatch',
    body: (a) => ({ version: a.version }),
    allowed: SUPERVISORS,
  },
  {
    label: 'resolve',
    needs: 'new',
    command: 'resolve',
    body: (a) => ({ version: a.version, resolution: 'false_alarm', note: '오탐 확인' }),
    allowed: SUPERVISORS,
  },
  { label: 'unmask', needs: 'new', command: 'unmask', body: () => ({}), allowed: SUPERVISORS },
];

describe('role × action matrix over REST', () => {
  const cells = COMMAND_MATRIX.flatMap((row) =>
    ROLES_UNDER_TEST.map((role) => [row.label, role, row] as const),
  );
  it.each(cells)('%s as %s', async (_label, role, matrixRow) => {
    const alert = await alertIn(matrixRow.needs);
    const path = `/api/alerts/${alert.id}/${matrixRow.command}`;
    const body = matrixRow.body(alert, PEOPLE[role]);
    const response = await call(tokens[role], 'POST', path, body);
    const allowed = matrixRow.allowed.includes(role);
    expect(response.statusCode, response.body).toBe(allowed ? 200 : 403);
    if (allowed) {
      const changed = response.json<AlertResponse>().alert;
      expect(changed.id).toBe(alert.id);
      if (matrixRow.command !== 'unmask') expect(changed.version).toBe(alert.version + 1);
    } else {
      expect(response.json().error.code).toBe('forbidden');
      expect(response.json().error.message).toContain(role);
      expect((await app.alerts.get(alert.id))!.version).toBe(alert.version);
    }
    expect((await call(null, 'POST', path, body)).statusCode).toBe(401);
  });

  const READS: { path: string; allowed: Role[] }[] = [
    { path: '/api/alerts', allowed: ROLES_UNDER_TEST },
    { path: '/api/alerts/1', allowed: ROLES_UNDER_TEST },
    { path: '/api/alerts/1/comments', allowed: ROLES_UNDER_TEST },
    { path: '/api/vehicles/it_car_1/track', allowed: ROLES_UNDER_TEST },
    { path: '/api/audit', allowed: SUPERVISORS },
    { path: '/api/alerts.csv', allowed: SUPERVISORS },
    { path: '/api/audit.csv', allowed: SUPERVISORS },
    { path: '/api/assignees', allowed: SUPERVISORS },
    { path: '/api/users', allowed: ['admin'] },
  ];
  const reads = READS.flatMap((r) => ROLES_UNDER_TEST.map((role) => [r.path, role, r] as const));
  it.each(reads)('GET %s as %s', async (path, role, read) => {
    const response = await call(tokens[role], 'GET', path);
    expect(response.statusCode, response.body).toBe(read.allowed.includes(role) ? 200 : 403);
  });

  it('lets admins create users, nobody else', async () => {
    for (const role of ROLES_UNDER_TEST) {
      const response = await call(tokens[role], 'POST', '/api/users', {
        username: `new-${role}`,
        password: PASSWORD,
        role: 'viewer',
      });
      expect(response.statusCode).toBe(role === 'admin' ? 201 : 403);
    }
  });
});

describe('role × action matrix over socket commands', () => {
  const sockets = {} as Record<Role, RelaySocket>;
  beforeAll(async () => {
    for (const role of ROLES_UNDER_TEST)
      sockets[role] = (await connect({ token: tokens[role] })).socket;
  });
  afterAll(() => {
    for (const socket of Object.values(sockets)) socket.close();
  });

  const cells = COMMAND_MATRIX.filter((r) => r.command !== 'unmask').flatMap((row) =>
    ROLES_UNDER_TEST.map((role) => [row.label, role, row] as const),
  );
  it.each(cells)('alert:%s as %s', async (_label, role, matrixRow) => {
    const alert = await alertIn(matrixRow.needs);
    const command = matrixRow.command as AlertCommandName;
    const result = (await sockets[role].timeout(5000).emitWithAck(
      `alert:${command}` as 'alert:ack',
      {
        id: alert.id,
        ...matrixRow.body(alert, PEOPLE[role]),
      } as { id: number; version: number },
    )) as AlertCommandResult;
    if (matrixRow.allowed.includes(role)) {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) expect(result.alert.version).toBe(alert.version + 1);
    } else {
      expect(result).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    }
  });

  it('answers 400, 404 and 409 through the acknowledgement too', async () => {
    const socket = sockets.supervisor;
    const ack = (payload: object) =>
      socket.timeout(5000).emitWithAck('alert:ack', payload as { id: number; version: number });
    const alert = await alertIn('new');
    expect(await ack({ id: alert.id, version: 'one' })).toMatchObject({
      ok: false,
      error: { status: 400, code: 'bad_request', message: expect.stringContaining('version') },
    });
    expect(await ack({ version: 1 })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await ack({ id: 99_999_999, version: 1 })).toMatchObject({
      ok: false,
      error: { status: 404, code: 'not_found' },
    });
    expect(await ack({ id: alert.id, version: alert.version + 5 })).toMatchObject({
      ok: false,
      error: { status: 409, code: 'stale_version' },
    });
    const done = await supervise('resolve', alert, { resolution: 'duplicate' });
    expect(await ack({ id: done.id, version: done.version })).toMatchObject({
      ok: false,
      error: { status: 409, code: 'illegal_transition' },
    });
  });
});

describe('versions, transitions and bad input over REST', () => {
  it('refuses a stale version with 409 and a reason', async () => {
    const alert = await alertIn('new');
    const commented = await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/comment`, {
      text: '먼저 확인',
    });
    expect(commented.statusCode).toBe(200);
    const stale = await call(tokens.supervisor, 'POST', `/api/alerts/${alert.id}/ack`, {
      version: alert.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_version' });
    expect(stale.json().error.message).toMatch(/version 2.*version 1/);
  });

  it('lets exactly one of two supervisors acting at once win', async () => {
    const alert = await alertIn('new');
    const responses = await Promise.all(
      [tokens.supervisor, tokens.sup2].map((token) =>
        call(token, 'POST', `/api/alerts/${alert.id}/ack`, { version: alert.version }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const after = (await app.alerts.get(alert.id))!;
    expect(after.version).toBe(alert.version + 1);
    const winner = responses.find((r) => r.statusCode === 200)!.json<AlertResponse>().alert;
    expect(after.acknowledgedBy).toBe(winner.acknowledgedBy);
  });

  it.each([
    ['resolve a resolved alert', 'resolved', 'resolve', { resolution: 'handled' }],
    ['ack a dispatched alert', 'dispatched', 'ack', {}],
    ['ack an acknowledged alert', 'acknowledged', 'ack', {}],
    ['dispatch a new alert', 'new', 'dispatch', {}],
    ['assign a resolved alert', 'resolved', 'assign', { username: 'op1' }],
  ] as const)('refuses to %s with 409', async (_label, status, command, body) => {
    const alert = await alertIn(status);
    const response = await call(tokens.supervisor, 'POST', `/api/alerts/${alert.id}/${command}`, {
      version: alert.version,
      ...body,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('illegal_transition');
    expect(response.json().error.message).toContain(`it is ${status}`);
  });

  it('answers 400 naming the field, and 404 for an unknown alert', async () => {
    const alert = await alertIn('new');
    const cases: [string, object, RegExp][] = [
      ['ack', { version: 'latest' }, /^version/],
      ['ack', {}, /^version/],
      ['resolve', { version: alert.version, resolution: 'fixed' }, /^resolution/],
      ['comment', { text: '   ' }, /^text/],
      ['assign', { version: alert.version, username: 'nobody' }, /^username/],
    ];
    for (const [command, body, message] of cases) {
      const response = await call(
        tokens.supervisor,
        'POST',
        `/api/alerts/${alert.id}/${command}`,
        body,
      );
      expect(response.statusCode, `${command} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json().error.code).toBe('bad_request');
      expect(response.json().error.message).toMatch(message);
    }
    const unknown = await call(tokens.supervisor, 'POST', '/api/alerts/99999999/ack', {
      version: 1,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await call(tokens.viewer, 'GET', '/api/alerts/99999999')).statusCode).toBe(404);
    expect((await call(tokens.viewer, 'GET', '/api/alerts/abc')).statusCode).toBe(400);
    // The matrix comes first: a viewer's bad body is still a 403.
    const viewer = await call(tokens.viewer, 'POST', `/api/alerts/${alert.id}/ack`, {});
    expect(viewer.statusCode).toBe(403);
  });

  it('lists alerts most severe first, newest first, with filters', async () => {
    const response = await call(
      tokens.viewer,
      'GET',
      '/api/alerts?status=new,acknowledged&limit=500',
    );
    expect(response.statusCode).toBe(200);
    const alerts = response.json<AlertListResponse>().alerts;
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.status === 'new' || a.status === 'acknowledged')).toBe(true);
    const rank = { low: 1, medium: 2, high: 3, critical: 4 };
    for (let i = 1; i < alerts.length; i++) {
      const [prev, next] = [alerts[i - 1]!, alerts[i]!];
      expect(rank[prev.severity]).toBeGreaterThanOrEqual(rank[next.severity]);
      if (prev.severity === next.severity)
        expect(prev.lastSeenMs).toBeGreaterThanOrEqual(next.lastSeenMs);
    }
    const inDistrict = await call(tokens.viewer, 'GET', '/api/alerts?district=21050&type=DROWSY');
    expect(
      inDistrict.json<AlertListResponse>().alerts.every((a) => a.districtCode === '21050'),
    ).toBe(true);
    const bad = await call(tokens.viewer, 'GET', '/api/alerts?status=open');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^status/);
  });
});

describe('audit trail', () => {
  it('records every change with who, role, before and after', async () => {
    let alert = await newDrowsyAlert();
    const claim = await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/assign`, {
      version: alert.version,
      username: 'op1',
    });
    alert = claim.json<AlertResponse>().alert;
    alert = (
      await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/comment`, {
        text: '현장 확인 요청',
      })
    ).json<AlertResponse>().alert;
    for (const [command, body] of [
      ['ack', {}],
      ['dispatch', {}],
      ['resolve', { resolution: 'handled', note: '귀가 조치' }],
    ] as const) {
      const response = await call(tokens.supervisor, 'POST', `/api/alerts/${alert.id}/${command}`, {
        version: alert.version,
        ...body,
      });
      expect(response.statusCode).toBe(200);
      alert = response.json<AlertResponse>().alert;
    }
    expect(alert).toMatchObject({
      status: 'resolved',
      version: 6,
      assignee: 'op1',
      acknowledgedBy: 'sup1',
      dispatchedBy: 'sup1',
      resolvedBy: 'sup1',
      resolution: 'handled',
      resolutionNote: '귀가 조치',
      commentCount: 1,
    });
    expect(alert).not.toHaveProperty('comments');
    const events = await auditOf(alert.id);
    expect(events.map((e) => [e.action, e.actor, e.actorRole])).toEqual([
      ['alert.create', 'system', 'system'],
      ['alert.assign', 'op1', 'operator'],
      ['alert.comment', 'op1', 'operator'],
      ['alert.ack', 'sup1', 'supervisor'],
      ['alert.dispatch', 'sup1', 'supervisor'],
      ['alert.resolve', 'sup1', 'supervisor'],
    ]);
    const byAction = new Map(events.map((e) => [e.action, e]));
    expect(byAction.get('alert.assign')).toMatchObject({
      before: { assignee: null, version: 1 },
      after: { assignee: 'op1', version: 2 },
    });
    expect(byAction.get('alert.comment')!.after).toMatchObject({ comment: '현장 확인 요청' });
    expect(byAction.get('alert.ack')).toMatchObject({
      before: { status: 'new' },
      after: { status: 'acknowledged', acknowledgedBy: 'sup1' },
    });
    expect(byAction.get('alert.resolve')!.after).toMatchObject({
      status: 'resolved',
      resolution: 'handled',
      note: '귀가 조치',
    });
    // The alert's seq is its last change's audit id, and ids grow with every change.
    expect(alert.seq).toBe(events[events.length - 1]!.id);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    for (const e of events) expect(e.atMs).toBeGreaterThan(Date.now() - DAY);
  });

  it('filters by actor', async () => {
    const response = await call(tokens.admin, 'GET', '/api/audit?actor=op1&limit=1000');
    const events = response.json<AuditListResponse>().events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.actor === 'op1')).toBe(true);
  });
});

describe('personal data', () => {
  let alert: Alert;
  beforeAll(async () => {
    const now = Date.now();
    await app.ingest.ingest(
      [
        row('uservehicle', {
          car_id: 'it_missing_car',
          car_plate_number: '34나5678',
          updated_at: formatKstIso(now),
        }),
        row('missing_person_info', {
          missing_id: 'MP-1',
          name: '김민수',
          age: 72,
          sex: '남',
          car_plate_number: '34나5678',
          description: '치매 증상, 회색 점퍼',
          reported_at: formatKstIso(now - 3 * 60 * MINUTE),
        }),
        row('missing_person_detection', {
          detection_id: 'mpd-1',
          image_id: 'img-mpd-1',
          car_plate_number: '34나5678',
          missing_id: 'MP-1',
          detection_success: 1,
          detected_lat: LAT,
          detected_lon: LON,
          detected_time: formatKstIso(now),
        }),
      ],
      now,
    );
    const hits = await app.alerts.list({ type: ['MISSING_PERSON_HIT'], limit: 10 });
    expect(hits).toHaveLength(1);
    alert = hits[0]!;
  });

  it('raises a critical missing-person hit', () => {
    expect(alert).toMatchObject({
      severity: 'critical',
      carId: 'it_missing_car',
      districtName: '부산진구',
    });
  });

  it('masks it in every REST payload, for every role', async () => {
    for (const role of ROLES_UNDER_TEST) {
      const one = (
        await call(tokens[role], 'GET', `/api/alerts/${alert.id}`)
      ).json<AlertResponse>();
      expect(one.alert.evidence).toMatchObject({
        name: '김*수',
        age: null,
        ageBand: 70,
        description: null,
      });
      expect(one.alert.maskedFields).toEqual(['name', 'age', 'description']);
      const list = await call(tokens[role], 'GET', '/api/alerts?type=MISSING_PERSON_HIT');
      expect(list.body).not.toContain('김민수');
      expect(list.body).not.toContain('치매');
    }
  });

  it('masks it in socket payloads', async () => {
    const { socket, snapshot, received } = await connect({ token: tokens.viewer });
    try {
      expect(JSON.stringify(snapshot)).not.toContain('김민수');
      expect(snapshot.find((a) => a.id === alert.id)?.evidence).toMatchObject({ name: '김*수' });
      const current = (await app.alerts.get(alert.id))!;
      await app.alerts.command({ username: 'op1', role: 'operator' }, 'comment', alert.id, {
        text: '인상착의 확인 중',
      });
      await expect
        .poll(() => received.find((a) => a.id === alert.id), { timeout: 1000 })
        .toBeDefined();
      const pushed = received.find((a) => a.id === alert.id)!;
      expect(pushed.version).toBe(current.version + 1);
      expect(JSON.stringify(pushed)).not.toContain('김민수');
    } finally {
      socket.close();
    }
  });

  it('lets a supervisor unmask one record, and audits it', async () => {
    const response = await call(tokens.supervisor, 'POST', `/api/alerts/${alert.id}/unmask`);
    expect(response.statusCode).toBe(200);
    expect(response.json<AlertResponse>().alert.evidence).toMatchObject({
      name: '김민수',
      age: 72,
      description: '치매 증상, 회색 점퍼',
    });
    const events = (
      await call(tokens.admin, 'GET', `/api/audit?entity=alert:${alert.id}&action=pii.unmask`)
    ).json<AuditListResponse>().events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'sup1',
      actorRole: 'supervisor',
      after: { fields: ['name', 'age', 'description'] },
    });
    // The audit trail itself never holds the personal data.
    const all = await call(tokens.admin, 'GET', `/api/audit?entity=alert:${alert.id}`);
    expect(all.body).not.toContain('김민수');
    expect((await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/unmask`)).statusCode).toBe(
      403,
    );
    expect((await call(tokens.supervisor, 'POST', '/api/alerts/99999999/unmask')).statusCode).toBe(
      404,
    );
  });
});

describe('realtime', () => {
  it('sends a new comment as its own event, then the alert that counts it (no history)', async () => {
    const alert = await newDrowsyAlert();
    for (const text of ['첫 메모', '둘째 메모']) {
      await app.alerts.command({ username: 'op1', role: 'operator' }, 'comment', alert.id, {
        text,
      });
    }
    const { socket } = await connect({ token: tokens.viewer });
    const heard: string[] = [];
    socket.on('alertComment', ({ comment }) => {
      if (comment.alertId === alert.id) heard.push(`comment:${comment.by}:${comment.text}`);
    });
    socket.on('change', ({ entity, record: changed }) => {
      if (entity !== 'alert' || changed.id !== alert.id) return;
      expect(changed).not.toHaveProperty('comments');
      heard.push(`alert:${changed.commentCount}`);
    });
    try {
      const result = (await socket.timeout(5000).emitWithAck('alert:comment', {
        id: alert.id,
        text: '뷰어는 못 씀',
      })) as AlertCommandResult;
      expect(result).toMatchObject({ ok: false, error: { status: 403 } });
      const posted = await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/comment`, {
        text: '셋째 메모',
      });
      expect(posted.json<AlertResponse>().alert.commentCount).toBe(3);
      await expect
        .poll(() => heard, { timeout: 1000 })
        .toEqual(['comment:op1:셋째 메모', 'alert:3']);

      // The history, page by page, for any role that may see alerts.
      const page = (query: string) =>
        call(tokens.viewer, 'GET', `/api/alerts/${alert.id}/comments${query}`);
      const newest = (await page('?limit=2')).json<AlertCommentPage>();
      expect(newest.comments.map((c) => c.text)).toEqual(['둘째 메모', '셋째 메모']);
      expect(newest).toMatchObject({ hasOlder: true, total: 3 });
      const older = (await page(`?before=${newest.comments[0]!.id}`)).json<AlertCommentPage>();
      expect(older).toMatchObject({ comments: [{ text: '첫 메모', by: 'op1' }], hasOlder: false });
      expect((await page('?limit=0')).json().error.message).toMatch(/^limit/);
      expect((await page('?limit=501')).statusCode).toBe(400);
      expect((await call(tokens.viewer, 'GET', '/api/alerts/99999999/comments')).statusCode).toBe(
        404,
      );
      expect((await call(null, 'GET', `/api/alerts/${alert.id}/comments`)).statusCode).toBe(401);
    } finally {
      socket.close();
    }
  });

  it('refuses a comment over the length cap with 400 naming the limit', async () => {
    const alert = await newDrowsyAlert();
    const tooLong = await call(tokens.operator, 'POST', `/api/alerts/${alert.id}/comment`, {
      text: '가'.repeat(MAX_COMMENT_LENGTH + 1),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain(String(MAX_COMMENT_LENGTH));
  });

  it('pushes every change to every connected client within a second', async () => {
    const clients = await Promise.all(
      ROLES_UNDER_TEST.map((role) => connect({ token: tokens[role] })),
    );
    try {
      const alert = await newDrowsyAlert();
      for (const c of clients) {
        await expect
          .poll(() => c.received.find((a) => a.id === alert.id && a.version === 1), {
            timeout: 1000,
          })
          .toBeDefined();
      }
      await call(tokens.supervisor, 'POST', `/api/alerts/${alert.id}/ack`, { version: 1 });
      for (const c of clients) {
        await expect
          .poll(() => c.received.find((a) => a.id === alert.id && a.status === 'acknowledged'), {
            timeout: 1000,
          })
          .toBeDefined();
      }
    } finally {
      for (const c of clients) c.socket.close();
    }
  });

  it('sends open and recently resolved alerts on connect, and every missed change on reconnect', async () => {
    // Resolved long ago: not in a plain snapshot.
    const old = await alertIn('resolved');
    await app.store.db
      .updateTable('alert')
      .set({ resolved_at: formatKstSql(Date.now() - 2 * DAY) })
      .where('id', '=', old.id)
      .execute();
    const open = await alertIn('new');
    const recent = await alertIn('resolved');

    const first = await connect({ token: tokens.operator });
    expect(first.catchUp.full).toBe(true);
    const ids = first.snapshot.map((a) => a.id);
    expect(ids).toContain(open.id);
    expect(ids).toContain(recent.id);
    expect(ids).not.toContain(old.id);
    expect(
      first.snapshot.every((a) => a.status !== 'resolved' || a.resolvedAtMs! > Date.now() - DAY),
    ).toBe(true);
    const lastSeq = first.catchUp.seq;
    expect(lastSeq).toBeGreaterThanOrEqual(Math.max(...first.snapshot.map((a) => a.seq)));
    first.socket.close();

    // While the client is away: an ack, a comment on the old alert, a new alert.
    const acked = await supervise('ack', open);
    await app.alerts.command({ username: 'op1', role: 'operator' }, 'comment', old.id, {
      text: '사후 메모',
    });
    const created = await newDrowsyAlert();

    // The handshake's old name for lastSeq still works (one release).
    const second = await connect({ token: tokens.operator, lastAlertSeq: lastSeq });
    expect(second.catchUp.full).toBe(false);
    const byId = new Map(second.snapshot.map((a) => [a.id, a]));
    expect(byId.get(open.id)).toMatchObject({ status: 'acknowledged', version: acked.version });
    expect(byId.get(old.id)?.commentCount).toBe(1);
    const missedComments = await call(tokens.operator, 'GET', `/api/alerts/${old.id}/comments`);
    expect(missedComments.json<AlertCommentPage>().comments.map((c) => [c.by, c.text])).toEqual([
      ['op1', '사후 메모'],
    ]);
    expect(byId.has(created.id)).toBe(true);
    // Everything changed after lastSeq is there, in seq order.
    const missed = await app.store.db
      .selectFrom('alert')
      .select('id')
      .where('seq', '>', lastSeq)
      .execute();
    for (const { id } of missed) expect(byId.has(Number(id))).toBe(true);
    const seqs = second.snapshot.map((a) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    second.socket.close();

    const plain = await connect({ token: tokens.operator });
    expect(plain.snapshot.map((a) => a.id)).not.toContain(old.id);
    plain.socket.close();
  });

  it('disconnects a user’s sockets when an admin disables them, and refuses them after', async () => {
    const { token, disconnected } = await connectedOperator('temp1');
    const disabled = await call(tokens.admin, 'PATCH', '/api/users/temp1', { disabled: true });
    expect(disabled.statusCode).toBe(200);
    await disconnected;
    await expect(connect({ token })).rejects.toThrow(SOCKET_AUTH_ERRORS.disabledUser);
    expect((await call(token, 'GET', '/api/alerts')).statusCode).toBe(401);
    expect((await login('temp1', PASSWORD)).statusCode).toBe(401);
  });

  it('ends every session of a user whose password an admin changes', async () => {
    const { token, disconnected } = await connectedOperator('temp3');
    const newPassword = `${PASSWORD}-new`;
    const changed = await call(tokens.admin, 'PATCH', '/api/users/temp3', {
      password: newPassword,
    });
    expect(changed.statusCode).toBe(200);
    await disconnected;
    await expect(connect({ token })).rejects.toThrow(SOCKET_AUTH_ERRORS.revokedToken);
    const refused = await call(token, 'GET', '/api/alerts');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(/password was changed/);
    expect((await login('temp3', PASSWORD)).statusCode).toBe(401);
    const fresh = await tokenOf('temp3', newPassword);
    expect((await call(fresh, 'GET', '/api/alerts')).statusCode).toBe(200);
    (await connect({ token: fresh })).socket.close();
  });
});

describe('escalation', () => {
  it('escalates unacknowledged alerts past their deadline, as system, and pushes it', async () => {
    const { socket, received } = await connect({ token: tokens.viewer });
    try {
      const waiting = await alertIn('new');
      const acknowledged = await alertIn('acknowledged');
      // Medium: 10 minutes by default.
      expect(waiting.deadlineMs - waiting.createdMs).toBe(10 * MINUTE);
      expect(await app.alerts.escalateDue(waiting.deadlineMs - 1)).not.toContainEqual(
        expect.objectContaining({ id: waiting.id }),
      );
      const escalated = await app.alerts.escalateDue(waiting.deadlineMs);
      expect(escalated.map((a) => a.id)).toContain(waiting.id);
      expect(escalated.map((a) => a.id)).not.toContain(acknowledged.id);
      const after = (await app.alerts.get(waiting.id))!;
      expect(after).toMatchObject({ escalated: true, status: 'new', version: waiting.version + 1 });
      const events = await auditOf(waiting.id);
      expect(events[events.length - 1]).toMatchObject({
        action: 'alert.escalate',
        actor: 'system',
        before: { escalated: false },
        after: { escalated: true },
      });
      await expect
        .poll(() => received.find((a) => a.id === waiting.id && a.escalated), { timeout: 1000 })
        .toBeDefined();
      // Once is enough.
      expect(
        (await app.alerts.escalateDue(waiting.deadlineMs + DAY)).map((a) => a.id),
      ).not.toContain(waiting.id);
    } finally {
      socket.close();
    }
  });
});

describe('CSV exports', () => {
  it('exports alerts as UTF-8 with a BOM, Korean headers and KST times, and audits it', async () => {
    const response = await call(
      tokens.supervisor,
      'GET',
      '/api/alerts.csv?type=DROWSY,MISSING_PERSON_HIT',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toMatch(
      /attachment; filename="alerts-\d+\.csv"/,
    );
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const [header, ...data] = rows;
    expect(header).toContain('차량번호');
    expect(header).toContain('최초 감지(KST)');
    expect(data.length).toBeGreaterThan(5);
    expect(data.every((r) => r.length === header!.length)).toBe(true);
    const district = header!.indexOf('구·군');
    expect(data.some((r) => r[district] === '부산진구')).toBe(true);
    const type = header!.indexOf('유형');
    expect(new Set(data.map((r) => r[type]))).toEqual(new Set(['졸음운전', '실종자 차량']));
    const first = header!.indexOf('최초 감지(KST)');
    for (const r of data) expect(r[first]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // KST: the wall-clock text is UTC + 9 h.
    const id = Number(data[0]![0]);
    const alert = (await app.alerts.get(id))!;
    expect(data[0]![first]).toBe(formatKstSql(alert.firstSeenMs).slice(0, 19));
    expect(response.body).not.toContain('김민수');
    const exports = (
      await call(tokens.admin, 'GET', '/api/audit?action=export.csv&actor=sup1')
    ).json<AuditListResponse>().events;
    expect(exports[0]).toMatchObject({
      entityType: 'export',
      entityId: 'alerts',
      actorRole: 'supervisor',
    });
  });

  it('exports the audit trail', async () => {
    const response = await call(tokens.admin, 'GET', '/api/audit.csv?entity=alert');
    expect(response.statusCode).toBe(200);
    const rows = parseCsv(response.rawPayload.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual([
      '번호',
      '시각(KST)',
      '사용자',
      '역할',
      '행위',
      '대상 유형',
      '대상',
      '변경 전',
      '변경 후',
    ]);
    expect(rows.some((r) => r[4] === 'alert.resolve' && r[2] === 'sup1')).toBe(true);
    expect(rows.slice(1).every((r) => r[5] === 'alert')).toBe(true);
  });
});

describe('users', () => {
  it('refuses duplicates with 409 and bad input with 400 naming the field', async () => {
    const dup = await call(tokens.admin, 'POST', '/api/users', {
      username: 'op1',
      password: PASSWORD,
      role: 'operator',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const cases: [object, RegExp][] = [
      [{ username: 'x', password: PASSWORD, role: 'operator' }, /^username/],
      [{ username: 'kim', password: 'short', role: 'operator' }, /^password/],
      [{ username: 'kim', password: '12345678', role: 'operator' }, /commonly used/],
      [{ username: 'kim', password: 'password', role: 'operator' }, /commonly used/],
      [{ username: 'kim', password: 'kim-passphrase-77', role: 'operator' }, /username/],
      [{ username: 'kim', password: PASSWORD, role: 'chief' }, /^role/],
      [{ username: 'system', password: PASSWORD, role: 'admin' }, /reserved/],
    ];
    for (const [body, message] of cases) {
      const response = await call(tokens.admin, 'POST', '/api/users', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.message).toMatch(message);
    }
    // A password change is held to the same rule as a new user.
    const weakChange = await call(tokens.admin, 'PATCH', '/api/users/op1', {
      password: 'password',
    });
    expect(weakChange.statusCode).toBe(400);
    expect(weakChange.json().error.message).toMatch(/commonly used/);
  });

  it('changes roles (audited) and takes effect at once', async () => {
    await call(tokens.admin, 'POST', '/api/users', {
      username: 'temp2',
      password: PASSWORD,
      role: 'viewer',
    });
    const token = await tokenOf('temp2', PASSWORD);
    const alert = await alertIn('new');
    expect(
      (await call(token, 'POST', `/api/alerts/${alert.id}/comment`, { text: '메모' })).statusCode,
    ).toBe(403);
    const promoted = await call(tokens.admin, 'PATCH', '/api/users/temp2', { role: 'operator' });
    expect(promoted.json<{ user: User }>().user).toMatchObject({
      role: 'operator',
      disabled: false,
    });
    expect(
      (await call(token, 'POST', `/api/alerts/${alert.id}/comment`, { text: '메모' })).statusCode,
    ).toBe(200);
    const events = (
      await call(tokens.admin, 'GET', '/api/audit?entity=user:temp2')
    ).json<AuditListResponse>().events;
    expect(events.map((e) => e.action)).toEqual(['user.update', 'auth.login', 'user.create']);
    expect(events[0]).toMatchObject({
      actor: 'admin',
      before: { role: 'viewer' },
      after: { role: 'operator' },
    });
    const list = (await call(tokens.admin, 'GET', '/api/users')).json<UserListResponse>().users;
    expect(list.find((u) => u.username === 'temp2')).toMatchObject({ role: 'operator' });
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('keeps at least one enabled admin', async () => {
    const response = await call(tokens.admin, 'PATCH', '/api/users/admin', { role: 'operator' });
    expect(response.statusCode).toBe(409);
    expect(
      (await call(tokens.admin, 'PATCH', '/api/users/nobody', { disabled: true })).statusCode,
    ).toBe(404);
    expect((await call(tokens.admin, 'PATCH', '/api/users/op2', {})).statusCode).toBe(400);
  });
});

describe('first admin', () => {
  it('generates a password and prints it once, bilingually, only when it creates the admin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'first-admin-'));
    const printed: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    try {
      const config = loadConfig({
        SQLITE_PATH: join(dir, 'db.sqlite'),
        SIM_VEHICLES: '0',
        LOG_LEVEL: 'silent',
      });
      const first = await buildApp(config);
      await first.ready();
      const lines = printed.filter((l) => l.includes('password'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/관리자/);
      expect(lines[0]).toMatch(/First admin created/);
      const password = /password: (\S+)/.exec(lines[0]!)![1]!;
      const response = await first.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password },
      });
      expect(response.statusCode).toBe(200);
      await first.close();
      printed.length = 0;
      const again = await buildApp(config);
      await again.ready();
      expect(printed.filter((l) => l.includes('password'))).toEqual([]);
      await again.close();
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
