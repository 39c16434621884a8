/**
 * The ceiling for the relay benchmark: a bare kafkajs consumer, configured like the relay's
 * (same fetch sizes, wait and concurrency), that does nothing with a batch but count it. Runs as
 * its own process (forked with IPC) so it is measured like the relay is.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { CounterCommand, CounterMessage, CounterStart } from './ipc';

/** How often the count is reported; the parent takes rates over its own window. */
const REPORT_MS = 250;
/**
 * Every n-th message's age (now − its LogAppendTime) is kept: the Kafka part of the relay's
 * latency, with no relay work in it. One subtraction per sample keeps the consumer bare.
 */
const AGE_SAMPLE_EVERY = 10;

function send(message: CounterMessage): void {
  process.send?.(message);
}

async function run(config: CounterStart): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-count-consumer',
    brokers: config.brokers,
    logLevel: logLevel.WARN,
  });
  // The relay's settings (server/ingest/kafka-source.ts), so the comparison is like for like.
  const consumer: Consumer = kafka.consumer({
    groupId: config.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 250,
  });
  let total = 0;
  let ages: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, () => send({ type: 'joined' }));
  await consumer.connect();
  await consumer.subscribe({ topics: [config.topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      const messages = batch.messages;
      for (let i = 0; i < messages.length; i += AGE_SAMPLE_EVERY) {
        ages.push(now - Number(messages[i]!.timestamp));
      }
      total += messages.length;
    },
  });
  const timer = setInterval(() => {
    send({ type: 'count', atMs: Date.now(), total, ages });
    ages = [];
  }, REPORT_MS);
  await new Promise<void>((resolve) =>
    process.on('message', (command: CounterCommand) => {
      if (command.type === 'stop') resolve();
    }),
  );
  clearInterval(timer);
  await consumer.disconnect();
}

process.once('message', (command: CounterCommand) => {
  if (command.type !== 'start') return;
  run(command).then(
    () => process.disconnect?.(),
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
});
