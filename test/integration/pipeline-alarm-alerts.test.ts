/**
 * Pipeline alarms in the inbox (issue 15 §5, DESIGN §14) against a real Kafka broker and MariaDB:
 * with a tiny lag threshold, a consumer held inside one batch falls behind the messages produced
 * after it — real lag, read from the broker — and a PIPELINE_HEALTH alert appears in the inbox;
 * once the consumer catches up, `system` resolves it with its note. One alert, however often the
 * alarm is evaluated, and however often the same episode is raised again (a restart).
 */
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { CLEAR_NOTES, pipelineAlarmDetection } from '../../server/domain/pipeline-alerts';
import { ensureTopics } from '../../server/sim/kafka-producer';
import type { Alert, AlertListResponse } from '../../shared/alerts';
import { formatKstIso } from '../../shared/time';
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

/** The alarm's threshold here: a handful of messages behind is "lagging". */
const LAG_THRESHOLD = 5;
/** Messages produced while the consumer is held: well over the threshold. */
const BACKLOG = 20;
/** Lag is polled every 5 s and alarms evaluated every 5 s: an alert shows within ~10 s. */
const ALARM_TIMEOUT_MS = 30_000;
/** The shortest stall window the configuration allows. */
const STALL_MINUTES = 1;
/** The stalled topic's alarm: its minute of silence, then up to one 5 s evaluation, and slack. */
const STALL_TIMEOUT_MS = STALL_MINUTES * 60_000 + 30_000;
/** Positions keep flowing this often while the other topic is silent ("while others flow"). */
const FLOW_INTERVAL_MS = 1_000;
/** Rows on the topic that will stall, a second apart, so its cadence is known to be 1 Hz. */
const CADENCE_ROWS = 5;
const HELD_SESSION = 'LAG-HOLD';

let broker: KafkaBroker;
let database: TestDatabase;
let producer: Producer;
let app: FastifyInstance | undefined;
let releaseHeldBatch: () => void = () => undefined;

const T0 = Date.now() - 60_000;
const info = (session: string, n: number) => ({
  info_id: `${session}-${n}`,
  session_id: session,
  app_lat: 35.1 + n * 0.0001,
  app_lon: 129.03,
  speed: 40,
  app_rapid_acc: 0,
  app_weather_status: '맑음',
  dt: formatKstIso(T0 + n * 1000),
});

async function send(topic: string, rows: object[], key: string): Promise<void> {
  await producer.send({
    topic,
    messages: rows.map((row) => ({ key, value: JSON.stringify(row) })),
  });
}

const vehicle = (carId: string, n: number) => ({
  car_id: carId,
  age: 40,
  user_sex: '남',
  user_car_brand: '현대',
  updated_at: formatKstIso(Date.now() + n),
});

