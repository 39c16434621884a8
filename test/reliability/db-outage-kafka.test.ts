/**
 * Fault: the database dies (kill -9) for ~50 s while the relay consumes a real Kafka broker with a
 * consumer group of its own, 3,000 drowsy detections arrive, and people keep working.
 *
 * Promised: nothing lost, nothing doubled (every detection is exactly one alert source, and the
 * ingest counter says 3,000); the map keeps moving (position frames reach a socket client); the
 * API and socket commands answer 503 `store_unavailable` with a reason, `/metrics` keeps
 * answering 200, `/healthz` says the store is down and shows the lag growing; once the database
 * is back, the same commands succeed and every violation reaches the TCS stand-in exactly once.
 *
 * Real processes on loopback only: a private MariaDB (the shared one is never touched), a Kafka
 * broker, the relay as a child process, the TCS stand-in over HTTP.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection } from 'mysql2/promise';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '../../server/sim/kafka-producer';
import { openStore } from '../../server/store/database';
import { upsertMasterData } from '../../server/store/interlock-repository';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import type { Alert, AlertCommandResult, AlertListResponse } from '../../shared/alerts';
import type { LoginResponse } from '../../shared/auth';
import type {
  ClientToServerEvents,
  HealthSnapshot,
  ServerToClientEvents,
} from '../../shared/events';
import { decodePositionFrame } from '../../shared/frames';
import type {
  InterlockMasterData,
  RequestDispatchResponse,
  ViolationListResponse,
} from '../../shared/interlock';
import { formatKstIso } from '../../shared/time';
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { startPrivateMariaDb, type PrivateMariaDb } from '../support/private-mariadb';
import { startRelay, type RelayProcess } from '../support/relay-process';

const DATABASE = 'cr_outage';
const TCS_SECRET = 'tcs-reliability-secret-0123';
const DETECTIONS = 3_000;
const CARS = 30;
/** Detections go out in slices, spread over the first part of the outage. */
const DETECTION_SLICE = 250;
/** How long the database stays down: the fault list says 60 s. */
const OUTAGE_MS = 60_000;
/** Scrapes and probes during the outage. */
const PROBE_INTERVAL_MS = 2_000;
const POSITION_INTERVAL_MS = 1_000;
const CATCH_UP_TIMEOUT_MS = 90_000;
const DAY_MS = 86_400_000;
const WAIT_MS = 60_000;
const POLL_MS = 250;
/** Inside 부산진구. */
const LON = 129.05;
const LAT = 35.15;

let mariadb: PrivateMariaDb;
let broker: KafkaBroker;
let mock: TcsMock;
let relay: RelayProcess;
let producer: Producer;
let token: string;
/** Approves the admin's hand-off requests: nobody approves their own (four eyes). */
let supervisorToken: string;
const SUPERVISOR_PASSWORD = 'outage-second-pair-of-eyes-2026';
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

const sessionOf = (car: number) => `OUT-S${car}`;
const carOf = (car: number) => `OUT-C${car}`;

/** The relay's address without the trailing slash it prints. */
const base = () => relay.url.replace(/\/$/, '');

