/**
 * Fault: the Kafka broker is killed (kill -9, no clean shutdown) in the middle of a stream of
 * drowsy detections and comes back 20 s later on the same port and data.
 *
 * Promised: nothing lost, nothing doubled — every detection is exactly one alert source, and the
 * relay's ingest counter equals the messages in the topic (each counted once, even those it stored
 * but could not commit before the broker died and so reads again).
 *
 * Real processes on loopback: the broker, the relay as a child process, the shared MariaDB (a
 * fresh database; it is not the part that fails here).
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '../../server/sim/kafka-producer';
import { formatKstIso } from '../../shared/time';
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';
import { startRelay, type RelayProcess } from '../support/relay-process';

const DETECTIONS = 3_000;
const SLICE = 100;
/** Slices go out this often: the stream lasts ~6 s plus the time the broker is away. */
const SLICE_INTERVAL_MS = 200;
/** The broker dies once this many slices are acknowledged. */
const KILL_AFTER_SLICES = DETECTIONS / SLICE / 2;
const BROKER_DOWN_MS = 20_000;
const RETRY_SEND_MS = 500;
const CATCH_UP_TIMEOUT_MS = 120_000;
const SESSIONS = 20;

let broker: KafkaBroker;
let database: TestDatabase;
let relay: RelayProcess;
let producer: Producer;

const base = () => relay.url.replace(/\/$/, '');

function drowsy(n: number) {
  return {
    drowsy_id: `KILL-D${n}`,
    session_id: `KILL-S${n % SESSIONS}`,
    detected_at: formatKstIso(Date.now()),
    gaze_closure: 4,
    head_drop: 1,
  };
}

/** Sends a slice, trying again while the broker is away (as a real producer would). */
async function sendSlice(first: number): Promise<void> {
  const messages = Array.from({ length: SLICE }, (_, i) => {
    const row = drowsy(first + i);
    return { key: row.session_id, value: JSON.stringify(row) };
  });
  for (;;) {
    try {
      await producer.send({ topic: 'drowsy_drive', messages });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, RETRY_SEND_MS));
    }
  }
}

async function alertSources(): Promise<{ total: number; distinct: number }> {
  const connection = await createConnection(database.url);
  try {
    const [rows] = await connection.query(
      "select count(*) as total, count(distinct source_id) as distinct_ids from alert_source where source_id like 'drowsy_drive:KILL-D%'",
    );
    const row = (rows as { total: string | number; distinct_ids: string | number }[])[0]!;
    return { total: Number(row.total), distinct: Number(row.distinct_ids) };
  } finally {
    await connection.end();
  }
}

async function ingestCounter(): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('relay_ingest_messages_total{topic="drowsy_drive"}'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Messages in the topic: what the relay must have counted, once each. */
async function messagesInTopic(): Promise<number> {
  const admin = new Kafka({
    clientId: 'hard-kill-admin',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets('drowsy_drive');
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  [broker, database] = await Promise.all([startKafkaBroker(), createTestDatabase('cr_kafkakill')]);
  await ensureTopics([broker.brokers]);
  producer = new Kafka({
    clientId: 'hard-kill-producer',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 1_000 },
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  relay = await startRelay({
    KAFKA_BROKERS: broker.brokers,
    KAFKA_GROUP_ID: `hard-kill-${Date.now()}`,
    DATABASE_URL: database.url,
    SIM_VEHICLES: '0',
    LOG_LEVEL: 'error',
  });
});

afterAll(async (suite) => {
  if (suite.tasks.some((t) => t.result?.state === 'fail')) {
    console.error(relay?.output.slice(-60).join('\n'));
  }
  await relay?.stop();
  await producer?.disconnect().catch(() => undefined);
  await broker?.stop();
  await database?.drop();
});

describe('Kafka broker killed (-9) mid-stream, back after 20 s', () => {
  it('loses nothing and doubles nothing', async () => {
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    for (let slice = 0; slice < DETECTIONS / SLICE; slice++) {
      await sendSlice(slice * SLICE + 1);
      if (slice + 1 === KILL_AFTER_SLICES) {
        // Mid-stream: the relay is still working through what was just produced.
        await broker.kill();
        killedAt = Date.now();
        killed = new Promise<void>((resolve) => setTimeout(resolve, BROKER_DOWN_MS)).then(() =>
          broker.start(),
        );
        await killed;
      }
      await new Promise((resolve) => setTimeout(resolve, SLICE_INTERVAL_MS));
    }
    expect(killedAt).toBeGreaterThan(0);
    const backAt = Date.now();

    await expect
      .poll(() => alertSources().then((s) => s.total), {
        timeout: CATCH_UP_TIMEOUT_MS,
        interval: 1_000,
      })
      .toBe(DETECTIONS);
    const caughtUpMs = Date.now() - backAt;
    expect(await alertSources()).toEqual({ total: DETECTIONS, distinct: DETECTIONS });
    const inTopic = await messagesInTopic();
    expect(inTopic).toBeGreaterThanOrEqual(DETECTIONS);
    await expect.poll(ingestCounter, { timeout: 10_000 }).toBe(inTopic);
    console.info(
      `kafka hard kill: ${DETECTIONS} detections (${inTopic} messages in the topic), broker down ` +
        `${BROKER_DOWN_MS} ms, all stored ${caughtUpMs} ms after the last slice`,
    );
  }, 240_000);
});
