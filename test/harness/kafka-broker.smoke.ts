/**
 * Manual smoke check of the Kafka broker harness (not part of the test suites):
 *
 *   node --import tsx test/harness/kafka-broker.smoke.ts
 *   KAFKAJS_PATH=/tmp/kafka-try/node_modules/kafkajs node --import tsx test/harness/kafka-broker.smoke.ts
 *
 * Without KAFKAJS_PATH it only starts, restarts and stops the broker. With it (an absolute path
 * to an installed kafkajs package, kept outside the project) it also creates a 3-partition
 * topic, produces, consumes, restarts the broker and checks that data and offsets survived.
 */
import { createRequire } from 'node:module';
import { startKafkaBroker } from './kafka-broker';

const SMOKE_TIMEOUT_MS = 180_000;
const CONSUME_TIMEOUT_MS = 30_000;
const TOPIC = 'smoke.vehicle-positions';
const PARTITIONS = 3;
const GROUP = 'smoke-relay';
/** kafkajs logLevel.ERROR: its INFO chatter would drown the smoke output. */
const KAFKAJS_LOG_ERROR = 1;

// The few kafkajs shapes used here; the project doesn't depend on kafkajs (yet), so no types.
type KafkaMessage = { key: Buffer | null; value: Buffer | null };
type Admin = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  createTopics(args: {
    topics: { topic: string; numPartitions: number }[];
    waitForLeaders: boolean;
  }): Promise<boolean>;
  fetchTopicMetadata(args: { topics: string[] }): Promise<{
    topics: { name: string; partitions: unknown[] }[];
  }>;
};
type Producer = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(args: { topic: string; messages: { key: string; value: string }[] }): Promise<unknown>;
};
type Consumer = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(args: { topic: string; fromBeginning: boolean }): Promise<void>;
  run(args: { eachMessage(payload: { message: KafkaMessage }): Promise<void> }): Promise<void>;
};
type Kafka = {
  admin(): Admin;
  producer(): Producer;
  consumer(args: { groupId: string }): Consumer;
};
type KafkaJs = {
  Kafka: new (config: { clientId: string; brokers: string[]; logLevel: number }) => Kafka;
};

const watchdog = setTimeout(() => {
  console.error(`smoke: timed out after ${SMOKE_TIMEOUT_MS / 1000}s`);
  process.exit(1); // the harness's 'exit' hook kills the broker
}, SMOKE_TIMEOUT_MS);

let started = Date.now();
const broker = await startKafkaBroker();
console.log(`smoke: broker up at ${broker.brokers} in ${Date.now() - started} ms`);

try {
  const kafkajsPath = process.env['KAFKAJS_PATH'];
  if (!kafkajsPath) {
    console.log('smoke: KAFKAJS_PATH unset, skipping produce/consume');
    started = Date.now();
    await broker.restart();
    console.log(`smoke: restarted in ${Date.now() - started} ms`);
  } else {
    // Quiets kafkajs's one-off "default partitioner changed in v2" notice.
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    const { Kafka } = createRequire(import.meta.url)(kafkajsPath) as KafkaJs;
    const kafka = new Kafka({
      clientId: 'harness-smoke',
      brokers: [broker.brokers],
      logLevel: KAFKAJS_LOG_ERROR,
    });

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    await produce(kafka, 'bus-1', 'before-restart');
    assertEqual(await consume(kafka, GROUP, 1), ['before-restart'], 'first consume');

    started = Date.now();
    await broker.restart();
    console.log(`smoke: restarted in ${Date.now() - started} ms`);

    const admin2 = kafka.admin();
    await admin2.connect();
    const { topics } = await admin2.fetchTopicMetadata({ topics: [TOPIC] });
    await admin2.disconnect();
    assertEqual(topics[0]?.partitions.length, PARTITIONS, 'partitions after restart');

    await produce(kafka, 'bus-2', 'after-restart');
    // Same group: its committed offset survived, so only the new message arrives.
    assertEqual(await consume(kafka, GROUP, 1), ['after-restart'], 'same group after restart');
    // New group from the beginning: the pre-restart message is still on disk.
    const all = await consume(kafka, `${GROUP}-fresh`, 2);
    assertEqual(all.sort(), ['after-restart', 'before-restart'], 'fresh group after restart');
    console.log('smoke: produce/consume across restart OK');
  }
} finally {
  started = Date.now();
  await broker.stop();
  console.log(`smoke: stopped in ${Date.now() - started} ms`);
  clearTimeout(watchdog);
}

async function produce(kafka: Kafka, key: string, value: string): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: [{ key, value }] });
  await producer.disconnect();
}

/** Consumes `count` messages with `groupId` (offsets committed on disconnect), returns values. */
async function consume(kafka: Kafka, groupId: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const values: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${groupId}: got ${values.length}/${count} messages in time`)),
        CONSUME_TIMEOUT_MS,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
