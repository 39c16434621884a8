/**
 * A local stand-in for the police TCS (`npm run tcs-mock`), for demos and tests: a real HTTP
 * server (HTTPS with `tls`, or TCS_MOCK_TLS=true: a certificate from a private CA made at start)
 * that checks signatures and timestamp freshness, files at most one case per idempotency key, and
 * can be switched into failure modes.
 *
 * - `POST /cases`: 401 on a bad signature or stale timestamp; then by mode: `accept` → 201
 *   `{caseNumber}` (200 with the same case number for a key it knows), `reject` → 422, `fail` →
 *   503, `timeout` → files the case and never answers, `slow` → answers after `delayMs`.
 * - `POST /__mode` `{mode, count?, delayMs?}`: `count` requests in that mode, then back to accept
 *   (no count: until changed). `GET /__mode` shows it.
 * - `GET /cases`: the cases filed, with how many requests came for each key.
 * - `POST /__reset`: forgets everything (tests).
 *
 * Cases live in memory: a restarted mock has forgotten them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatKstIso } from '../../shared/time';
import { ConfigError, loadConfig } from '../config';
import {
  DEFAULT_MOCK_MODE,
  DEFAULT_SLOW_MS,
  describeMode,
  MAX_DELAY_MS,
  TCS_MOCK_MODES,
  type TcsMockMode,
  type TcsMockModeName,
} from './tcs-mock-mode';
import { TCS_MIN_TLS_VERSION } from './tcs-client';
import { generateTcsMockCertificate, type TcsMockCertificate } from './tcs-mock-tls';
import { isFreshTimestamp, TCS_HEADERS, verifyTcsSignature } from './tcs-signature';

export { describeMode, parseMockMode, type TcsMockMode } from './tcs-mock-mode';

export interface TcsMockCase {
  caseNumber: string;
  idempotencyKey: string;
  violationId: number | null;
  rule: string | null;
  /** Requests that came with this key (failed, hung and duplicate ones included). */
  attempts: number;
  /** The TLS version the case came over (`TLSv1.3`), or null over plain HTTP. */
  tlsProtocol: string | null;
  filedAt: string;
  body: unknown;
}

export interface TcsMockCasesResponse {
  cases: TcsMockCase[];
  /** Requests per idempotency key, also for keys that never became a case (fail, reject). */
  attemptsByKey: Record<string, number>;
  requests: { total: number; unauthorized: number };
}

export interface TcsMockOptions {
  port?: number;
  host?: string;
  secret: string;
  mode?: TcsMockMode;
  /** One line per request; silent when not given. */
  log?: (line: string) => void;
  now?: () => number;
  /**
   * Serve HTTPS (TLS 1.2 or later) instead of HTTP: `true` makes a fresh private CA and server
   * certificate (see `ca` on the result), or give a certificate of your own.
   */
  tls?: boolean | Pick<TcsMockCertificate, 'cert' | 'key'>;
}

