/**
 * Interlock violations and the police TCS hand-off end to end: the relay in process on a real
 * MariaDB, the TCS mock (`npm run tcs-mock`) as a real HTTP server. Violations from ingested
 * device events (and their inbox alerts), roles, the happy path, failures then success,
 * time-outs, rejections and takeovers, exhausted attempts, the circuit breaker, duplicate
 * approvals, a relay restart mid-send and a crash mid-send — and, throughout, exactly one case
 * at TCS per violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openStore } from '../../server/store/database';
import type { RawMessage } from '../../server/ingest/pipeline';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import { signTcsRequest, TCS_HEADERS } from '../../server/tcs/tcs-signature';
import type { AlertListResponse } from '../../shared/alerts';
import type { AuditListResponse } from '../../shared/audit';
import type { LoginResponse } from '../../shared/auth';
import type { ChangeCatchUp } from '../../shared/changes';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type {
  Dispatch,
  DispatchResponse,
  DispatchStats,
  InterlockMasterData,
  RequestDispatchResponse,
  Violation,
  ViolationListResponse,
  ViolationResponse,
} from '../../shared/interlock';
import type { Role } from '../../shared/roles';
import { formatKstIso, formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const ADMIN_PASSWORD = 'chief-passphrase-for-tests';
const PASSWORD = 'staff-password-for-tests';
const JWT_SECRET = 'integration-test-secret-0123456789abcdef';
const TCS_SECRET = 'tcs-integration-secret-0123';
const TIMEOUT_MS = 800;
const MAX_ATTEMPTS = 4;
const BREAKER_COOLDOWN_MS = 2500;
const WAIT_MS = 20_000;
const DAY = 86_400_000;
/** Inside 부산진구. */
const LON = 129.05;
const LAT = 35.15;

let database: TestDatabase;
let mock: TcsMock;
let app: FastifyInstance;
let url: string;
const tokens = {} as Record<Role | 'sup2', string>;

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    ADMIN_PASSWORD,
    JWT_SECRET,
    // No simulated traffic: every violation here comes from events the tests ingest.
    SIM_VEHICLES: '0',
    LOG_LEVEL: 'silent',
    TCS_URL: mock.url,
    // The stand-in speaks plain HTTP here; the TLS link is tried in tcs-tls.test.ts.
    TCS_ALLOW_INSECURE_HTTP: 'true',
    TCS_SECRET,
    TCS_TIMEOUT_MS: String(TIMEOUT_MS),
    TCS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    TCS_RETRY_BASE_MS: '100',
    TCS_BREAKER_COOLDOWN_MS: String(BREAKER_COOLDOWN_MS),
    ...extra,
  });
}

async function startRelay(): Promise<void> {
  app = await buildApp(config());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}

