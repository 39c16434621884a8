/**
 * The relay against a real Apache Kafka broker (KRaft, started from Kafka's jars) and a real
 * MariaDB: rows flow to Socket.IO clients and into the store; bad messages are quarantined without
 * stopping anything; a broker restart loses and doubles nothing; a relay restart resumes from its
 * committed offsets.
 */
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { ensureTopics } from '../../server/sim/kafka-producer';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import { decodePositionFrame } from '../../shared/frames';
import { formatKstIso } from '../../shared/time';
import type { VehicleEntry } from '../../shared/vehicles';
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const GROUP_ID = `it-relay-${Date.now()}`;
let broker: KafkaBroker;
let database: TestDatabase;
let producer: Producer;
let app: FastifyInstance | undefined;

async function startRelay(
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const relay = await buildApp(
    loadConfig({
      PORT: '0',
      KAFKA_BROKERS: broker.brokers,
      KAFKA_GROUP_ID: GROUP_ID,
      KAFKA_FROM_BEGINNING: 'true',
      DATABASE_URL: database.url,
      WRITE_SEED_TABLES: 'true',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOG_LEVEL: 'fatal', // the broker restart makes kafkajs log expected connection errors
      ...env,
    }),
  );
  const url = await relay.listen({ port: 0, host: '127.0.0.1' });
  await relay.kafkaSource!.joined;
  return { app: relay, url };
}

async function send(topic: string, rows: (object | string | null)[], key: string): Promise<void> {
  await producer.send({
    topic,
    messages: rows.map((row) => ({
      key,
      value: row === null ? null : typeof row === 'string' ? row : JSON.stringify(row),
    })),
  });
}

const T0 = Date.now() - 60_000;
const info = (session: string, n: number, extra: object = {}) => ({
  info_id: `${session}-${n}`,
  session_id: session,
  app_lat: (35.1 + n * 0.0001).toFixed(6), // numbers as strings, as Flink sometimes writes
  app_lon: 129.03,
  speed: 40,
  app_rapid_acc: 0,
  app_weather_status: '맑음',
  dt: formatKstIso(T0 + n * 1000), // zone-less KST
  ...extra,
});

