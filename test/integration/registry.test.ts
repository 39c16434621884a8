/**
 * The interlock registry in a connected deployment (docs/INTERLOCK-REGISTRY.md), on a real
 * MariaDB: the interlock system writes its tables (here: this test, over its own connection), the
 * relay reads them on demand (admin, audited) and on its schedule; violations from device events
 * then carry the offender, and the TCS case the stand-in receives has the offender's details.
 * Also: closer monitoring raised to major by a repeated pattern, a failed calibration's
 * re-calibration request and its fulfilment, the CSV import's report, and the interlock KPIs.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RawMessage } from '../../server/ingest/pipeline';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import type { AuditListResponse } from '../../shared/audit';
import type { LoginResponse } from '../../shared/auth';
import type { Dispatch, RequestDispatchResponse, Violation } from '../../shared/interlock';
import type { KpiReport } from '../../shared/kpis';
import type {
  RegistryDeviceListResponse,
  RegistryImportReport,
  RegistryRefreshResult,
  RegistrySubjectListResponse,
} from '../../shared/registry';
import type { Role } from '../../shared/roles';
import { formatKstIso, formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const ADMIN_PASSWORD = 'chief-passphrase-for-tests';
const PASSWORD = 'staff-password-for-tests';
const JWT_SECRET = 'integration-test-secret-0123456789abcdef';
const TCS_SECRET = 'tcs-integration-secret-0123';
const WAIT_MS = 20_000;
const DAY = 86_400_000;
const LON = 129.05;
const LAT = 35.15;

let database: TestDatabase;
let upstream: Connection;
let mock: TcsMock;
let app: FastifyInstance;
const tokens = {} as Record<Role, string>;

let addressCounter = 0;
async function tokenOf(username: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: `10.8.0.${++addressCounter}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<LoginResponse>().token;
}

function call(
  token: string,
  method: InjectOptions['method'],
  path: string,
  payload?: object | string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url: path,
    headers: { authorization: `Bearer ${token}`, ...headers },
    ...(payload !== undefined && { payload }),
  });
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

let eventCounter = 0;
function eventRow(
  deviceId: string,
  fields: Record<string, unknown>,
  atMs = Date.now(),
): RawMessage {
  return {
    topic: 'interlock_event',
    partition: null,
    offset: null,
    value: {
      event_id: `RG-E${++eventCounter}-${Date.now()}`,
      device_id: deviceId,
      lat: LAT,
      lon: LON,
      occurred_at: formatKstIso(atMs),
      ...fields,
    },
  };
}

const day = (ms: number) => formatKstSql(ms).slice(0, 10);

/** What the interlock operations system writes: seed names, Korean status words, DATE values. */
async function writeUpstreamRegistry(): Promise<void> {
  const now = Date.now();
  await upstream.query(
    `INSERT INTO registry_operator (operator_id, company_name, status, approval_date, contact)
     VALUES ('OP-1', '해운대안전장치', '활성', ?, '051-555-0101')`,
    [day(now - 400 * DAY)],
  );
  await upstream.query(
    `INSERT INTO registry_user (user_id, name, license_number, phone, obligation_start, obligation_end)
     VALUES ('U-1', '박지훈', '12-18-654321-09', '010-2222-3333', ?, ?),
            ('U-2', '이서연', '12-20-111222-33', '010-4444-5555', ?, ?)`,
    [day(now - 100 * DAY), day(now + 600 * DAY), day(now - 50 * DAY), day(now + 300 * DAY)],
  );
  await upstream.query(
    `INSERT INTO registry_device (device_id, serial_number, model, install_date, last_inspection,
       status, user_id, operator_id, car_plate_number)
     VALUES ('DEV-1', 'IL24-000001', 'InterLock Pro 5', ?, ?, '정상', 'U-1', 'OP-1', '12가3456'),
            ('DEV-2', 'BS24-000002', 'BreathSafe K-200', ?, ?, '정상', 'U-2', 'OP-1', '34나5678'),
            ('DEV-BAD', 'XX', 'X', ?, NULL, NULL, 'U-404', NULL, NULL)`,
    [
      day(now - 200 * DAY),
      // Calibrated almost six months ago: due within the notice period.
      formatKstSql(now - 178 * DAY),
      day(now - 50 * DAY),
      day(now - 40 * DAY),
      day(now + 10 * DAY),
    ],
  );
}