let addressCounter = 0;
async function tokenOf(username: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: `10.9.0.${++addressCounter}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<LoginResponse>().token;
}

function call(token: string, method: InjectOptions['method'], path: string, payload?: object) {
  return app.inject({
    method,
    url: path,
    headers: { authorization: `Bearer ${token}` },
    ...(payload !== undefined && { payload }),
  });
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

const dispatchOf = (id: number) => async () => (await app.tcs.get(id))!;
const waitForState = (id: number, state: Dispatch['state'], timeoutMs?: number) =>
  waitFor(`dispatch ${id} ${state}`, dispatchOf(id), (d) => d.state === state, timeoutMs);

/** Cases the mock filed for a hand-off's key, and the requests it got with that key. */
function atMock(key: string) {
  const snapshot = mock.cases();
  return {
    cases: snapshot.cases.filter((c) => c.idempotencyKey === key),
    requests: snapshot.attemptsByKey[key] ?? 0,
  };
}

// ── Devices and events ─────────────────────────────────────────────────────────────────────────

let deviceCounter = 0;
let eventCounter = 0;

/** Registers a device with an obliged driver; returns its id. */
async function newDevice(): Promise<string> {
  const n = ++deviceCounter;
  const now = Date.now();
  const data: InterlockMasterData = {
    operators: [
      {
        operatorId: 'ILO-IT',
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: now - 100 * DAY,
        contact: '051-555-0101',
      },
    ],
    subjects: [
      {
        subjectId: `ILS-IT-${n}`,
        name: '김민수',
        licenceNumber: '12-19-123456-78',
        phone: '010-1234-5678',
        obligationStartMs: now - 30 * DAY,
        obligationEndMs: now + 300 * DAY,
      },
    ],
    devices: [
      {
        deviceId: `ILD-IT-${n}`,
        serialNumber: `BS25-${String(n).padStart(6, '0')}`,
        model: 'BreathSafe K-200',
        installMs: now - 30 * DAY,
        lastCalibrationMs: now - 20 * DAY,
        lastLogSubmittedMs: now - 5 * DAY,
        subjectId: `ILS-IT-${n}`,
        operatorId: 'ILO-IT',
        carId: null,
        plate: `${10 + n}가${String(1000 + n).padStart(4, '0')}`,
      },
    ],
  };
  await app.interlock.saveMasterData(data, now);
  return `ILD-IT-${n}`;
}

function eventRow(deviceId: string, fields: Record<string, unknown>): RawMessage {
  return {
    topic: 'interlock_event',
    partition: null,
    offset: null,
    value: {
      event_id: `IT-E${++eventCounter}-${Date.now()}`,
      device_id: deviceId,
      lat: LAT,
      lon: LON,
      occurred_at: formatKstIso(Date.now()),
      ...fields,
    },
  };
}

/** A failed start test on a new device: a major violation; returns it (unmasked). */
async function majorViolation(): Promise<Violation> {
  const device = await newDevice();
  await app.ingest.ingest(
    [eventRow(device, { event_type: 'start_test', result: 'fail', bac: '0.081' })],
    Date.now(),
  );
  const [violation] = await app.interlock.list({ device, limit: 10 });
  expect(violation).toBeDefined();
  return violation!;
}

/** A major violation with a hand-off an operator requested; returns the dispatch. */
async function requested(): Promise<Dispatch> {
  const violation = await majorViolation();
  const response = await call(tokens.operator, 'POST', `/api/violations/${violation.id}/dispatch`, {
    note: 'start test 0.081%',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<RequestDispatchResponse>().dispatch;
}

async function approve(d: Dispatch, token = tokens.supervisor) {
  return call(token, 'POST', `/api/dispatches/${d.id}/approve`, { version: d.version });
}

beforeAll(async () => {
  database = await createTestDatabase('cr_tcs');
  mock = await startTcsMock({ port: 0, secret: TCS_SECRET });
  await startRelay();
  tokens.admin = await tokenOf('admin', ADMIN_PASSWORD);
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
  }
  tokens.viewer = await tokenOf('wall1', PASSWORD);
  tokens.operator = await tokenOf('op1', PASSWORD);
  tokens.supervisor = await tokenOf('sup1', PASSWORD);
  tokens.sup2 = await tokenOf('sup2', PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await mock?.close();
  await database?.drop();
});

describe('violations from device events', () => {
  it('makes a major violation and an INTERLOCK alert in the inbox from a failed start test', async () => {
    const violation = await majorViolation();
    expect(violation).toMatchObject({
      rule: 'alcohol_start',
      grade: 'major',
      status: 'open',
      // Created (1), then linked to its inbox alert (2): the link is a change clients must see.
      version: 2,
      bac: 0.081,
      lon: LON,
      lat: LAT,
      districtName: '부산진구',
      subject: { name: '김민수', licenceNumber: '12-19-123456-78' },
      device: { model: 'BreathSafe K-200', operatorName: '부산인터락서비스' },
    });
    expect(violation.alertId).not.toBeNull();
    const alerts = await call(tokens.viewer, 'GET', '/api/alerts?type=INTERLOCK');
    const alert = alerts.json<AlertListResponse>().alerts.find((a) => a.id === violation.alertId);
    expect(alert).toMatchObject({
      type: 'INTERLOCK',
      severity: 'high',
      status: 'new',
      plate: violation.plate,
      evidence: { type: 'INTERLOCK', violationId: String(violation.id), rule: 'alcohol_start' },
    });
    const audit = await call(
      tokens.supervisor,
      'GET',
      `/api/audit?entity=violation:${violation.id}`,
    );
    const events = audit.json<AuditListResponse>().events;
    expect(events.map((e) => e.action)).toEqual(['violation.link', 'violation.create']);
    // Personal data never goes into the audit trail.
    expect(JSON.stringify(events)).not.toContain('김민수');
  });

  it('counts a redelivered event once, and makes minor violations without an alert', async () => {
    const device = await newDevice();
    const missed = eventRow(device, { event_type: 'rolling_retest', result: 'missed', bac: null });
    const pass = eventRow(device, { event_type: 'rolling_retest', result: 'pass', bac: 0 });
    await app.ingest.ingest([missed, pass], Date.now());
    await app.ingest.ingest([missed], Date.now());
    const violations = await app.interlock.list({ device, limit: 10 });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      rule: 'retest_missed',
      grade: 'minor',
      status: 'monitoring',
      alertId: null,
    });
    const stored = await app.store.db
      .selectFrom('interlock_device_event')
      .select('event_id')
      .where('device_id', '=', device)
      .execute();
    expect(stored).toHaveLength(2);
  });

  it('finds a missed calibration once, however often it checks', async () => {
    const device = await newDevice();
    await app.store.db
      .updateTable('interlock_device')
      .set({ last_calibration_at: formatKstSql(Date.now() - 200 * DAY) })
      .where('device_id', '=', device)
      .execute();
    const first = await app.interlock.checkOverdue();
    expect(first.filter((v) => v.device.deviceId === device).map((v) => v.rule)).toEqual([
      'calibration_overdue',
    ]);
    const again = await app.interlock.checkOverdue();
    expect(again.filter((v) => v.device.deviceId === device)).toEqual([]);
    // A calibration (an event) starts a new period: nothing more is due.
    await app.ingest.ingest(
      [eventRow(device, { event_type: 'calibration', result: 'pass', lat: null, lon: null })],
      Date.now(),
    );
    expect(
      (await app.interlock.checkOverdue()).filter((v) => v.device.deviceId === device),
    ).toEqual([]);
  });

  it('masks the driver for every role in lists; a supervisor unmasks one record, audited', async () => {
    const violation = await majorViolation();
    for (const role of ['viewer', 'operator', 'supervisor', 'admin'] as const) {
      const list = await call(tokens[role], 'GET', `/api/violations?grade=major&limit=50`);
      expect(list.statusCode).toBe(200);
      const mine = list.json<ViolationListResponse>().violations.find((v) => v.id === violation.id);
      expect(mine?.subject).toMatchObject({ name: '김*수', licenceNumber: '12************8' });
      expect(mine?.maskedFields).toEqual(['name', 'licenceNumber', 'phone']);
      expect(JSON.stringify(list.json())).not.toContain('010-1234-5678');
    }
    expect(
      (await call(tokens.operator, 'POST', `/api/violations/${violation.id}/unmask`)).statusCode,
    ).toBe(403);
    const unmasked = await call(
      tokens.supervisor,
      'POST',
      `/api/violations/${violation.id}/unmask`,
    );
    expect(unmasked.json<ViolationResponse>().violation.subject?.phone).toBe('010-1234-5678');
    const audit = await call(
      tokens.supervisor,
      'GET',
      `/api/audit?entity=violation:${violation.id}&action=pii.unmask`,
    );
    expect(audit.json<AuditListResponse>().events[0]).toMatchObject({
      actor: 'sup1',
      after: { fields: ['name', 'licenceNumber', 'phone'] },
    });
  });

  it('checks list filters', async () => {
    const bad = await call(tokens.viewer, 'GET', '/api/violations?grade=huge');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/grade must be one of minor, major/);
    const minors = await call(tokens.viewer, 'GET', '/api/violations?grade=minor');
    expect(minors.json<ViolationListResponse>().violations.every((v) => v.grade === 'minor')).toBe(
      true,
    );
  });
});

describe('who may hand a violation to TCS', () => {
  it('lets an operator request but not approve; a viewer neither', async () => {
    const violation = await majorViolation();
    const path = `/api/violations/${violation.id}/dispatch`;
    const byViewer = await call(tokens.viewer, 'POST', path, {});
    expect(byViewer.statusCode).toBe(403);
    expect(byViewer.json().error.code).toBe('forbidden');
    const byOperator = await call(tokens.operator, 'POST', path, {});
    expect(byOperator.statusCode, byOperator.body).toBe(201);
    const { dispatch, violation: after } = byOperator.json<RequestDispatchResponse>();
    expect(dispatch).toMatchObject({
      state: 'requested',
      requestedBy: 'op1',
      violationId: violation.id,
    });
    expect(after).toMatchObject({
      status: 'dispatching',
      dispatchId: dispatch.id,
      version: violation.version + 1,
    });
    expect(after.subject?.name).toBe('김*수');
    for (const role of ['viewer', 'operator'] as const) {
      const refused = await approve(dispatch, tokens[role]);
      expect(refused.statusCode, role).toBe(403);
      for (const command of ['retry', 'takeover']) {
        const r = await call(tokens[role], 'POST', `/api/dispatches/${dispatch.id}/${command}`, {});
        expect(r.statusCode, `${role} ${command}`).toBe(403);
      }
    }
    expect((await app.tcs.get(dispatch.id))?.state).toBe('requested');
    // Viewers still see hand-offs (walls show the TCS panel).
    expect((await call(tokens.viewer, 'GET', '/api/dispatches')).statusCode).toBe(200);
  });

  it('does not let a supervisor approve a hand-off they requested themselves (four eyes)', async () => {
    const violation = await majorViolation();
    const own = await call(
      tokens.supervisor,
      'POST',
      `/api/violations/${violation.id}/dispatch`,
      {},
    );
    expect(own.statusCode, own.body).toBe(201);
    const { dispatch } = own.json<RequestDispatchResponse>();
    const refused = await approve(dispatch, tokens.supervisor);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden' });
    expect(refused.json().error.message).toMatch(
      /requested by sup1: another supervisor must approve/,
    );
    expect((await app.tcs.get(dispatch.id))?.state).toBe('requested');
    const byOther = await approve(dispatch, tokens.sup2);
    expect(byOther.statusCode, byOther.body).toBe(200);
    await waitForState(dispatch.id, 'accepted');
  });

  it('refuses a second request, a minor violation and an unknown one', async () => {
    const d = await requested();
    const again = await call(
      tokens.operator,
      'POST',
      `/api/violations/${d.violationId}/dispatch`,
      {},
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(`dispatch ${d.id}`);
    const device = await newDevice();
    await app.ingest.ingest(
      [eventRow(device, { event_type: 'rolling_retest', result: 'missed' })],
      Date.now(),
    );
    const [minor] = await app.interlock.list({ device, limit: 1 });
    const refused = await call(
      tokens.operator,
      'POST',
      `/api/violations/${minor!.id}/dispatch`,
      {},
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('illegal_transition');
    expect(
      (await call(tokens.operator, 'POST', '/api/violations/99999999/dispatch', {})).statusCode,
    ).toBe(404);
    expect(
      (await call(tokens.operator, 'POST', '/api/violations/abc/dispatch', {})).statusCode,
    ).toBe(400);
    const stale = await majorViolation();
    const conflict = await call(tokens.operator, 'POST', `/api/violations/${stale.id}/dispatch`, {
      version: 7,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('stale_version');
  });
});

describe('the hand-off to TCS', () => {
  it('files one case when a supervisor approves, and records every step', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token: tokens.viewer },
    });
    const pushed: Dispatch[] = [];
    const pushedViolations: Violation[] = [];
    socket.on('change', (change) => {
      if (change.entity === 'dispatch') pushed.push(change.record);
      if (change.entity === 'violation') pushedViolations.push(change.record);
    });
    const catchUp = await new Promise<ChangeCatchUp>((resolve) => socket.once('changes', resolve));
    expect(catchUp.full).toBe(true);

    const d = await requested();
    const approved = await approve(d);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<DispatchResponse>().dispatch).toMatchObject({ approvedBy: 'sup1' });
    const done = await waitForState(d.id, 'accepted');
    expect(done).toMatchObject({ attempts: 1, lastHttpStatus: 201, awaitingPerson: false });
    expect(done.caseNumber).toMatch(/^TCS-\d{8}-\d{6}$/);
    expect(done.attemptLog).toEqual([
      expect.objectContaining({
        attemptNo: 1,
        outcome: 'accepted',
        httpStatus: 201,
        caseNumber: done.caseNumber,
      }),
    ]);
    const { cases, requests } = atMock(d.idempotencyKey);
    expect(cases).toHaveLength(1);
    expect(requests).toBe(1);
    expect(cases[0]).toMatchObject({
      caseNumber: done.caseNumber,
      violationId: d.violationId,
      rule: 'alcohol_start',
    });
    // TCS registers the offender: the case carries the driver unmasked.
    expect(cases[0]!.body).toMatchObject({
      subject: { name: '김민수' },
      violation: { bac: 0.081 },
    });

    const violation = await app.interlock.get(d.violationId);
    expect(violation?.status).toBe('dispatched');
    const audit = await call(tokens.supervisor, 'GET', `/api/audit?entity=dispatch:${d.id}`);
    expect(
      audit
        .json<AuditListResponse>()
        .events.map((e) => e.action)
        .reverse(),
    ).toEqual(['dispatch.request', 'dispatch.approve', 'dispatch.send', 'dispatch.accept']);
    await waitFor(
      'pushes',
      async () => pushed.filter((p) => p.id === d.id).length,
      (n) => n >= 4,
    );
    expect(pushed.filter((p) => p.id === d.id).map((p) => p.state)).toEqual([
      'requested',
      'queued',
      'sending',
      'accepted',
    ]);
    await waitFor(
      'violation push',
      async () => pushedViolations.find((v) => v.id === d.violationId && v.status === 'dispatched'),
      Boolean,
    );
    expect(pushedViolations.every((v) => v.subject === null || v.subject.name !== '김민수')).toBe(
      true,
    );
    socket.close();
  });

  it('moves the INTERLOCK alert with its hand-off: clock stopped, dispatched with the case, resolved on a withdrawal', async () => {
    const alertOf = async (violationId: number) => {
      const violation = await app.interlock.get(violationId);
      return (await app.alerts.get(violation!.alertId!))!;
    };
    const d = await requested();
    // Requested: someone is working it, so it can no longer escalate.
    expect(await alertOf(d.violationId)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'op1',
    });
    await approve(d);
    const done = await waitForState(d.id, 'accepted');
    const dispatched = await waitFor(
      'alert dispatched',
      () => alertOf(d.violationId),
      (a) => a.status === 'dispatched',
    );
    expect(dispatched).toMatchObject({
      dispatchedBy: 'sup1',
      evidence: { type: 'INTERLOCK', tcsCaseNumber: done.caseNumber },
    });
    const trail = await call(tokens.supervisor, 'GET', `/api/audit?entity=alert:${dispatched.id}`);
    expect(
      trail
        .json<AuditListResponse>()
        .events.filter((e) => e.actor === 'system')
        .map((e) => [e.action, (e.after as { dispatchId?: number } | null)?.dispatchId]),
    ).toEqual([
      ['alert.dispatch', d.id],
      ['alert.ack', d.id],
      ['alert.create', undefined],
    ]);

    const other = await requested();
    const withdrawn = await call(
      tokens.supervisor,
      'POST',
      `/api/dispatches/${other.id}/takeover`,
      {
        outcome: 'withdrawn',
        note: '측정기 고장 확인',
      },
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(await alertOf(other.violationId)).toMatchObject({
      status: 'resolved',
      resolution: 'handled',
      resolvedBy: 'sup1',
      resolutionNote: 'TCS 이관 철회: 측정기 고장 확인',
    });
  });

  it('answers a duplicate approval with 409 and files one case however many approve at once', async () => {
    const d = await requested();
    const [a, b] = await Promise.all([approve(d, tokens.supervisor), approve(d, tokens.sup2)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const again = await call(tokens.supervisor, 'POST', `/api/dispatches/${d.id}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('illegal_transition');
    expect(again.json().error.message).toMatch(/approved already by sup[12]/);
    await waitForState(d.id, 'accepted');
    expect(atMock(d.idempotencyKey).cases).toHaveLength(1);
    expect(atMock(d.idempotencyKey).requests).toBe(1);
  });

  it('retries after failures (503) with backoff and files one case', async () => {
    mock.setMode({ mode: 'fail', count: 2, delayMs: 0 });
    const d = await requested();
    await approve(d);
    const done = await waitForState(d.id, 'accepted');
    expect(done.attempts).toBe(3);
    expect(done.attemptLog.map((a) => [a.outcome, a.httpStatus])).toEqual([
      ['failed', 503],
      ['failed', 503],
      ['accepted', 201],
    ]);
    // Backoff: the attempts are spread out, not fired back to back.
    const [first, second] = done.attemptLog;
    expect(second!.startedMs - first!.startedMs).toBeGreaterThanOrEqual(50);
    expect(atMock(d.idempotencyKey)).toMatchObject({ requests: 3 });
    expect(atMock(d.idempotencyKey).cases).toHaveLength(1);
  });

  it('treats a time-out as a failure and gets the same case back on the retry', async () => {
    mock.setMode({ mode: 'timeout', count: 1, delayMs: 0 });
    const d = await requested();
    await approve(d);
    const done = await waitForState(d.id, 'accepted');
    expect(done.attemptLog[0]).toMatchObject({ outcome: 'failed', httpStatus: null });
    expect(done.attemptLog[0]!.error).toMatch(/no answer within 800 ms/);
    expect(done.attemptLog[0]!.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // The hung request had filed the case: the retry got that one (200), not a second one.
    expect(done.attemptLog[1]).toMatchObject({ outcome: 'accepted', httpStatus: 200 });
    const { cases, requests } = atMock(d.idempotencyKey);
    expect(requests).toBe(2);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.caseNumber).toBe(done.caseNumber);
  });

  it('leaves a rejected case (4xx) to a person, who retries it or takes it over', async () => {
    mock.setMode({ mode: 'reject', count: 2, delayMs: 0 });
    const first = await requested();
    await approve(first);
    const rejected = await waitForState(first.id, 'rejected');
    expect(rejected).toMatchObject({ attempts: 1, lastHttpStatus: 422, awaitingPerson: true });
    // Nothing more is sent on its own.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(atMock(first.idempotencyKey).requests).toBe(1);
    // A person sends it again (the case was fixed upstream); the mock rejects once more, then accepts.
    let retried = await call(tokens.supervisor, 'POST', `/api/dispatches/${first.id}/retry`, {});
    expect(retried.statusCode, retried.body).toBe(200);
    await waitFor(
      'second rejection',
      dispatchOf(first.id),
      (d) => d.state === 'rejected' && d.attempts === 2,
    );
    retried = await call(tokens.supervisor, 'POST', `/api/dispatches/${first.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    await waitForState(first.id, 'accepted');
    expect(atMock(first.idempotencyKey).cases).toHaveLength(1);

    // Another one is rejected and taken over: filed by phone.
    mock.setMode({ mode: 'reject', count: 1, delayMs: 0 });
    const second = await requested();
    await approve(second);
    const r2 = await waitForState(second.id, 'rejected');
    const badTakeover = await call(
      tokens.supervisor,
      'POST',
      `/api/dispatches/${second.id}/takeover`,
      {
        outcome: 'lost',
        note: 'x',
      },
    );
    expect(badTakeover.statusCode).toBe(400);
    const taken = await call(tokens.supervisor, 'POST', `/api/dispatches/${second.id}/takeover`, {
      version: r2.version,
      outcome: 'filed_manually',
      caseNumber: 'TCS-PHONE-0042',
      note: '경찰청 상황실에 전화로 접수',
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json<DispatchResponse>().dispatch).toMatchObject({
      state: 'manual',
      manualOutcome: 'filed_manually',
      manualBy: 'sup1',
      caseNumber: 'TCS-PHONE-0042',
      awaitingPerson: false,
    });
    expect((await app.interlock.get(second.violationId))?.status).toBe('handled');
    const twice = await call(tokens.sup2, 'POST', `/api/dispatches/${second.id}/takeover`, {
      outcome: 'withdrawn',
      note: 'again',
    });
    expect(twice.statusCode).toBe(409);
    const stale = await call(tokens.supervisor, 'POST', `/api/dispatches/${first.id}/retry`, {
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect(atMock(second.idempotencyKey).cases).toHaveLength(0);
  });

  it('goes to a person when the attempts run out, and the breaker stops hammering a TCS that is down', async () => {
    mock.setMode({ mode: 'fail', count: null, delayMs: 0 });
    const a = await requested();
    await approve(a);
    const exhausted = await waitForState(a.id, 'manual');
    expect(exhausted).toMatchObject({
      attempts: MAX_ATTEMPTS,
      manualOutcome: null,
      awaitingPerson: true,
    });
    expect(atMock(a.idempotencyKey).requests).toBe(MAX_ATTEMPTS);

    // A fifth failure in a row opens the breaker: the next hand-off waits, its attempts unspent.
    const b = await requested();
    await approve(b);
    await waitFor(
      'breaker open',
      () => app.tcs.stats(),
      (s) => s.tcs.breaker === 'open',
    );
    const waiting = await waitForState(b.id, 'retry_wait');
    expect(waiting.attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(atMock(b.idempotencyKey).requests).toBe(1);
    const stats = await call(tokens.viewer, 'GET', '/api/dispatches/stats');
    expect(stats.json<DispatchStats>().tcs).toEqual({ configured: true, breaker: 'open' });
    expect((await app.inject({ url: '/healthz' })).json().tcs).toEqual({
      configured: true,
      breaker: 'open',
    });

    // TCS is back: after the cool-down one trial goes through and closes the breaker.
    mock.setMode({ mode: 'accept', count: null, delayMs: 0 });
    await waitForState(b.id, 'accepted', BREAKER_COOLDOWN_MS + WAIT_MS);
    expect(app.tcs.status().breaker).toBe('closed');
    // The exhausted one is sent again when a person says so.
    const retried = await call(tokens.supervisor, 'POST', `/api/dispatches/${a.id}/retry`, {});
    expect(retried.json<DispatchResponse>().dispatch).toMatchObject({
      state: 'queued',
      attemptLimit: MAX_ATTEMPTS * 2,
    });
    await waitForState(a.id, 'accepted');
    expect(atMock(a.idempotencyKey).cases).toHaveLength(1);
    expect(atMock(b.idempotencyKey).cases).toHaveLength(1);
  });

  it('refuses unsigned and forged requests at the mock (401)', async () => {
    const body = JSON.stringify({ violation: { id: 1 } });
    const ts = String(Date.now());
    const post = (headers: Record<string, string>) =>
      fetch(`${mock.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post({})).status).toBe(401);
    const forged = await post({
      [TCS_HEADERS.timestamp]: ts,
      [TCS_HEADERS.signature]: signTcsRequest('not-the-secret-0000', ts, body),
      [TCS_HEADERS.idempotencyKey]: 'k-forged',
    });
    expect(forged.status).toBe(401);
    const old = String(Date.now() - 10 * 60_000);
    const replayed = await post({
      [TCS_HEADERS.timestamp]: old,
      [TCS_HEADERS.signature]: signTcsRequest(TCS_SECRET, old, body),
      [TCS_HEADERS.idempotencyKey]: 'k-replayed',
    });
    expect(replayed.status).toBe(401);
    expect(mock.cases().attemptsByKey['k-forged']).toBeUndefined();
  });
});

