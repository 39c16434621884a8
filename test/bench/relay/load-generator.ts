/**
 * The relay benchmark's Kafka load: a child process (forked with IPC) that produces position rows
 * at a fixed rate with kafkajs sendBatch. Lighter than the full simulator, which spends its time
 * on road-network motion: rows are concatenated text (see bench-rows.ts), so the core this
 * process gets goes to kafkajs encoding and the socket.
 *
 * Every acknowledged send is reported to the parent with each partition's LogAppendTime (the
 * bench topic is created with message.timestamp.type=LogAppendTime), so the parent knows when
 * Kafka appended every message without reading them back.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { formatKstIso } from '../../../shared/time';
import { infoValue, sessionIdOf } from './bench-rows';
import type { GeneratorCommand, GeneratorMessage, GeneratorStart } from './ipc';

/** How often due messages are sent; 20 sends a second keeps each batch a manageable size. */
const TICK_MS = 50;
/** Sends awaiting their acknowledgement; beyond this the generator is behind and says so. */
const MAX_IN_FLIGHT = 4;
/** Largest single sendBatch; a catch-up after a stall is spread over several ticks. */
const MAX_CHUNK = 10_000;

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

async function run(config: GeneratorStart): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-load-generator',
    brokers: config.brokers,
    logLevel: logLevel.WARN,
  });
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    // Partitions are chosen explicitly; this only silences kafkajs's partitioner notice.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  send({ type: 'ready' });

  let stopping = false;
  process.on('message', (command: GeneratorCommand) => {
    if (command.type === 'stop') stopping = true;
  });

  const { vehicles, partitions, ratePerSecond, topic } = config;
  const started = Date.now();
  let scheduled = 0;
  let acked = 0;
  let inFlight = 0;
  let throttledTicks = 0;
  let failure: Error | null = null;

  const sendChunk = (first: number, count: number) => {
    const dtText = formatKstIso(Date.now());
    const messages = new Array<{ key: string; value: string; partition: number }>(count);
    for (let i = 0; i < count; i++) {
      const s = first + i;
      const vehicle = s % vehicles;
      messages[i] = {
        key: sessionIdOf(vehicle),
        value: infoValue(vehicle, Math.floor(s / vehicles), dtText),
        // Explicit, so the parent knows each message's partition (and so its append time).
        partition: vehicle % partitions,
      };
    }
    inFlight++;
    producer
      .sendBatch({
        topicMessages: [{ topic, messages }],
        acks: 1,
        compression: CompressionTypes.None,
      })
      .then((metadata) => {
        const appendMs = new Array<number>(partitions).fill(Number.NaN);
        for (const m of metadata) appendMs[m.partition] = Number(m.logAppendTime);
        acked += count;
        send({ type: 'chunk', first, count, appendMs });
      })
      .catch((error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => inFlight--);
  };

  while (!stopping && failure === null && Date.now() - started < config.durationMs) {
    const due = Math.floor(((Date.now() - started) / 1000) * ratePerSecond);
    if (due > scheduled) {
      if (inFlight >= MAX_IN_FLIGHT) throttledTicks++;
      else {
        const count = Math.min(MAX_CHUNK, due - scheduled);
        sendChunk(scheduled, count);
        scheduled += count;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await producer.disconnect();
  if (failure) throw failure;
  send({ type: 'done', sent: scheduled, acked, elapsedMs: Date.now() - started, throttledTicks });
}

process.once('message', (command: GeneratorCommand) => {
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