async function api(method: 'GET' | 'POST', path: string, body?: object, as: string = token) {
  const response = await fetch(`${base()}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${as}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}

async function send(topic: string, rows: object[]): Promise<void> {
  await producer.send({
    topic,
    messages: rows.map((row) => {
      const key = (row as { session_id?: string; car_id?: string; device_id?: string }) ?? {};
      return {
        key: key.session_id ?? key.car_id ?? key.device_id ?? null,
        value: JSON.stringify(row),
      };
    }),
  });
}

let positionTick = 0;
async function sendPositions(): Promise<void> {
  positionTick += 1;
  const rows = [];
  for (let car = 1; car <= CARS; car++) {
    rows.push({
      info_id: `${sessionOf(car)}-${positionTick}`,
      session_id: sessionOf(car),
      app_lat: LAT + car * 0.001 + positionTick * 0.00005,
      app_lon: LON + car * 0.001,
      speed: 40,
      app_rapid_acc: 0,
      app_weather_status: '맑음',
      dt: formatKstIso(Date.now()),
    });
  }
  await send('driving_session_info', rows);
}

function drowsy(n: number) {
  return {
    drowsy_id: `OUT-D${n}`,
    session_id: sessionOf((n % CARS) + 1),
    detected_at: formatKstIso(Date.now()),
    gaze_closure: 3,
    head_drop: 1,
  };
}

let eventCounter = 0;
function failedStartTest(deviceId: string) {
  return {
    event_id: `OUT-E${++eventCounter}`,
    device_id: deviceId,
    event_type: 'start_test',
    result: 'fail',
    bac: '0.081',
    lat: LAT,
    lon: LON,
    occurred_at: formatKstIso(Date.now()),
  };
}

function masterData(devices: number, nowMs: number): InterlockMasterData {
  const numbers = Array.from({ length: devices }, (_, i) => i + 1);
  return {
    operators: [
      {
        operatorId: 'ILO-OUT',
        companyName: '부산인터락서비스',
        status: 'active',
        approvedMs: nowMs - 100 * DAY_MS,
        contact: '051-555-0101',
      },
    ],
    subjects: numbers.map((n) => ({
      subjectId: `ILS-OUT-${n}`,
      name: '김민수',
      licenceNumber: '12-19-123456-78',
      phone: '010-1234-5678',
      obligationStartMs: nowMs - 30 * DAY_MS,
      obligationEndMs: nowMs + 300 * DAY_MS,
    })),
    devices: numbers.map((n) => ({
      deviceId: `ILD-OUT-${n}`,
      serialNumber: `BS25-9${String(n).padStart(5, '0')}`,
      model: 'BreathSafe K-200',
      installMs: nowMs - 30 * DAY_MS,
      lastCalibrationMs: nowMs - 20 * DAY_MS,
      lastLogSubmittedMs: nowMs - 5 * DAY_MS,
      subjectId: `ILS-OUT-${n}`,
      operatorId: 'ILO-OUT',
      carId: null,
      plate: `${40 + n}가${String(5000 + n).padStart(4, '0')}`,
    })),
  };
}

/** Reads until `done`, polling; fails naming `what` with the last value read. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      // What the relay says about itself is the first clue to why it did not happen.
      const relayHealth = await fetch(`${base()}/healthz`).then((r) => r.text(), String);
      console.error(`/healthz while waiting for ${what}: ${relayHealth}`);
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function metricValue(name: string, labels: string): Promise<number | null> {
  const response = await fetch(`${base()}/metrics`);
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : null;
}

async function health(): Promise<HealthSnapshot> {
  return (await (await fetch(`${base()}/healthz`)).json()) as HealthSnapshot;
}

async function withDatabase<T>(read: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection(mariadb.url(DATABASE));
  try {
    return await read(connection);
  } finally {
    await connection.end();
  }
}

async function drowsySources(): Promise<{ total: number; distinct: number; merged: number }> {
  return withDatabase(async (c) => {
    const [sources] = await c.query(
      "select count(*) as total, count(distinct source_id) as distinct_ids from alert_source where source_id like 'drowsy_drive:OUT-D%'",
    );
    const [alerts] = await c.query(
      "select coalesce(sum(merge_count), 0) as merged from alert where type = 'DROWSY'",
    );
    const s = (sources as { total: string | number; distinct_ids: string | number }[])[0]!;
    const a = (alerts as { merged: string | number }[])[0]!;
    return { total: Number(s.total), distinct: Number(s.distinct_ids), merged: Number(a.merged) };
  });
}

beforeAll(async () => {
  [mariadb, broker, mock] = await Promise.all([
    startPrivateMariaDb(),
    startKafkaBroker(),
    startTcsMock({ port: 0, secret: TCS_SECRET }),
  ]);
  await mariadb.createDatabase(DATABASE);
  // Interlock devices come from the operator's registry, not Kafka: put two in the store.
  const store = await openStore({ databaseUrl: mariadb.url(DATABASE), sqlitePath: ':memory:' });
  await upsertMasterData(store.db, 'mariadb', masterData(2, Date.now()), Date.now());
  await store.close();
  await ensureTopics([broker.brokers]);
  producer = new Kafka({
    clientId: 'outage-producer',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  relay = await startRelay({
    KAFKA_BROKERS: broker.brokers,
    KAFKA_GROUP_ID: `outage-${Date.now()}`,
    DATABASE_URL: mariadb.url(DATABASE),
    TCS_URL: mock.url,
    TCS_ALLOW_INSECURE_HTTP: 'true',
    TCS_SECRET,
    TCS_RETRY_BASE_MS: '200',
    SIM_VEHICLES: '0',
    LOG_LEVEL: 'info',
  });
  const login = await fetch(`${base()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  token = ((await login.json()) as LoginResponse).token;
  const created = await api('POST', '/api/users', {
    username: 'outage.supervisor',
    password: SUPERVISOR_PASSWORD,
    role: 'supervisor',
  });
  expect(created.status, created.text).toBe(201);
  const supervisorLogin = await fetch(`${base()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'outage.supervisor', password: SUPERVISOR_PASSWORD }),
  });
  supervisorToken = ((await supervisorLogin.json()) as LoginResponse).token;
});

afterAll(async (context) => {
  // The relay's own log says why a step did not happen.
  if (context.tasks.some((t) => t.result?.state === 'fail')) {
    console.error(relay?.output.slice(-80).join('\n'));
  }
  socket?.close();
  await relay?.stop();
  await producer?.disconnect().catch(() => undefined);
  await Promise.all([broker?.stop(), mariadb?.stop(), mock?.close()]);
});

describe('MariaDB killed for 60 s under a Kafka stream', () => {
  it('loses nothing, doubles nothing, keeps the map moving and answers 503 meanwhile', async () => {
    // ── Before: a fleet on the map, one drowsy alert, two major interlock violations ───────────
    await send(
      'uservehicle',
      Array.from({ length: CARS }, (_, i) => ({
        car_id: carOf(i + 1),
        age: 40,
        user_sex: '남',
        user_car_brand: '현대',
        car_plate_number: `${10 + i}나${String(1000 + i).padStart(4, '0')}`,
        updated_at: formatKstIso(Date.now()),
      })),
    );
    await send(
      'driving_session',
      Array.from({ length: CARS }, (_, i) => ({
        session_id: sessionOf(i + 1),
        car_id: carOf(i + 1),
        start_time: formatKstIso(Date.now() - 60_000),
        end_time: null,
      })),
    );
    await sendPositions();
    await send('drowsy_drive', [drowsy(0)]);
    await send('interlock_event', [failedStartTest('ILD-OUT-1'), failedStartTest('ILD-OUT-2')]);

    const [alert] = (await until(
      'the drowsy alert',
      async () => {
        const r = await api('GET', '/api/alerts?type=DROWSY');
        return r.status === 200 ? (r.json() as AlertListResponse).alerts : [];
      },
      (alerts) => alerts.length === 1,
    )) as [Alert];
    const violations = await until(
      'two violations',
      async () => {
        const r = await api('GET', '/api/violations');
        return r.status === 200 ? (r.json() as ViolationListResponse).violations : [];
      },
      (list) => list.length === 2,
    );

    socket = io(base(), { transports: ['websocket'], forceNew: true, auth: { token } });
    const movingFrames: number[] = [];
    socket.on('positions', (buffer) => {
      if (decodePositionFrame(buffer).count > 0) movingFrames.push(Date.now());
    });
    await expect.poll(() => movingFrames.length, { timeout: 20_000 }).toBeGreaterThan(0);
    // A fresh positions tick so the socket has a moving frame before the outage begins.
    await sendPositions();

    // ── The outage ───────────────────────────────────────────────────────────────────────────
    await mariadb.kill();
    const outageStarted = Date.now();
    const scrapes: number[] = [];
    const healthDuring: HealthSnapshot[] = [];
    const positionTimer = setInterval(
      () => void sendPositions().catch(() => undefined),
      POSITION_INTERVAL_MS,
    );
    const probeTimer = setInterval(() => {
      void fetch(`${base()}/metrics`)
        .then((r) => scrapes.push(r.status))
        .catch(() => scrapes.push(0));
      void health()
        .then((h) => healthDuring.push(h))
        .catch(() => undefined);
    }, PROBE_INTERVAL_MS);
    try {
      for (let sent = 0; sent < DETECTIONS; sent += DETECTION_SLICE) {
        const slice = Array.from({ length: DETECTION_SLICE }, (_, i) => drowsy(sent + i + 1));
        await send('drowsy_drive', slice);
      }

      // The API says why it cannot answer, not 500.
      const list = await api('GET', '/api/alerts');
      expect(list.status, list.text).toBe(503);
      expect(list.json()).toMatchObject({
        error: { code: 'store_unavailable', message: expect.stringMatching(/database/) },
      });
      const ack = await api('POST', `/api/alerts/${alert.id}/ack`, { version: alert.version });
      expect(ack.status, ack.text).toBe(503);
      const handOff = await api('POST', `/api/violations/${violations[0]!.id}/dispatch`, {
        note: 'start test 0.081%',
      });
      expect(handOff.status, handOff.text).toBe(503);
      expect(handOff.json()).toMatchObject({ error: { code: 'store_unavailable' } });
      const socketAck = (await socket.timeout(10_000).emitWithAck('alert:ack', {
        id: alert.id,
        version: alert.version,
      } as never)) as unknown as AlertCommandResult;
      expect(socketAck).toMatchObject({
        ok: false,
        error: { status: 503, code: 'store_unavailable' },
      });

      // /healthz says the store is down and the lag grows while detections wait.
      await expect
        .poll(async () => (await health()).storeStatus?.up, { timeout: 10_000 })
        .toBe(false);
      await expect
        .poll(async () => (await health()).consumerLag ?? 0, { timeout: 20_000, interval: 500 })
        .toBeGreaterThanOrEqual(DETECTIONS);

      // Hold the outage for its full length, the map moving all along.
      const framesAtStart = movingFrames.filter((t) => t >= outageStarted).length;
      await expect
        .poll(() => Date.now() - outageStarted, { timeout: OUTAGE_MS + 10_000, interval: 1_000 })
        .toBeGreaterThanOrEqual(OUTAGE_MS);
      const framesDuring = movingFrames.filter((t) => t >= outageStarted).length;
      expect(framesDuring - framesAtStart).toBeGreaterThan(OUTAGE_MS / POSITION_INTERVAL_MS / 2);
    } finally {
      clearInterval(positionTimer);
      clearInterval(probeTimer);
    }
    expect(scrapes.length).toBeGreaterThan(OUTAGE_MS / PROBE_INTERVAL_MS / 2);
    expect(
      scrapes.every((status) => status === 200),
      JSON.stringify(scrapes),
    ).toBe(true);
    expect(healthDuring.some((h) => h.status === 'degraded' && h.storeStatus?.up === false)).toBe(
      true,
    );

    // ── Back: everything stored exactly once ─────────────────────────────────────────────────
    await mariadb.start();
    const backAt = Date.now();
    await expect
      .poll(() => drowsySources().then((s) => s.total), {
        timeout: CATCH_UP_TIMEOUT_MS,
        interval: 1_000,
      })
      .toBe(DETECTIONS + 1);
    const caughtUpMs = Date.now() - backAt;
    const sources = await drowsySources();
    expect(sources).toEqual({
      total: DETECTIONS + 1,
      distinct: DETECTIONS + 1,
      merged: DETECTIONS + 1,
    });
    expect(await metricValue('relay_ingest_messages_total', 'topic="drowsy_drive"')).toBe(
      DETECTIONS + 1,
    );
    await expect.poll(async () => (await health()).storeStatus?.up, { timeout: 10_000 }).toBe(true);
    await expect
      .poll(async () => (await health()).consumerLag, { timeout: 20_000, interval: 500 })
      .toBe(0);

    // The same commands now succeed, and every violation reaches TCS exactly once.
    const current = ((await api('GET', '/api/alerts?type=DROWSY')).json() as AlertListResponse)
      .alerts[0]!;
    const ack = await api('POST', `/api/alerts/${current.id}/ack`, { version: current.version });
    expect(ack.status, ack.text).toBe(200);
    for (const violation of violations) {
      const requested = await api('POST', `/api/violations/${violation.id}/dispatch`, {
        note: 'start test 0.081%',
      });
      expect(requested.status, requested.text).toBe(201);
      const { dispatch } = requested.json() as RequestDispatchResponse;
      // Four eyes: a second person approves what the admin requested.
      const approved = await api(
        'POST',
        `/api/dispatches/${dispatch.id}/approve`,
        { version: dispatch.version },
        supervisorToken,
      );
      expect(approved.status, approved.text).toBe(200);
    }
    await expect
      .poll(() => mock.cases().cases.length, { timeout: 30_000, interval: 250 })
      .toBe(violations.length);
    const filed = mock
      .cases()
      .cases.map((c) => c.violationId)
      .sort();
    expect(filed).toEqual(violations.map((v) => v.id).sort());
    // Logged once per outage, not once per retry.
    const lines = (pattern: RegExp) => relay.output.filter((line) => pattern.test(line)).length;
    expect(lines(/store cannot take ingested messages/)).toBe(1);
    expect(lines(/store takes ingested messages again/)).toBe(1);
    console.info(
      `db outage: ${DETECTIONS} detections, outage ${OUTAGE_MS} ms, ${scrapes.length} scrapes all 200, ` +
        `caught up ${caughtUpMs} ms after the database came back`,
    );
  }, 240_000);
});
