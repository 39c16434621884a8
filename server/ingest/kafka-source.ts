/**
 * The Kafka source: one consumer group on the seed topics, batch consumption through the shared
 * ingest path, offsets committed only after what a batch caused is stored.
 *
 * Nothing is skipped, whatever fails:
 * - A batch the store cannot take (database down) is held back: its partition is paused, retried
 *   after a back-off with jitter from its first offset, and only then committed. The consumer
 *   itself never crashes or restarts for a store error, so other partitions (positions) keep
 *   flowing to the map, and the outage is logged once when it starts and once when it ends.
 * - A group without committed offsets starts from a defined point: detections and interlock
 *   events at the look-back (read from the beginning until placed there, so a consumer restart
 *   before the first commit reads more again, never less; see `placeNewPartitions`), positions at
 *   the newest. Once a partition has a committed offset, every restart resumes from it.
 * - Lag comes from the broker's high watermarks against the group's committed offsets, polled, so
 *   a stuck consumer shows its lag growing instead of the last batch's 0.
 */
import {
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type KafkaConfig,
  type LogEntry,
} from 'kafkajs';
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
/**
 * Event topics whose messages become stored records (alerts, violations): a new group starts them
 * at the look-back point, so what was produced while no relay could consume is not lost. The
 * other event topic, positions, is a live picture: a new group starts it at the newest offset.
 */
export const LOOKBACK_TOPICS: readonly TopicName[] = [
  'drowsy_drive',
  'arrears_detection',
  'missing_person_detection',
  'interlock_event',
];
/**
 * Many relays (DESIGN §12): the topics that become stored records go to one shared consumer group
 * (the work is split; a relay's partitions move to the others when it is lost; natural keys make
 * a redelivery harmless); positions and master data are read in full by every relay, which
 * frames positions for its own clients.
 */
export const KAFKA_TOPIC_ROLES = {
  shared: LOOKBACK_TOPICS,
  perRelay: TOPIC_NAMES.filter((t) => !LOOKBACK_TOPICS.includes(t)),
} as const;
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
/** A held-back batch is retried after this, doubling per failed attempt up to the maximum. */
export const STORE_RETRY_BASE_MS = 500;
export const STORE_RETRY_MAX_MS = 5_000;
/** Each back-off is scaled by a random factor in [1 - JITTER, 1 + JITTER]: partitions spread out. */
const STORE_RETRY_JITTER = 0.3;
/** How often lag is read from the broker (high watermarks vs the group's committed offsets). */
export const LAG_POLL_MS = 5_000;
const MS_PER_MINUTE = 60_000;
/** Kafka's "no committed offset" marker. */
const NO_OFFSET = -1n;

export interface KafkaSourceOptions {
  brokers: string[];
  groupId: string;
  clientId?: string;
  /** A new group reads event topics from the earliest offset (tests, replays). */
  fromBeginning: boolean;
  /**
   * A new group (no committed offsets) starts the LOOKBACK_TOPICS at the first message at most
   * this many minutes old (0: at the newest). Ignored when `fromBeginning`.
   */
  newGroupLookbackMinutes: number;
  ingest: IngestPipeline;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
    error: (obj: object, msg: string) => void;
  };
  onLag?: (topic: string, partition: number, lag: number) => void;
  /**
   * The topics this consumer reads; default all. Many relays split them (see KAFKA_TOPIC_ROLES):
   * the shared group takes the topics that become records, each relay's own consumer the rest.
   */
  topics?: readonly TopicName[];
  /**
   * false: a consumer of its own relay (positions and master data, read in full by every relay):
   * nothing is committed — each start reads master data from the beginning and positions from
   * the newest, as a new group does — and lag is read from each batch, not polled.
   */
  commitOffsets?: boolean;
  /** TLS and SASL for the brokers (server/transport-security.ts); left out: plaintext. */
  security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** Called each time a batch is held back because the store could not take it. */
  onStoreRetry?: (topic: string, partition: number) => void;
  lagPollMs?: number;
  random?: () => number;
}

/** A partition whose batch the store could not take: paused until its retry. */
interface HeldBack {
  topic: string;
  partition: number;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
}

/** The back-off before the `attempt`-th retry (1-based), with jitter. */
export function storeRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(STORE_RETRY_MAX_MS, STORE_RETRY_BASE_MS * 2 ** (attempt - 1));
  const jitter = 1 + STORE_RETRY_JITTER * (2 * random() - 1);
  return Math.round(exponential * jitter);
}