beforeAll(async () => {
  database = await createTestDatabase('cr_registry');
  mock = await startTcsMock({ port: 0, secret: TCS_SECRET });
  app = await buildApp(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_PASSWORD,
      JWT_SECRET,
      // No simulated traffic: every event here comes from the test, as it would from Kafka.
      SIM_VEHICLES: '0',
      LOG_LEVEL: 'silent',
      TCS_URL: mock.url,
      TCS_ALLOW_INSECURE_HTTP: 'true',
      TCS_SECRET,
      TCS_RETRY_BASE_MS: '100',
      MONITORING_REPEAT_COUNT: '3',
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = new URL(database.url);
  upstream = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database.name,
  });
  tokens.admin = await tokenOf('admin', ADMIN_PASSWORD);
  for (const [username, role] of [
    ['wall1', 'viewer'],
    ['op1', 'operator'],
    ['sup1', 'supervisor'],
    ['sup2', 'supervisor'],
  ] as const) {
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
});

afterAll(async () => {
  await upstream?.end();
  await app?.close();
  await mock?.close();
  await database?.drop();
});

describe('the registry read from the interlock system’s tables', () => {
  it('an admin refreshes on demand (audited); other roles are refused', async () => {
    await writeUpstreamRegistry();
    const refused = await call(tokens.supervisor, 'POST', '/api/registry/refresh');
    expect(refused.statusCode).toBe(403);

    const response = await call(tokens.admin, 'POST', '/api/registry/refresh');
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<RegistryRefreshResult>();
    expect(result).toMatchObject({ ok: true, trigger: 'admin', subjects: 2, devices: 2 });
    // DEV-BAD: installed in the future, for a user the registry does not have.
    expect(result.skipped).toBe(1);

    const audit = await call(tokens.supervisor, 'GET', '/api/audit?action=registry.refresh');
    const events = audit.json<AuditListResponse>().events;
    expect(events[0]).toMatchObject({ actor: 'admin', action: 'registry.refresh' });
    expect(JSON.stringify(events)).not.toContain('박지훈');
  });

  it('lists subjects masked for every role, with device, obligation and calibration notice', async () => {
    const response = await call(tokens.operator, 'GET', '/api/registry/subjects');
    expect(response.statusCode, response.body).toBe(200);
    const subject = response
      .json<RegistrySubjectListResponse>()
      .subjects.find((s) => s.subjectId === 'U-1');
    expect(subject).toMatchObject({
      name: '박*훈',
      obliged: true,
      maskedFields: ['name', 'licenceNumber', 'phone'],
      device: {
        deviceId: 'DEV-1',
        operatorName: '해운대안전장치',
        plate: '12가3456',
        status: '정상',
        calibration: 'due_soon',
      },
    });
    expect(JSON.stringify(response.json())).not.toContain('박지훈');
    expect(JSON.stringify(response.json())).not.toContain('010-2222-3333');
  });

  it('a scheduled refresh takes the interlock system’s changes', async () => {
    await upstream.query(`UPDATE registry_device SET status = '수리중' WHERE device_id = 'DEV-2'`);
    const result = await app.registry.refresh('schedule');
    expect(result.ok).toBe(true);
    const devices = (
      await call(tokens.viewer, 'GET', '/api/registry/devices')
    ).json<RegistryDeviceListResponse>().devices;
    expect(devices.find((d) => d.deviceId === 'DEV-2')?.status).toBe('수리중');
  });
});