async function pipelineAlerts(relay: FastifyInstance, token: string): Promise<Alert[]> {
  const response = await relay.inject({
    url: '/api/alerts?type=PIPELINE_HEALTH',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json<AlertListResponse>().alerts;
}

beforeAll(async () => {
  [broker, database] = await Promise.all([startKafkaBroker(), createTestDatabase('cr_pipealarm')]);
  await ensureTopics([broker.brokers]);
  producer = new Kafka({
    clientId: 'it-pipeline-alarm-producer',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 30, maxRetryTime: 2000 },
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  releaseHeldBatch();
  await app?.close();
  await producer?.disconnect().catch(() => undefined);
  await broker?.stop();
  await database?.drop();
});

describe('pipeline alarms as system alerts', () => {
  it('raises a PIPELINE_HEALTH alert on consumer lag and clears it when the consumer catches up', async () => {
    app = await buildApp(
      loadConfig({
        PORT: '0',
        KAFKA_BROKERS: broker.brokers,
        KAFKA_GROUP_ID: `it-pipeline-alarm-${Date.now()}`,
        KAFKA_FROM_BEGINNING: 'true',
        DATABASE_URL: database.url,
        WRITE_SEED_TABLES: 'true',
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        PIPELINE_LAG_ALARM: String(LAG_THRESHOLD),
        LOG_LEVEL: 'fatal',
      }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    await app.kafkaSource!.joined;
    const relay = app;
    const token = await loginToken(relay);

    // Hold the consumer inside the batch of one marked row: nothing after it is consumed or
    // committed, so what is produced next is real lag on the broker.
    let held = false;
    const released = new Promise<void>((resolve) => {
      releaseHeldBatch = resolve;
    });
    relay.ingest.addAfterApply(async (rows) => {
      if (rows.driving_session_info.some((r) => r.session_id === HELD_SESSION)) {
        held = true;
        await released;
      }
    });
    await send('driving_session_info', [info(HELD_SESSION, 0)], HELD_SESSION);
    await expect.poll(() => held, { timeout: ALARM_TIMEOUT_MS }).toBe(true);
    await send(
      'driving_session_info',
      Array.from({ length: BACKLOG }, (_, i) => info(HELD_SESSION, i + 1)),
      HELD_SESSION,
    );

    await expect
      .poll(async () => (await pipelineAlerts(relay, token)).length, {
        timeout: ALARM_TIMEOUT_MS,
      })
      .toBe(1);
    const [raised] = await pipelineAlerts(relay, token);
    expect(raised).toMatchObject({
      type: 'PIPELINE_HEALTH',
      status: 'new',
      severity: 'high',
      carId: null,
      plate: null,
      lon: null,
      lat: null,
      districtCode: null,
      maskedFields: [],
      evidence: { type: 'PIPELINE_HEALTH', alarm: 'consumer_lag', topic: null, threshold: 5 },
    });
    if (raised!.evidence.type !== 'PIPELINE_HEALTH') throw new Error('not a pipeline alert');
    expect(raised!.evidence.value).toBeGreaterThan(LAG_THRESHOLD);

    // What a restarted relay (or the next lease holder) does with the same alarm: the same
    // episode is recognised by its natural key; a new episode of the still-open alarm merges.
    const episode = {
      key: 'consumer_lag',
      kind: 'consumer_lag' as const,
      topic: null,
      sinceMs: raised!.evidence.sinceMs,
      value: raised!.evidence.value,
      threshold: LAG_THRESHOLD,
    };
    await relay.alerts.ingest([pipelineAlarmDetection(episode, Date.now())], Date.now());
    expect(await pipelineAlerts(relay, token)).toMatchObject([{ id: raised!.id, count: 1 }]);
    const nextEpisode = { ...episode, sinceMs: episode.sinceMs + 1 };
    await relay.alerts.ingest([pipelineAlarmDetection(nextEpisode, Date.now())], Date.now());
    expect(await pipelineAlerts(relay, token)).toMatchObject([{ id: raised!.id, count: 2 }]);

    releaseHeldBatch();
    await expect
      .poll(async () => (await pipelineAlerts(relay, token))[0]?.status, {
        timeout: ALARM_TIMEOUT_MS,
      })
      .toBe('resolved');
    const alerts = await pipelineAlerts(relay, token);
    // Every evaluation while the alarm was on saw the open alert: still exactly one.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: raised!.id,
      resolvedBy: 'system',
      resolution: 'handled',
      resolutionNote: CLEAR_NOTES.consumer_lag,
    });

    // Both changes went through the one change feed: audited, by system.
    const audit = await relay.store.db
      .selectFrom('audit_event')
      .select(['action', 'actor', 'actor_role'])
      .where('entity_type', '=', 'alert')
      .where('entity_id', '=', String(raised!.id))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'alert.create', actor: 'system', actor_role: 'system' },
      { action: 'alert.merge', actor: 'system', actor_role: 'system' },
      { action: 'alert.resolve', actor: 'system', actor_role: 'system' },
    ]);
  });

  it(
    'raises a PIPELINE_HEALTH alert for a topic silent past its window while others flow, and clears it when the topic delivers',
    async () => {
      await app?.close();
      app = await buildApp(
        loadConfig({
          PORT: '0',
          KAFKA_BROKERS: broker.brokers,
          KAFKA_GROUP_ID: `it-pipeline-stall-${Date.now()}`,
          DATABASE_URL: database.url,
          WRITE_SEED_TABLES: 'true',
          ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
          PIPELINE_STALLED_TOPIC_MINUTES: String(STALL_MINUTES),
          LOG_LEVEL: 'fatal',
        }),
      );
      await app.listen({ port: 0, host: '127.0.0.1' });
      await app.kafkaSource!.joined;
      const relay = app;
      const token = await loginToken(relay);
      const stalledAlert = async () =>
        (await pipelineAlerts(relay, token)).find(
          (a) => a.evidence.type === 'PIPELINE_HEALTH' && a.evidence.topic === 'uservehicle',
        );

      // Positions flow all along: the feed is alive, one topic goes quiet.
      let position = 0;
      const flow = setInterval(() => {
        void send('driving_session_info', [info('STALL-FLOW', ++position)], 'STALL-FLOW');
      }, FLOW_INTERVAL_MS);
      try {
        // The topic that will stall delivers at 1 Hz first (its cadence), then stops.
        let delivered = 0;
        const cadence = setInterval(() => {
          if (delivered < CADENCE_ROWS) {
            void send('uservehicle', [vehicle('STALL-CAR', ++delivered)], 'STALL-CAR');
          }
        }, FLOW_INTERVAL_MS);
        await expect.poll(() => delivered, { timeout: ALARM_TIMEOUT_MS }).toBe(CADENCE_ROWS);
        clearInterval(cadence);

        await expect
          .poll(async () => (await stalledAlert())?.status, {
            timeout: STALL_TIMEOUT_MS,
            interval: 2_000,
          })
          .toBe('new');
        const raised = (await stalledAlert())!;
        expect(raised).toMatchObject({
          type: 'PIPELINE_HEALTH',
          severity: 'medium',
          carId: null,
          evidence: { type: 'PIPELINE_HEALTH', alarm: 'topic_stalled', topic: 'uservehicle' },
        });
        if (raised.evidence.type !== 'PIPELINE_HEALTH') throw new Error('not a pipeline alert');
        expect(raised.evidence.value).toBeGreaterThanOrEqual(STALL_MINUTES * 60_000);

        // The topic delivers again: the relay resolves its alert itself.
        await send('uservehicle', [vehicle('STALL-CAR', CADENCE_ROWS + 1)], 'STALL-CAR');
        await expect
          .poll(async () => (await stalledAlert())?.status, { timeout: ALARM_TIMEOUT_MS })
          .toBe('resolved');
        expect(await stalledAlert()).toMatchObject({
          id: raised.id,
          resolvedBy: 'system',
          resolutionNote: CLEAR_NOTES.topic_stalled,
        });
      } finally {
        clearInterval(flow);
      }
    },
    STALL_TIMEOUT_MS + 2 * ALARM_TIMEOUT_MS,
  );
});
