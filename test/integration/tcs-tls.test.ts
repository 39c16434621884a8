/**
 * The TCS link over TLS (seed 001 §9, note 2: HTTPS, TLS 1.2 or later): the relay in process hands
 * a case to the stand-in serving HTTPS with a certificate from a private CA made for the test,
 * trusted through TCS_CA_FILE; the same stand-in without that CA, and a server that speaks only
 * TLS 1.1, are refused; an http:// TCS_URL without the development flag stops the start naming
 * TCS_URL. Also four eyes for admins.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RawMessage } from '../../server/ingest/pipeline';
import { caseBodyOf, TcsClient } from '../../server/tcs/tcs-client';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import { generateTcsMockCertificate, type TcsMockCertificate } from '../../server/tcs/tcs-mock-tls';
import type { LoginResponse } from '../../shared/auth';
import type {
  Dispatch,
  InterlockMasterData,
  RequestDispatchResponse,
  Violation,
} from '../../shared/interlock';
import { formatKstIso } from '../../shared/time';

const ROOT = resolve(import.meta.dirname, '../..');
const ADMIN_PASSWORD = 'chief-passphrase-for-tls-tests';
const PASSWORD = 'staff-password-for-tls-tests';
const TCS_SECRET = 'tcs-tls-secret-0123456789';
const WAIT_MS = 15_000;
const POLL_MS = 50;
const DAY = 86_400_000;
/** OpenSSL 3 refuses TLS 1.0/1.1 at its default security level; level 0 lets the old server talk. */
const LEGACY_CIPHERS = 'DEFAULT@SECLEVEL=0';

let dir: string;
let certificate: TcsMockCertificate;
let caFile: string;
let mock: TcsMock;
let app: FastifyInstance;
const tokens: Record<'admin' | 'operator' | 'sup1' | 'sup2', string> = {
  admin: '',
  operator: '',
  sup1: '',
  sup2: '',
};

function baseEnv(): Record<string, string> {
  return {
    PORT: '0',
    SQLITE_PATH: join(dir, 'relay.sqlite'),
    ADMIN_PASSWORD,
    JWT_SECRET: 'tls-integration-secret-0123456789abcdef',
    SIM_VEHICLES: '0',
    LOG_LEVEL: 'silent',
    TCS_SECRET,
    TCS_RETRY_BASE_MS: '100',
  };
}