async function countRows(relay: FastifyInstance, sessionId: string): Promise<number> {
  const row = await relay.store.db
    .selectFrom('driving_session_info')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function quarantined(relay: FastifyInstance): Promise<number> {
  const row = await relay.store.db
    .selectFrom('quarantined_message')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  [broker, database] = await Promise.all([startKafkaBroker(), createTestDatabase('cr_kafka')]);
  await ensureTopics([broker.brokers]);
  producer = new Kafka({
    clientId: 'it-producer',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 30, maxRetryTime: 2000 },
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  await app?.close();
  await producer?.disconnect().catch(() => undefined);
  await broker?.stop();
  await database?.drop();
});

describe('relay on Kafka and MariaDB', () => {
  it('delivers seed-format rows to a Socket.IO client and into MariaDB', async () => {
    const started = await startRelay();
    app = started.app;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(started.url, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token: await loginToken(app) },
    });
    const entries = new Map<string, VehicleEntry>();
    const lastLat = new Map<number, number>();
    socket.on('vehicles', (t) => t.entries.forEach((e) => entries.set(e.carId, e)));
    socket.on('positions', (buffer) => {
      const frame = decodePositionFrame(buffer);
      for (let i = 0; i < frame.count; i++) lastLat.set(frame.index[i]!, frame.lat[i]!);
    });

    await send(
      'uservehicle',
      [
        {
          car_id: 'K1',
          age: '52',
          user_sex: '여',
          user_car_brand: '제네시스',
          car_plate_number: '77다7777',
          updated_at: formatKstIso(T0),
        },
      ],
      'K1',
    );
    await send(
      'driving_session',
      [{ session_id: 'KS1', car_id: 'K1', start_time: formatKstIso(T0), end_time: null }],
      'KS1',
    );
    await send(
      'driving_session_info',
      [1, 2, 3, 4, 5].map((n) => info('KS1', n)),
      'KS1',
    );

    await expect.poll(() => entries.get('K1')?.plate, { timeout: 20_000 }).toBe('77다7777');
    const index = entries.get('K1')!.index;
    await expect.poll(() => lastLat.get(index), { timeout: 20_000 }).toBeCloseTo(35.1005, 4);
    // The driver's fields never travel in the table (GET /api/vehicles/:carId/driver has them).
    for (const field of ['age', 'ageBand', 'sex']) {
      expect(entries.get('K1')).not.toHaveProperty(field);
    }
    expect(app.fleet.driver('K1')).toMatchObject({ ageBand: 50, sex: '여' });
    expect(entries.get('K1')).toMatchObject({
      brand: '제네시스',
      sessionId: 'KS1',
    });
    await expect.poll(() => countRows(app!, 'KS1'), { timeout: 20_000 }).toBe(5);
    socket.close();

    const health = (await app.inject({ url: '/healthz' })).json();
    expect(health).toMatchObject({ source: 'kafka', store: 'mariadb', storeStatus: { up: true } });
    // Polled from the broker: settles at 0 once the last commit is read.
    await expect
      .poll(async () => (await app!.inject({ url: '/healthz' })).json().consumerLag, {
        timeout: 20_000,
      })
      .toBe(0);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /relay_consumer_lag_messages\{topic="driving_session_info",partition="\d"\} 0/,
    );
  });

  it('quarantines malformed and hostile messages, keeps every valid neighbour, stays alive', async () => {
    const relay = app!;
    const before = await quarantined(relay);
    const hostile: (string | null | object)[] = [
      '{"info_id": "x", "session_id": ', // truncated JSON
      'not json at all',
      '[1,2,3]',
      null, // tombstone
      JSON.stringify({
        info_id: 'KS2-bad',
        session_id: 'KS2',
        app_lat: 'north',
        app_lon: 129,
        dt: '2025-12-09T14:30:00',
      }),
      JSON.stringify({
        info_id: 'KS2-bad2',
        session_id: 'KS2',
        app_lat: 95,
        app_lon: 129,
        dt: 'tomorrow',
      }),
      JSON.stringify({ __proto__: { polluted: true }, info_id: 'KS2-bad3' }),
      Buffer.from([0xff, 0xfe, 0xfd]).toString('latin1'),
      '{"a":'.repeat(2000) + '1' + '}'.repeat(2000), // deeply nested
    ];
    await send(
      'driving_session',
      [{ session_id: 'KS2', car_id: 'K1', start_time: formatKstIso(T0 + 100_000), end_time: null }],
      'KS2',
    );
    const mixed: (string | object | null)[] = [];
    for (let n = 1; n <= hostile.length + 1; n++) {
      mixed.push(
        info('KS2', n, {
          dt: formatKstIso(T0 + 100_000 + n * 1000),
          SQL: "'; DROP TABLE driving_session_info; --",
        }),
      );
      if (n <= hostile.length) mixed.push(hostile[n - 1]!);
    }
    await send('driving_session_info', mixed, 'KS2');
    await expect.poll(() => countRows(relay, 'KS2'), { timeout: 20_000 }).toBe(hostile.length + 1);
    await expect.poll(() => quarantined(relay), { timeout: 20_000 }).toBe(before + hostile.length);
    const reasons = await relay.store.db
      .selectFrom('quarantined_message')
      .select(['reason', 'partition_no', 'offset_no'])
      .execute();
    expect(reasons.every((r) => r.partition_no !== null && r.offset_no !== null)).toBe(true);
    expect(reasons.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['not JSON', 'not a JSON object', 'empty message (tombstone)']),
    );
    expect((await relay.inject({ url: '/metrics' })).body).toMatch(
      new RegExp(
        `relay_ingest_quarantined_total\\{topic="driving_session_info"\\} ${hostile.length}`,
      ),
    );
    // Still consuming after all that.
    await send(
      'driving_session_info',
      [info('KS2', 99, { dt: formatKstIso(T0 + 300_000) })],
      'KS2',
    );
    await expect.poll(() => countRows(relay, 'KS2'), { timeout: 20_000 }).toBe(hostile.length + 2);
  });

  it('loses and doubles nothing when the broker restarts mid-stream', async () => {
    const relay = app!;
    const quarantinedBefore = await quarantined(relay);
    await send(
      'driving_session',
      [{ session_id: 'KS3', car_id: 'K1', start_time: formatKstIso(T0 + 400_000), end_time: null }],
      'KS3',
    );
    const total = 60;
    const sendOne = async (n: number) => {
      for (;;) {
        try {
          await send(
            'driving_session_info',
            [info('KS3', n, { dt: formatKstIso(T0 + 400_000 + n * 1000) })],
            'KS3',
          );
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 250)); // broker away: try again, as a producer would
        }
      }
    };
    for (let n = 1; n <= total / 2; n++) await sendOne(n);
    await broker.restart();
    for (let n = total / 2 + 1; n <= total; n++) await sendOne(n);
    await expect
      .poll(() => countRows(relay, 'KS3'), { timeout: 90_000, interval: 1000 })
      .toBe(total);
    const ids = await relay.store.db
      .selectFrom('driving_session_info')
      .select('info_id')
      .where('session_id', '=', 'KS3')
      .execute();
    expect(new Set(ids.map((r) => r.info_id)).size).toBe(total);
    expect(await quarantined(relay)).toBe(quarantinedBefore);
    const index = relay.fleet.indexOf('K1')!;
    await expect
      .poll(() => relay.fleet.position(index)?.lat, { timeout: 30_000 })
      .toBeCloseTo(35.1 + total * 0.0001, 5);
  }, 180_000);

  it('resumes from its committed offsets after a relay restart', async () => {
    await app!.close();
    app = undefined;
    await send(
      'driving_session',
      [{ session_id: 'KS4', car_id: 'K1', start_time: formatKstIso(T0 + 600_000), end_time: null }],
      'KS4',
    );
    await send(
      'driving_session_info',
      [1, 2, 3, 4].map((n) => info('KS4', n, { dt: formatKstIso(T0 + 600_000 + n * 1000) })),
      'KS4',
    );
    const restarted = await startRelay();
    app = restarted.app;
    await expect.poll(() => countRows(app!, 'KS4'), { timeout: 30_000 }).toBe(4);
    // Only what was produced while it was down: one session row and four positions.
    await expect.poll(() => app!.kafkaSource!.consumedMessages, { timeout: 10_000 }).toBe(5);
    // Master data came back from MariaDB, so the vehicle is known with its plate at once.
    expect(app.fleet.entry(app.fleet.indexOf('K1')!)?.plate).toBe('77다7777');
  }, 120_000);

  it('starts a new group at the look-back: recent detections become alerts, older ones do not', async () => {
    await app!.close();
    app = undefined;
    const HOUR_MS = 3_600_000;
    const detection = (id: string, atMs: number) => ({
      key: 'LB-S1',
      timestamp: String(atMs),
      value: JSON.stringify({
        drowsy_id: id,
        session_id: 'LB-S1',
        detected_at: formatKstIso(atMs),
        gaze_closure: 3,
        head_drop: 1,
      }),
    });
    // Produced (by timestamp) two hours ago, then five minutes ago: a look-back of an hour.
    await producer.send({
      topic: 'drowsy_drive',
      messages: [
        detection('LB-old-1', Date.now() - 2 * HOUR_MS),
        detection('LB-old-2', Date.now() - 2 * HOUR_MS),
        detection('LB-new-1', Date.now() - 5 * 60_000),
        detection('LB-new-2', Date.now() - 5 * 60_000),
      ],
    });
    const restarted = await startRelay({
      KAFKA_GROUP_ID: `${GROUP_ID}-lookback`,
      KAFKA_FROM_BEGINNING: 'false',
      KAFKA_NEW_GROUP_LOOKBACK_MINUTES: '60',
    });
    app = restarted.app;
    const sources = () =>
      app!.store.db
        .selectFrom('alert_source')
        .select('source_id')
        .where('source_id', 'like', 'drowsy_drive:LB-%')
        .execute()
        .then((rows) => rows.map((r) => r.source_id).sort());
    await expect
      .poll(sources, { timeout: 30_000 })
      .toEqual(['drowsy_drive:LB-new-1', 'drowsy_drive:LB-new-2']);
    expect((await app.inject({ url: '/metrics' })).body).toContain(
      'relay_ingest_messages_total{topic="drowsy_drive"} 2',
    );
  }, 120_000);
});