export class KafkaSource {
  private consumer: Consumer | null = null;
  private readonly kafka: Kafka;
  private lagAdmin: Admin | null = null;
  private lagTimer: NodeJS.Timeout | undefined;
  private pollingLag = false;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly lagByPartition = new Map<string, PartitionLag>();
  private readonly heldBack = new Map<string, HeldBack>();
  /** Partitions of a new group being placed at the look-back (see placeNewPartitions). */
  private readonly placing = new Set<string>();
  /** The store outage in progress, as the ingest path sees it; null while batches store. */
  private outage: { sinceMs: number; retries: number } | null = null;
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
      ...options.security,
    });
    this.joined = new Promise((resolve) => (this.joinedResolve = resolve));
  }

  lag(): { total: number | null; byPartition: PartitionLag[] } {
    const byPartition = [...this.lagByPartition.values()];
    if (byPartition.length === 0) return { total: null, byPartition };
    return { total: byPartition.reduce((sum, p) => sum + p.lag, 0), byPartition };
  }

  /** Whether batches are being held back because the store cannot take them. */
  storeOutage(): { sinceMs: number; retries: number; partitions: number } | null {
    return this.outage ? { ...this.outage, partitions: this.heldBack.size } : null;
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
    // A consumer that commits nothing has no committed offsets to measure against.
    if (this.options.commitOffsets === false) return;
    this.lagTimer = setInterval(() => void this.pollLag(), this.options.lagPollMs ?? LAG_POLL_MS);
    this.lagTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.lagTimer);
    this.releaseAllHeldBack();
    const consumer = this.consumer;
    this.consumer = null;
    const admin = this.lagAdmin;
    this.lagAdmin = null;
    await Promise.all([consumer?.disconnect(), admin?.disconnect().catch(() => undefined)]);
  }

  private async startConsumer(): Promise<void> {
    const { fromBeginning, newGroupLookbackMinutes } = this.options;
    const lookback = !fromBeginning && newGroupLookbackMinutes > 0;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      // Emitted after the assignment, before the first fetch of it.
      if (lookback) this.placeNewPartitions(consumer, event.payload.memberAssignment);
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
    const mine = this.options.topics ?? TOPIC_NAMES;
    const otherTopics = TOPIC_NAMES.filter(
      (t) => !MASTER_TOPICS.includes(t) && !LOOKBACK_TOPICS.includes(t),
    );
    const subscriptions = [
      { topics: MASTER_TOPICS, fromBeginning: true },
      { topics: [...LOOKBACK_TOPICS], fromBeginning: fromBeginning || lookback },
      { topics: otherTopics, fromBeginning },
    ];
    for (const { topics, fromBeginning: start } of subscriptions) {
      const wanted = topics.filter((t) => mine.includes(t));
      if (wanted.length > 0) await consumer.subscribe({ topics: wanted, fromBeginning: start });
    }
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

  /**
   * Where a partition the group has never committed starts: the earliest offset with
   * `fromBeginning` (the subscription does that), else, for LOOKBACK_TOPICS, the first message at
   * most the look-back old. Those topics are subscribed from the beginning, so until this seek
   * lands (and if the relay dies before its first commit) a new group reads too much, never too
   * little; batches of a partition still being placed are not processed (they are fetched again
   * from the seeked offset).
   */
  private placeNewPartitions(consumer: Consumer, assignment: Record<string, number[]>): void {
    const { groupId, newGroupLookbackMinutes } = this.options;
    const topics = Object.keys(assignment).filter((t) => LOOKBACK_TOPICS.includes(t as TopicName));
    const pending = topics.flatMap((topic) => assignment[topic]!.map((p) => `${topic}/${p}`));
    if (pending.length === 0) return;
    for (const key of pending) this.placing.add(key);
    const admin = this.kafka.admin();
    const place = async () => {
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId, topics });
      const sinceMs = Date.now() - newGroupLookbackMinutes * MS_PER_MINUTE;
      for (const { topic, partitions } of committed) {
        const assigned = assignment[topic] ?? [];
        const fresh = partitions.filter(
          (p) => assigned.includes(p.partition) && BigInt(p.offset) === NO_OFFSET,
        );
        if (fresh.length === 0) continue;
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs);
        const seeks = fresh.map((p) => ({
          partition: p.partition,
          offset: starts.find((s) => s.partition === p.partition)?.offset ?? '0',
        }));
        for (const seek of seeks) consumer.seek({ topic, ...seek });
        this.options.log.info(
          { topic, groupId, offsets: seeks, lookbackMinutes: newGroupLookbackMinutes },
          'new consumer group: partitions start at the look-back',
        );
      }
    };
    place()
      .catch((error: unknown) => {
        // Left at the beginning of the topic: more is read again, nothing is skipped.
        this.options.log.warn({ err: error, groupId }, 'could not place new partitions');
      })
      .finally(() => {
        for (const key of pending) this.placing.delete(key);
        void admin.disconnect().catch(() => undefined);
      });
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      const old = this.consumer;
      this.releaseAllHeldBack();
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
    // Not yet placed at the look-back: fetched again from there once it is.
    if (this.placing.has(`${batch.topic}/${batch.partition}`)) return;
    const messages: RawMessage[] = batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      value: m.value,
      // The append time: a daily master-list snapshot is recognised by its KST day.
      timestampMs: Number(m.timestamp) || null,
    }));
    const started = Date.now();
    try {
      await this.options.ingest.ingest(messages, Date.now());
    } catch (error) {
      // Nothing is resolved or committed: the same messages come again after the back-off.
      this.holdBack(consumer, batch.topic, batch.partition, batch.firstOffset(), error);
      return;
    }
    this.stored(batch.topic, batch.partition, messages.length);
    const last = batch.lastOffset();
    resolveOffset(last);
    if (this.options.commitOffsets !== false) {
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
    }
    await heartbeat();
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
    this.setLag(batch.topic, batch.partition, lag);
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

  /**
   * Pauses a partition whose batch could not be stored and schedules its retry from the first
   * unstored offset. Logs when an outage starts, not on every retry.
   */
  private holdBack(
    consumer: Consumer,
    topic: string,
    partition: number,
    firstOffset: string | null,
    error: unknown,
  ): void {
    const key = `${topic}/${partition}`;
    const entry = this.heldBack.get(key) ?? { topic, partition, attempts: 0, timer: undefined };
    entry.attempts += 1;
    this.heldBack.set(key, entry);
    const paused = [{ topic, partitions: [partition] }];
    consumer.pause(paused);
    this.options.onStoreRetry?.(topic, partition);
    if (this.outage) {
      this.outage.retries += 1;
    } else {
      this.outage = { sinceMs: Date.now(), retries: 1 };
      this.options.log.error(
        { err: error, topic, partition, offset: firstOffset },
        'store cannot take ingested messages: holding partitions back and retrying until it can',
      );
    }
    clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        if (this.stopped || this.consumer !== consumer) return;
        try {
          // Explicit, although nothing was resolved: the retry starts at the first unstored offset.
          if (firstOffset !== null) consumer.seek({ topic, partition, offset: firstOffset });
        } catch (seekError) {
          this.options.log.warn({ err: seekError, topic, partition }, 'seek before retry failed');
        }
        consumer.resume(paused);
      },
      storeRetryDelayMs(entry.attempts, this.options.random),
    );
  }

  /** A batch was stored: its partition is no longer held back; the outage ends with the last. */
  private stored(topic: string, partition: number, count: number): void {
    this.consumedMessages += count;
    const key = `${topic}/${partition}`;
    if (!this.heldBack.delete(key) || !this.outage || this.heldBack.size > 0) return;
    this.options.log.info(
      { outageMs: Date.now() - this.outage.sinceMs, retries: this.outage.retries },
      'store takes ingested messages again: every held-back partition resumed',
    );
    this.outage = null;
  }

  private releaseAllHeldBack(): void {
    for (const entry of this.heldBack.values()) clearTimeout(entry.timer);
    this.heldBack.clear();
    this.outage = null;
  }

  private setLag(topic: string, partition: number, lag: number): void {
    this.lagByPartition.set(`${topic}/${partition}`, { topic, partition, lag });
    this.options.onLag?.(topic, partition, lag);
  }

  /**
   * Lag from the broker: high watermark minus the group's committed offset (minus the low
   * watermark where the group never committed). A failed poll keeps the last figures.
   */
  private async pollLag(): Promise<void> {
    if (this.pollingLag || this.stopped) return;
    this.pollingLag = true;
    try {
      if (!this.lagAdmin) {
        // Few retries: a broker that is away shows as stale lag, not as a poll stuck for minutes.
        const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 300 } });
        await admin.connect();
        this.lagAdmin = admin;
      }
      const admin = this.lagAdmin;
      const topics = [...TOPIC_NAMES];
      const committed = await admin.fetchOffsets({ groupId: this.options.groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const offset = BigInt(
            partitions.find((p) => p.partition === end.partition)?.offset ?? -1,
          );
          const from = offset === NO_OFFSET ? BigInt(end.low) : offset;
          const lag = BigInt(end.high) - from;
          this.setLag(topic, end.partition, Number(lag > 0n ? lag : 0n));
        }
      }
    } catch {
      // The broker is away or busy: the next poll tries again; the last figures stand meanwhile.
      const admin = this.lagAdmin;
      this.lagAdmin = null;
      await admin?.disconnect().catch(() => undefined);
    } finally {
      this.pollingLag = false;
    }
  }
}