export interface TcsMock {
  url: string;
  port: number;
  /** With `tls: true`: the PEM of the authority to trust (the relay's TCS_CA_FILE); else null. */
  ca: string | null;
  mode(): TcsMockMode;
  setMode(mode: TcsMockMode): void;
  cases(): TcsMockCasesResponse;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const STATUS = {
  ok: 200,
  created: 201,
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  tooLarge: 413,
  unprocessable: 422,
  unavailable: 503,
} as const;

/** Checks a `POST /__mode` body. */
function modeFromBody(body: unknown): TcsMockMode | string {
  if (body === null || typeof body !== 'object') return 'body must be {mode, count?, delayMs?}';
  const { mode, count, delayMs } = body as { mode?: unknown; count?: unknown; delayMs?: unknown };
  if (typeof mode !== 'string' || !TCS_MOCK_MODES.includes(mode as TcsMockModeName)) {
    return `mode must be one of ${TCS_MOCK_MODES.join(', ')}`;
  }
  const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (count !== undefined && count !== null && !whole(count)) return 'count must be a whole number';
  if (delayMs !== undefined && !whole(delayMs)) return 'delayMs must be a whole number';
  return {
    mode: mode as TcsMockModeName,
    count: mode === 'accept' ? null : ((count as number | null | undefined) ?? null),
    delayMs: Math.min(
      (delayMs as number | undefined) ?? (mode === 'slow' ? DEFAULT_SLOW_MS : 0),
      MAX_DELAY_MS,
    ),
  };
}

export async function startTcsMock(options: TcsMockOptions): Promise<TcsMock> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let mode: TcsMockMode = { ...(options.mode ?? DEFAULT_MOCK_MODE) };
  let cases = new Map<string, TcsMockCase>();
  let attempts = new Map<string, number>();
  let caseSeq = 0;
  let total = 0;
  let unauthorized = 0;
  /** Hung answers (timeout mode), ended when the mock closes. */
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { error: { code, message } });

  /** The mode this request gets; a counted mode runs out into accept. */
  const takeMode = (): TcsMockMode => {
    const current = mode;
    if (current.count === null) return current;
    if (current.count <= 0) {
      mode = { ...DEFAULT_MOCK_MODE };
      return mode;
    }
    mode = current.count > 1 ? { ...current, count: current.count - 1 } : { ...DEFAULT_MOCK_MODE };
    return current;
  };

  const file = (key: string, body: unknown): { record: TcsMockCase; created: boolean } => {
    const existing = cases.get(key);
    if (existing) return { record: existing, created: false };
    const violation =
      body !== null && typeof body === 'object'
        ? (body as { violation?: unknown }).violation
        : null;
    const v = violation !== null && typeof violation === 'object' ? violation : {};
    const record: TcsMockCase = {
      caseNumber: `TCS-${formatKstIso(now()).slice(0, 10).replaceAll('-', '')}-${String(++caseSeq).padStart(6, '0')}`,
      idempotencyKey: key,
      violationId: typeof (v as { id?: unknown }).id === 'number' ? (v as { id: number }).id : null,
      rule:
        typeof (v as { rule?: unknown }).rule === 'string' ? (v as { rule: string }).rule : null,
      attempts: 0,
      tlsProtocol: null,
      filedAt: new Date(now()).toISOString(),
      body,
    };
    cases.set(key, record);
    return { record, created: true };
  };

  const handleCase = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    total++;
    const timestamp = header(req, TCS_HEADERS.timestamp);
    const signature = header(req, TCS_HEADERS.signature);
    const key = header(req, TCS_HEADERS.idempotencyKey);
    if (!timestamp || !isFreshTimestamp(timestamp, now())) {
      unauthorized++;
      log(`POST /cases → 401 (stale or missing ${TCS_HEADERS.timestamp})`);
      return error(
        res,
        STATUS.unauthorized,
        'stale_timestamp',
        'X-TCS-Timestamp missing or not fresh',
      );
    }
    if (!signature || !verifyTcsSignature(options.secret, timestamp, text, signature)) {
      unauthorized++;
      log('POST /cases → 401 (bad signature)');
      return error(res, STATUS.unauthorized, 'bad_signature', 'X-TCS-Signature does not match');
    }
    if (!key) return error(res, STATUS.badRequest, 'missing_key', 'Idempotency-Key is required');
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return error(res, STATUS.badRequest, 'bad_json', 'body is not JSON');
    }
    const seen = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, seen);
    const known = cases.get(key);
    if (known) known.attempts = seen;
    const current = takeMode();
    const short = key.slice(0, 12);
    switch (current.mode) {
      case 'fail':
        log(`POST /cases key=${short}… → 503 (fail mode)`);
        return error(res, STATUS.unavailable, 'unavailable', 'TCS is temporarily unavailable');
      case 'reject':
        log(`POST /cases key=${short}… → 422 (reject mode)`);
        return error(
          res,
          STATUS.unprocessable,
          'invalid_case',
          'TCS refused the case (reject mode)',
        );
      case 'timeout': {
        // Filed, but the answer never comes: the sender must retry with the same key and get
        // this very case back, never a second one.
        const { record } = file(key, body);
        record.attempts = seen;
        log(`POST /cases key=${short}… → (no answer; filed ${record.caseNumber})`);
        hanging.add(res);
        res.once('close', () => hanging.delete(res));
        return;
      }
      case 'slow':
        await new Promise((done) => setTimeout(done, current.delayMs));
        break;
      case 'accept':
        break;
    }
    const { record, created } = file(key, body);
    record.attempts = seen;
    record.tlsProtocol = tlsProtocolOf(req);
    log(`POST /cases key=${short}… → ${created ? 201 : 200} ${record.caseNumber}`);
    send(res, created ? STATUS.created : STATUS.ok, {
      caseNumber: record.caseNumber,
      status: 'accepted',
      duplicate: !created,
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://mock').pathname;
    if (req.method === 'GET' && path === '/cases') {
      return send(res, STATUS.ok, snapshot());
    }
    if (req.method === 'GET' && (path === '/__mode' || path === '/healthz')) {
      return send(res, STATUS.ok, { ok: true, mode });
    }
    if (req.method === 'POST' && path === '/__reset') {
      reset();
      return send(res, STATUS.ok, { ok: true });
    }
    if (req.method !== 'POST' || (path !== '/cases' && path !== '/__mode')) {
      return error(res, STATUS.notFound, 'not_found', `no route for ${req.method} ${path}`);
    }
    const text = await readBody(req);
    if (text === null) return error(res, STATUS.tooLarge, 'too_large', 'body too large');
    if (path === '/cases') return handleCase(req, res, text);
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return error(res, STATUS.badRequest, 'bad_json', 'body is not JSON');
    }
    const next = modeFromBody(body);
    if (typeof next === 'string') return error(res, STATUS.badRequest, 'bad_mode', next);
    mode = next;
    log(`mode → ${describeMode(mode)}`);
    return send(res, STATUS.ok, { ok: true, mode });
  };

  const snapshot = (): TcsMockCasesResponse => ({
    cases: [...cases.values()].map((c) => ({ ...c })),
    attemptsByKey: Object.fromEntries(attempts),
    requests: { total, unauthorized },
  });
  const reset = () => {
    cases = new Map();
    attempts = new Map();
    total = 0;
    unauthorized = 0;
    mode = { ...DEFAULT_MOCK_MODE };
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      log(`error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) error(res, 500, 'internal', 'mock failed');
    });
  };
  const generated = options.tls === true ? await generateTcsMockCertificate() : null;
  const certificate = generated ?? (typeof options.tls === 'object' ? options.tls : null);
  const server = certificate
    ? createHttpsServer(
        { cert: certificate.cert, key: certificate.key, minVersion: TCS_MIN_TLS_VERSION },
        handler,
      )
    : createServer(handler);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${certificate ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    ca: generated?.ca ?? null,
    mode: () => ({ ...mode }),
    setMode: (next) => {
      mode = { ...next };
    },
    cases: snapshot,
    reset,
    close: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function tlsProtocolOf(req: IncomingMessage): string | null {
  const socket = req.socket as Partial<TLSSocket>;
  return typeof socket.getProtocol === 'function' ? socket.getProtocol() : null;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? null : first.trim();
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ── `npm run tcs-mock` ─────────────────────────────────────────────────────────────────────────

/** Where `TCS_MOCK_TLS=true npm run tcs-mock` writes the authority the relay must trust. */
const MOCK_CA_FILE = 'data/tcs-mock-ca.pem';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.TCS_SECRET) {
    process.stderr.write(
      'TCS_SECRET is not set: the mock checks request signatures with it (give the relay the same TCS_SECRET)\n',
    );
    process.exit(1);
  }
  const mock = await startTcsMock({
    port: config.TCS_MOCK_PORT,
    secret: config.TCS_SECRET,
    mode: config.TCS_MOCK_MODE,
    tls: config.TCS_MOCK_TLS,
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  let relayHint = `TCS_URL=${mock.url} TCS_ALLOW_INSECURE_HTTP=true`;
  if (mock.ca !== null) {
    // The relay pins this authority for the link; a fresh one is made at every start.
    const caFile = resolve(MOCK_CA_FILE);
    mkdirSync(dirname(caFile), { recursive: true });
    writeFileSync(caFile, mock.ca);
    relayHint = `TCS_URL=${mock.url} TCS_CA_FILE=${caFile}`;
  }
  process.stdout.write(
    `TCS mock listening on ${mock.url} (mode ${describeMode(mock.mode())}); relay: ${relayHint}\n`,
  );
  const stop = () => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invoked = process.argv[1];
if (invoked && import.meta.url === pathToFileURL(resolve(invoked)).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`tcs-mock failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