describe('a relay that stops or crashes mid-send', () => {
  it('carries on after a restart: the interrupted hand-off is sent again and filed once', async () => {
    mock.setMode({ mode: 'timeout', count: null, delayMs: 0 });
    const d = await requested();
    await approve(d);
    await waitForState(d.id, 'sending');
    await waitFor(
      'request at the mock',
      async () => atMock(d.idempotencyKey).requests,
      (n) => n === 1,
    );
    await app.close();
    mock.setMode({ mode: 'accept', count: null, delayMs: 0 });
    await startRelay();
    const done = await waitForState(d.id, 'accepted');
    expect(done.attemptLog[0]).toMatchObject({ outcome: 'interrupted', httpStatus: null });
    expect(done.attemptLog.at(-1)).toMatchObject({ outcome: 'accepted' });
    // The hung attempt had filed it: the same case came back.
    const { cases } = atMock(d.idempotencyKey);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.caseNumber).toBe(done.caseNumber);
  });

  it('recovers a hand-off a crashed relay left in `sending`, with the same key', async () => {
    mock.setMode({ mode: 'fail', count: null, delayMs: 0 });
    const d = await requested();
    await approve(d);
    const failed = await waitFor(
      'first failure',
      dispatchOf(d.id),
      (x) => x.attempts === 1 && x.state === 'retry_wait',
    );
    await app.close();
    // What a crash during the second attempt leaves behind: the row in `sending`, never answered.
    const store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
    await store.db
      .updateTable('tcs_dispatch')
      .set({
        state: 'sending',
        attempts: failed.attempts + 1,
        version: failed.version + 1,
        next_attempt_at: null,
        updated_at: formatKstSql(Date.now()),
      })
      .where('id', '=', d.id)
      .execute();
    await store.close();
    mock.setMode({ mode: 'accept', count: null, delayMs: 0 });
    await startRelay();
    // Left alone until it must have timed out, then sent again with the same key.
    const done = await waitForState(d.id, 'accepted');
    expect(done.attemptLog.map((a) => a.outcome)).toEqual(['failed', 'interrupted', 'accepted']);
    expect(done.idempotencyKey).toBe(d.idempotencyKey);
    expect(done.attempts).toBe(3);
    expect(atMock(d.idempotencyKey).cases).toHaveLength(1);
  });
});