let address = 0;
async function login(username: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: `10.17.0.${++address}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<LoginResponse>().token;
}

function call(token: string, path: string, payload: object = {}) {
  return app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: `Bearer ${token}` },
    payload,
  });
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
    last = await read();
  }
  return last;
}

let devices = 0;
/** A failed start test on a new device with an obliged driver: a major violation. */
async function majorViolation(): Promise<Violation> {
  const n = ++devices;
  const now = Date.now();
  const data: InterlockMasterData = {
    operators: [
      {
        operatorId: 'ILO-TLS',
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: now - 100 * DAY,
        contact: '051-555-0101',
      },
    ],
    subjects: [
      {
        subjectId: `ILS-TLS-${n}`,
        name: '박서준',
        licenceNumber: '12-19-654321-01',
        phone: '010-9876-5432',
        obligationStartMs: now - 30 * DAY,
        obligationEndMs: now + 300 * DAY,
      },
    ],
    devices: [
      {
        deviceId: `ILD-TLS-${n}`,
        serialNumber: `BS25-T${String(n).padStart(5, '0')}`,
        model: 'BreathSafe K-200',
        installMs: now - 30 * DAY,
        lastCalibrationMs: now - 20 * DAY,
        lastLogSubmittedMs: now - 5 * DAY,
        subjectId: `ILS-TLS-${n}`,
        operatorId: 'ILO-TLS',
        carId: null,
        plate: `${20 + n}나${String(2000 + n).padStart(4, '0')}`,
      },
    ],
  };
  await app.interlock.saveMasterData(data, now);
  const row: RawMessage = {
    topic: 'interlock_event',
    partition: null,
    offset: null,
    value: {
      event_id: `TLS-E${n}-${now}`,
      device_id: `ILD-TLS-${n}`,
      event_type: 'start_test',
      result: 'fail',
      bac: '0.092',
      lat: 35.15,
      lon: 129.05,
      occurred_at: formatKstIso(now),
    },
  };
  await app.ingest.ingest([row], now);
  const [violation] = await app.interlock.list({ device: `ILD-TLS-${n}`, limit: 1 });
  expect(violation).toBeDefined();
  return violation!;
}

async function requestDispatch(token: string): Promise<Dispatch> {
  const violation = await majorViolation();
  const response = await call(token, `/api/violations/${violation.id}/dispatch`, {});
  expect(response.statusCode, response.body).toBe(201);
  return response.json<RequestDispatchResponse>().dispatch;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cr-tcs-tls-'));
  certificate = await generateTcsMockCertificate();
  caFile = join(dir, 'tcs-ca.pem');
  writeFileSync(caFile, certificate.ca);
  mock = await startTcsMock({ port: 0, secret: TCS_SECRET, tls: certificate });
  app = await buildApp(loadConfig({ ...baseEnv(), TCS_URL: mock.url, TCS_CA_FILE: caFile }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  tokens.admin = await login('admin', ADMIN_PASSWORD);
  for (const [username, role] of [
    ['op1', 'operator'],
    ['sup1', 'supervisor'],
    ['sup2', 'supervisor'],
  ] as const) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { username, password: PASSWORD, role },
    });
    expect(created.statusCode, created.body).toBe(201);
  }
  tokens.operator = await login('op1', PASSWORD);
  tokens.sup1 = await login('sup1', PASSWORD);
  tokens.sup2 = await login('sup2', PASSWORD);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the TCS link over TLS', () => {
  it('hands a case to the HTTPS stand-in, trusted through TCS_CA_FILE, over TLS 1.2 or later', async () => {
    expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const dispatch = await requestDispatch(tokens.operator);
    const approved = await call(tokens.sup1, `/api/dispatches/${dispatch.id}/approve`, {
      version: dispatch.version,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const done = await waitFor(
      `dispatch ${dispatch.id} accepted`,
      async () => (await app.tcs.get(dispatch.id))!,
      (d) => d.state === 'accepted' || d.state === 'manual',
    );
    expect(done.state, done.lastError ?? '').toBe('accepted');
    const filed = mock.cases().cases.filter((c) => c.idempotencyKey === dispatch.idempotencyKey);
    expect(filed).toHaveLength(1);
    expect(filed[0]!.caseNumber).toBe(done.caseNumber);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(filed[0]!.tlsProtocol);
  });

  it('does not trust the stand-in without its CA (system CAs only): the attempt fails', async () => {
    const client = new TcsClient({ url: mock.url, secret: TCS_SECRET, timeoutMs: 5000 });
    const violation = await majorViolation();
    const result = await client.fileCase(
      caseBodyOf(violation, {
        idempotencyKey: 'tls-untrusted-1',
        requestedBy: 'op1',
        approvedBy: 'sup1',
      }),
    );
    client.close();
    expect(result.httpStatus).toBeNull();
    expect(result.answer).toMatchObject({ kind: 'retryable' });
    expect((result.answer as { error: string }).error).toMatch(/certificate/i);
    expect(mock.cases().attemptsByKey['tls-untrusted-1']).toBeUndefined();
  });

  it('refuses a server that speaks only TLS 1.1, which an old client can still reach', async () => {
    const legacy: Server = createHttpsServer(
      {
        cert: certificate.cert,
        key: certificate.key,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: LEGACY_CIPHERS,
      },
      (_req, res) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ caseNumber: 'TCS-LEGACY-1' }));
      },
    );
    await new Promise<void>((done) => legacy.listen(0, '127.0.0.1', done));
    const port = (legacy.address() as AddressInfo).port;
    try {
      // The control: the server really does answer TLS 1.1, so the refusal below is the floor.
      const spoken = await new Promise<string | null>((done, fail) => {
        const socket = connect(
          {
            host: '127.0.0.1',
            port,
            ca: certificate.ca,
            minVersion: 'TLSv1',
            maxVersion: 'TLSv1.1',
            ciphers: LEGACY_CIPHERS,
          },
          () => {
            done(socket.getProtocol());
            socket.end();
          },
        );
        socket.once('error', fail);
      });
      expect(spoken).toBe('TLSv1.1');

      const client = new TcsClient({
        url: `https://127.0.0.1:${port}`,
        secret: TCS_SECRET,
        timeoutMs: 5000,
        ca: certificate.ca,
      });
      const violation = await majorViolation();
      const result = await client.fileCase(
        caseBodyOf(violation, {
          idempotencyKey: 'tls-legacy-1',
          requestedBy: 'op1',
          approvedBy: 'sup1',
        }),
      );
      client.close();
      expect(result.httpStatus).toBeNull();
      expect(result.answer).toMatchObject({ kind: 'retryable' });
      expect((result.answer as { error: string }).error).toMatch(/protocol|version/i);
    } finally {
      legacy.closeAllConnections();
      await new Promise<void>((done) => legacy.close(() => done()));
    }
  });

  it('holds admins to four eyes: nobody approves a hand-off they requested (403 with the reason)', async () => {
    const dispatch = await requestDispatch(tokens.admin);
    const own = await call(tokens.admin, `/api/dispatches/${dispatch.id}/approve`, {
      version: dispatch.version,
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toMatchObject({ code: 'forbidden' });
    expect(own.json().error.message).toMatch(/requested by admin: another supervisor must approve/);
    expect((await app.tcs.get(dispatch.id))?.state).toBe('requested');
    const other = await call(tokens.sup2, `/api/dispatches/${dispatch.id}/approve`, {
      version: dispatch.version,
    });
    expect(other.statusCode, other.body).toBe(200);
  });
});

describe('TCS_URL must be https://', () => {
  it('refuses http:// without TCS_ALLOW_INSECURE_HTTP, naming TCS_URL; allows it with the flag', () => {
    const env = { ...baseEnv(), TCS_URL: 'http://127.0.0.1:8788' };
    expect(() => loadConfig(env)).toThrow(/^Invalid configuration: TCS_URL must be https:\/\//);
    expect(loadConfig({ ...env, TCS_ALLOW_INSECURE_HTTP: 'true' }).TCS_URL).toBe(
      'http://127.0.0.1:8788',
    );
  });

  it('stops the relay process with one line naming TCS_URL', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        SQLITE_PATH: join(dir, 'start.sqlite'),
        TCS_URL: 'http://tcs.example.go.kr/api',
        TCS_SECRET,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: TCS_URL must be https:\/\//);
    expect(result.stdout).not.toContain('RELAY_READY');
  });

  it('stops the start naming TCS_CA_FILE when it is missing or not a certificate', () => {
    const env = { ...baseEnv(), TCS_URL: 'https://tcs.example.go.kr/api' };
    expect(() => loadConfig({ ...env, TCS_CA_FILE: join(dir, 'missing.pem') })).toThrow(
      /^Invalid configuration: TCS_CA_FILE cannot be read/,
    );
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => loadConfig({ ...env, TCS_CA_FILE: notPem })).toThrow(
      /^Invalid configuration: TCS_CA_FILE holds no PEM certificate/,
    );
  });
});