describe('violations carry the offender into the TCS case', () => {
  it('a failed start test on a registry device: subject on the violation and in the case', async () => {
    await app.ingest.ingest(
      [eventRow('DEV-1', { event_type: 'start_test', result: 'fail', bac: '0.072' })],
      Date.now(),
    );
    const [violation] = (await app.interlock.list({
      device: 'DEV-1',
      rule: ['alcohol_start'],
      limit: 5,
    })) as Violation[];
    expect(violation?.subject).toMatchObject({ subjectId: 'U-1', name: '박지훈' });
    expect(violation?.plate).toBe('12가3456');

    const requested = await call(
      tokens.operator,
      'POST',
      `/api/violations/${violation!.id}/dispatch`,
      { note: 'start test 0.072%' },
    );
    expect(requested.statusCode, requested.body).toBe(201);
    const dispatch = requested.json<RequestDispatchResponse>().dispatch;
    const approved = await call(
      tokens.supervisor,
      'POST',
      `/api/dispatches/${dispatch.id}/approve`,
      {
        version: dispatch.version,
      },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    const accepted = await waitFor<Dispatch>(
      'the case accepted',
      async () => (await app.tcs.get(dispatch.id))!,
      (d) => d.state === 'accepted',
    );
    const filed = mock.cases().cases.find((c) => c.idempotencyKey === accepted.idempotencyKey);
    expect(filed?.body).toMatchObject({
      subject: {
        subjectId: 'U-1',
        name: '박지훈',
        licenceNumber: '12-18-654321-09',
        phone: '010-2222-3333',
        obligationStart: expect.stringMatching(/\+09:00$/),
        obligationEnd: expect.stringMatching(/\+09:00$/),
      },
      vehicle: { plate: '12가3456' },
      device: { deviceId: 'DEV-1', operatorName: '해운대안전장치' },
    });
  });
});

describe('closer monitoring and calibration follow-up', () => {
  it('three missed retests in the window raise one major repeated_minor violation', async () => {
    const now = Date.now();
    for (let i = 0; i < 2; i++) {
      await app.ingest.ingest(
        [
          eventRow(
            'DEV-2',
            { event_type: 'rolling_retest', result: 'missed', bac: null },
            now - (3 - i) * 60_000,
          ),
        ],
        now,
      );
    }
    expect(
      await app.interlock.list({ device: 'DEV-2', rule: ['repeated_minor'], limit: 5 }),
    ).toEqual([]);
    let subjects = (
      await call(tokens.operator, 'GET', '/api/registry/subjects?flagged=true')
    ).json<RegistrySubjectListResponse>().subjects;
    expect(subjects.map((s) => s.subjectId)).toEqual(['U-2']);
    expect(subjects[0]?.monitoring).toMatchObject({ flagged: true, minorCount: 2, escalations: 0 });

    await app.ingest.ingest(
      [eventRow('DEV-2', { event_type: 'rolling_retest', result: 'missed', bac: null }, now)],
      now,
    );
    const escalated = await app.interlock.list({
      device: 'DEV-2',
      rule: ['repeated_minor'],
      limit: 5,
    });
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({ grade: 'major', subject: { subjectId: 'U-2' } });
    expect(escalated[0]!.evidenceEventIds).toHaveLength(3);
    // A major violation: its INTERLOCK alert is raised like any other.
    expect(escalated[0]!.alertId).not.toBeNull();
    subjects = (
      await call(tokens.operator, 'GET', '/api/registry/subjects?flagged=true')
    ).json<RegistrySubjectListResponse>().subjects;
    expect(subjects[0]?.monitoring).toMatchObject({ minorCount: 3, escalations: 1 });
    expect(subjects[0]?.openViolations).toBe(1);

    // A redelivery of the same batch changes nothing.
    await app.interlock.checkOverdue();
    expect(
      await app.interlock.list({ device: 'DEV-2', rule: ['repeated_minor'], limit: 5 }),
    ).toHaveLength(1);
  });

  it('a failed calibration opens a re-calibration request; the next pass fulfils it', async () => {
    const failedAt = Date.now() - 60_000;
    await app.ingest.ingest(
      [eventRow('DEV-1', { event_type: 'calibration', result: 'fail', bac: null }, failedAt)],
      Date.now(),
    );
    const device = async () =>
      (await call(tokens.operator, 'GET', '/api/registry/devices'))
        .json<RegistryDeviceListResponse>()
        .devices.find((d) => d.deviceId === 'DEV-1')!;
    const open = await device();
    expect(open.recalibration).toMatchObject({ standing: 'open', dueMs: failedAt + 14 * DAY });
    const audit = await call(tokens.supervisor, 'GET', '/api/audit?action=calibration.request');
    expect(audit.json<AuditListResponse>().events).toHaveLength(1);

    await app.ingest.ingest(
      [eventRow('DEV-1', { event_type: 'calibration', result: 'pass', bac: null })],
      Date.now(),
    );
    const after = await device();
    expect(after.recalibration).toBeNull();
    // The pass restarted the six months: no longer due soon.
    expect(after.calibration).toBe('ok');
  });
});

describe('registry file import (CSV)', () => {
  it('reports rows accepted and refused per line and column; admins only; audited', async () => {
    const csv = [
      'user_id,name,license_number,phone,obligation_start,obligation_end,remark',
      'U-10,최민준,12-21-000111-22,010-7777-8888,2025-01-01,2027-01-01,ok',
      'U-11,,12-21-000111-23,010-7777-8889,2025-01-01,2027-01-01,no name',
      'U-12,정하늘,licence?,010-1,2025-13-01,2024-01-01,bad',
      'U-10,최민준,,,2025-01-01,2027-01-01,again',
      'U-13,"강, 다은",,,2025-02-01,2026-02-01',
    ].join('\n');
    const path = '/api/registry/import?kind=subjects&fileName=subjects.csv';
    const forbidden = await call(tokens.supervisor, 'POST', path, csv, {
      'content-type': 'text/csv',
    });
    expect(forbidden.statusCode).toBe(403);

    const response = await call(tokens.admin, 'POST', path, csv, { 'content-type': 'text/csv' });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json<RegistryImportReport>();
    expect(report).toMatchObject({ kind: 'subjects', rows: 5, accepted: 1, refused: 4 });
    expect(report.ignoredColumns).toEqual(['remark']);
    const at = (line: number) => report.problems.filter((p) => p.line === line);
    expect(at(3)).toEqual([{ line: 3, column: 'name', reason: 'name is required' }]);
    expect(
      at(4)
        .map((p) => p.column)
        .sort(),
    ).toEqual(['license_number', 'obligation_start', 'phone']);
    expect(at(5)).toEqual([{ line: 5, column: 'user_id', reason: 'user_id U-10 repeats line 2' }]);
    expect(at(6)[0]).toMatchObject({ column: null });

    const audit = await call(tokens.supervisor, 'GET', '/api/audit?action=registry.import');
    const [event] = audit.json<AuditListResponse>().events;
    expect(event).toMatchObject({ actor: 'admin', entityId: 'subjects' });
    expect(JSON.stringify(event)).not.toContain('최민준');

    const missingColumn = await call(tokens.admin, 'POST', path, 'user_id,name\nU-20,김하나', {
      'content-type': 'text/csv',
    });
    expect(missingColumn.statusCode).toBe(400);
    expect(missingColumn.json<{ error: { message: string } }>().error.message).toContain(
      'obligation_start',
    );
  });
});

describe('interlock KPIs (seed 001 §10)', () => {
  it('are in GET /api/kpis beside their targets', async () => {
    const response = await call(tokens.viewer, 'GET', '/api/kpis');
    expect(response.statusCode, response.body).toBe(200);
    const byId = new Map(response.json<KpiReport>().figures.map((f) => [f.id, f]));
    expect(byId.get('interlock_log_submission_rate')).toMatchObject({ target: 0.9, unit: 'ratio' });
    expect(byId.get('interlock_calibration_compliance')).toMatchObject({ target: 0.95 });
    // One failed and one passed calibration in the log.
    expect(byId.get('interlock_calibration_pass_rate')).toMatchObject({
      value: 0.5,
      target: 0.9,
      met: false,
      samples: 2,
    });
    // The start test and the three missed retests of this run.
    expect(byId.get('interlock_abnormal_logs_today')).toMatchObject({ target: null, met: null });
    expect(byId.get('interlock_abnormal_logs_today')!.value).toBeGreaterThanOrEqual(4);
  });
});