describe('stats, metrics and a relay without TCS', () => {
  it('reports the success rate against the 99% target, in the API and in /metrics', async () => {
    const readStats = async () =>
      (await call(tokens.viewer, 'GET', '/api/dispatches/stats')).json<DispatchStats>();
    // A TCS down for every attempt of one hand-off: a link failure.
    mock.setMode({ mode: 'fail', count: MAX_ATTEMPTS, delayMs: 0 });
    const failed = await requested();
    await approve(failed);
    await waitForState(failed.id, 'manual');
    const stats = await readStats();
    expect(stats.target).toBe(0.99);
    expect(stats.accepted).toBeGreaterThan(5);
    // Above: a case TCS refused and a person filed by phone (the link answered), a request
    // withdrawn before it was sent (nothing said about the link).
    expect(stats.linkFailed).toBeGreaterThanOrEqual(1);
    expect(stats.filedManually).toBeGreaterThanOrEqual(1);
    expect(stats.takenBack).toBeGreaterThanOrEqual(1);
    expect(stats.linkAnswered).toBeGreaterThanOrEqual(stats.accepted + stats.rejected + 1);
    expect(stats.successRate).toBeCloseTo(
      stats.linkAnswered / (stats.linkAnswered + stats.linkFailed),
      6,
    );
    expect(stats.caseRate).toBeCloseTo(
      (stats.accepted + stats.filedManually) / (stats.accepted + stats.rejected + stats.manual),
      6,
    );
    // A withdrawal is not a link failure: the link's rate stays, the case rate drops.
    const withdrawn = await requested();
    const takenBack = await call(
      tokens.supervisor,
      'POST',
      `/api/dispatches/${withdrawn.id}/takeover`,
      {
        outcome: 'withdrawn',
        note: '중복 측정',
      },
    );
    expect(takenBack.statusCode, takenBack.body).toBe(200);
    const after = await readStats();
    expect(after).toMatchObject({
      linkFailed: stats.linkFailed,
      linkAnswered: stats.linkAnswered,
      successRate: stats.successRate,
      takenBack: stats.takenBack + 1,
      manual: stats.manual + 1,
    });
    expect(after.caseRate!).toBeLessThan(stats.caseRate!);
    // Counters count since this relay started (it restarted above): make one of each.
    const d = await requested();
    await approve(d);
    await waitForState(d.id, 'accepted');
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/relay_tcs_success_ratio 0\.\d+/);
    expect(metrics).toMatch(/relay_tcs_case_ratio 0\.\d+/);
    expect(metrics).toMatch(/relay_tcs_dispatches\{state="accepted"\} \d+/);
    expect(metrics).toMatch(/relay_tcs_attempts_total\{outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/relay_tcs_circuit_open 0/);
    expect(metrics).toMatch(
      /relay_interlock_violations_total\{rule="alcohol_start",grade="major"\} [1-9]/,
    );
    const list = (
      await call(tokens.viewer, 'GET', '/api/dispatches?state=accepted&limit=3')
    ).json();
    expect(list.dispatches).toHaveLength(3);
    expect(list.tcs.configured).toBe(true);
  });

  it('keeps approved hand-offs queued while TCS is not configured (SQLite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcs-off-'));
    const other = await buildApp(
      loadConfig({
        PORT: '0',
        SQLITE_PATH: join(dir, 'db.sqlite'),
        ADMIN_PASSWORD,
        SIM_VEHICLES: '0',
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      await other.ready();
      const admin = (
        await other.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: ADMIN_PASSWORD },
        })
      ).json<LoginResponse>().token;
      const device = 'ILD-OFF-1';
      await other.interlock.saveMasterData({
        operators: [],
        subjects: [],
        devices: [
          {
            deviceId: device,
            serialNumber: 'X-1',
            model: 'M',
            installMs: Date.now() - DAY,
            lastCalibrationMs: null,
            lastLogSubmittedMs: null,
            subjectId: null,
            operatorId: null,
            carId: null,
            plate: null,
          },
        ],
      });
      await other.ingest.ingest(
        [
          {
            topic: 'interlock_event',
            partition: 0,
            offset: '1',
            value: JSON.stringify({
              event_id: 'OFF-1',
              device_id: device,
              event_type: 'bypass',
              result: 'driving',
              occurred_at: formatKstIso(Date.now()),
            }),
          },
        ],
        Date.now(),
      );
      const [violation] = await other.interlock.list({ limit: 1 });
      expect(violation).toMatchObject({ rule: 'bypass', grade: 'major', subject: null });
      const auth = { authorization: `Bearer ${admin}` };
      const requestedOff = await other.inject({
        method: 'POST',
        url: `/api/violations/${violation!.id}/dispatch`,
        headers: auth,
        payload: {},
      });
      expect(requestedOff.statusCode).toBe(201);
      const dispatch = requestedOff.json<RequestDispatchResponse>().dispatch;
      // Four eyes: a supervisor approves what the admin requested.
      const createdSupervisor = await other.inject({
        method: 'POST',
        url: '/api/users',
        headers: auth,
        payload: { username: 'sup-off', password: PASSWORD, role: 'supervisor' },
      });
      expect(createdSupervisor.statusCode, createdSupervisor.body).toBe(201);
      const supervisor = (
        await other.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'sup-off', password: PASSWORD },
        })
      ).json<LoginResponse>().token;
      const approved = await other.inject({
        method: 'POST',
        url: `/api/dispatches/${dispatch.id}/approve`,
        headers: { authorization: `Bearer ${supervisor}` },
        payload: { version: dispatch.version },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await other.tcs.get(dispatch.id))?.state).toBe('queued');
      const stats = (
        await other.inject({ url: '/api/dispatches/stats', headers: auth })
      ).json<DispatchStats>();
      expect(stats).toMatchObject({ pending: 1, successRate: null, tcs: { configured: false } });
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with TCS_URL but no TCS_SECRET, naming the variable', () => {
    expect(() => config({ TCS_SECRET: '' })).toThrow(
      /^Invalid configuration: TCS_SECRET must be set when TCS_URL is set/,
    );
  });
});
