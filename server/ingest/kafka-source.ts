/**
 * The Kafka source: one consumer group on the seed topics, batch consumption through the shared
 * ingest path, offsets committed only after what a batch caused is stored. A batch that fails to
 * store is not committed and is consumed again (the ingest path is idempotent). Bad messages never
 * reach this far as errors: the pipeline quarantines them and the batch goes on.
 */
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type LogEntry } from 'kafkajs';
import { TOPIC_NAMES, type TopicName } from '../../shared/topics';
import type { PartitionLag } from '../../shared/events';
import type { IngestPipeline, RawMessage } from './pipeline';

/** Daily snapshots and master data: always read from the beginning so nothing is missing. */
const MASTER_TOPICS: TopicName[] = [
  'uservehicle',
  'arrears_info',
  'missing_person_info',
  'driving_session',
];
/** Wait this long before building a new consumer after one crashed for good. */
const RESTART_DELAY_MS = 2_000;
/**
 * Bytes fetched per partition at most. At 50,000 positions a second a partition takes ~0.3 MB per
 * 250 ms wait; bigger fetches only matter when catching up, and every byte of a batch in flight
 * becomes objects that outlive a scavenge: 4 MB fetches let the heap climb ~200 MB above its
 * steady size when load began (docs/PERFORMANCE.md).
 */
const MAX_BYTES_PER_PARTITION = 1024 * 1024;
/** When storing a batch takes longer than this, the relay is falling behind: pause briefly. */
export const SLOW_BATCH_MS = 2_000;
const PAUSE_MS = 1_000;

export interface KafkaSourceOptions {
  brokers: string[];
  groupId: string;
  clientId?: string;
  /** Read event topics from the earliest offset for a new group (tests, replays). */
  fromBeginning: boolean;
  ingest: IngestPipeline;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
    error: (obj: object, msg: string) => void;
  };
  onLag?: (topic: string, partition: number, lag: number) => void;
}

export class KafkaSource {
  private consumer: Consumer | null = null;
  private readonly kafka: Kafka;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly lagByPartition = new Map<string, PartitionLag>();
  /** Messages consumed (and stored) since this source started; for health and tests. */
  consumedMessages = 0;
  /** Resolves once the consumer has joined the group and received its assignment. */
  private joinedResolve: (() => void) | null = null;
  readonly joined: Promise<void>;

  constructor(private readonly options: KafkaSourceOptions) {
    const log = options.log;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'busan-control-room-relay',
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        const target = entry.level <= logLevel.ERROR ? log.error : log.warn;
        target.call(options.log, { kafka: entry.namespace, ...rest }, String(message));
      },
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 12 },
    });
    this.joined = new Promise((resolve) => (this.joinedResolve = resolve));
  }

  lag(): { total: number | null; byPartition: PartitionLag[] } {
    const byPartition = [...this.lagByPartition.values()];
    if (byPartition.length === 0) return { total: null, byPartition };
    return { total: byPartition.reduce((sum, p) => sum + p.lag, 0), byPartition };
  }

  /**
   * Starts consuming in the background: the relay serves clients (and reports itself degraded)
   * while Kafka is unreachable, and keeps trying to connect.
   */
  start(): void {
    this.stopped = false;
    this.startConsumer().catch((error: unknown) => {
      this.options.log.error({ err: error }, 'kafka consumer could not start; retrying');
      this.scheduleRestart();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.disconnect();
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joinedResolve?.();
      this.joinedResolve = null;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.options.log.error({ err: error, restart }, 'kafka consumer crashed');
      // kafkajs restarts by itself after retriable errors; otherwise we build a new consumer.
      if (!restart && !this.stopped) this.scheduleRestart();
    });
    await consumer.connect();
    const eventTopics = TOPIC_NAMES.filter((t) => !MASTER_TOPICS.includes(t));
    await consumer.subscribe({ topics: MASTER_TOPICS, fromBeginning: true });
    await consumer.subscribe({ topics: eventTopics, fromBeginning: this.options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: (payload) => this.handleBatch(consumer, payload),
    });
    this.options.log.info(
      { brokers: this.options.brokers, groupId: this.options.groupId },
      'kafka consumer running',
    );
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      const old = this.consumer;
      void (old ? old.disconnect().catch(() => undefined) : Promise.resolve())
        .then(() => this.startConsumer())
        .catch((error: unknown) => {
          this.options.log.error({ err: error }, 'kafka consumer restart failed');
          this.scheduleRestart();
        });
    }, RESTART_DELAY_MS);
  }

  private async handleBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    if (batch.isEmpty() || !isRunning() || isStale()) return;
    const messages: RawMessage[] = batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      value: m.value,
    }));
    const started = Date.now();
    // Throws when the store is unavailable: nothing is resolved, so the batch is read again.
    await this.options.ingest.ingest(messages, Date.now());
    const last = batch.lastOffset();
    resolveOffset(last);
    this.consumedMessages += messages.length;
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    await heartbeat();
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
    this.lagByPartition.set(`${batch.topic}/${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      lag,
    });
    this.options.onLag?.(batch.topic, batch.partition, lag);
    if (Date.now() - started > SLOW_BATCH_MS) {
      // The store cannot keep up: give it a breath instead of piling up fetched batches.
      const paused = [{ topic: batch.topic, partitions: [batch.partition] }];
      consumer.pause(paused);
      setTimeout(() => consumer.resume(paused), PAUSE_MS).unref();
      this.options.log.warn(
        { topic: batch.topic, partition: batch.partition },
        'falling behind: paused',
      );
    }
  }
}
