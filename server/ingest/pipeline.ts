/**
 * The one ingest path for every source (simulator or Kafka): decode each message, quarantine what
 * cannot be understood, store what the rows cause, then apply them to the live fleet state.
 * `ingest` resolves only after the store write, so a Kafka source may commit offsets after it.
 */
import {
  decodeTopicMessage,
  TOPIC_NAMES,
  type TopicName,
  type TopicRow,
} from '../../shared/topics';
import type { FleetState } from '../fleet/fleet-state';
import type { Metrics } from '../metrics';
import type { SeedRows } from '../store/seed-writer';

export interface RawMessage {
  topic: string;
  partition: number | null;
  offset: string | null;
  /** JSON bytes/text from Kafka, or an already-parsed row object from the simulator. */
  value: Uint8Array | string | object | null;
}

export interface QuarantineRecord {
  topic: string;
  partition: number | null;
  offset: string | null;
  reason: string;
  payload: string | null;
  receivedMs: number;
}

export interface IngestSinks {
  /** Persists the rows' effects (seed tables in embedded mode); null when nothing is stored. */
  writeRows: ((rows: SeedRows, nowMs: number) => Promise<void>) | null;
  quarantine: (records: QuarantineRecord[]) => Promise<void>;
  /**
   * Derives and stores what the rows cause beyond the fleet picture (alerts, violations), after
   * the fleet state has them (a drowsy alert is placed at the car's last position). Awaited, so
   * a Kafka source commits offsets only after it.
   */
  afterApply?: (rows: DecodedRows, nowMs: number) => Promise<void>;
  log: { warn: (obj: object, msg: string) => void };
}

/** Longest payload kept in quarantine; bigger ones are cut (their size is in the reason). */
const MAX_QUARANTINE_PAYLOAD = 64 * 1024;
const KNOWN_TOPICS = new Set<string>(TOPIC_NAMES);

export type DecodedRows = { [T in TopicName]: TopicRow<T>[] };
type Decoded = DecodedRows;

export class IngestPipeline {
  arrearsByPlate = new Map<string, TopicRow<'arrears_info'>>();
  missingByPlate = new Map<string, TopicRow<'missing_person_info'>>();
  missingById = new Map<string, TopicRow<'missing_person_info'>>();
  private readonly afterApplySinks: NonNullable<IngestSinks['afterApply']>[] = [];
  /** Highest offset counted in `relay_ingest_messages_total`, per topic and partition. */
  private readonly countedThrough = new OffsetWatermarks();
  /** Highest offset quarantined (stored and counted), per topic and partition. */
  private readonly quarantinedThrough = new OffsetWatermarks();

  constructor(
    private readonly fleet: FleetState,
    private readonly sinks: IngestSinks,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Adds a sink that runs after the rows are applied (as `sinks.afterApply`), for adapters
   * registered after the pipeline was made (the alert inbox).
   */
  addAfterApply(sink: NonNullable<IngestSinks['afterApply']>): void {
    this.afterApplySinks.push(sink);
  }

  /**
   * Decodes, quarantines, stores and applies. `store: false` applies without writing, for rows
   * that came from the store in the first place.
   */
  async ingest(
    messages: RawMessage[],
    nowMs: number,
    options: { store?: boolean } = {},
  ): Promise<void> {
    const decoded = emptyDecoded();
    const bad: QuarantineRecord[] = [];
    const good: RawMessage[] = [];
    for (const message of messages) {
      const result = this.decode(message);
      if (result.ok) {
        (decoded[message.topic as TopicName] as unknown[]).push(result.row);
        good.push(message);
      } else {
        bad.push({
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          reason: result.reason.slice(0, 1000),
          payload: payloadText(message.value),
          receivedMs: nowMs,
        });
      }
    }
    // A batch retried after a store failure must not quarantine (or count) its bad messages twice.
    const freshBad = bad.filter((b) =>
      this.quarantinedThrough.isNew(b.topic, b.partition, b.offset),
    );
    if (freshBad.length > 0) {
      for (const b of freshBad) {
        this.sinks.log.warn(
          { topic: b.topic, partition: b.partition, offset: b.offset, reason: b.reason },
          'message quarantined',
        );
      }
      await this.sinks.quarantine(freshBad);
      for (const b of freshBad) {
        this.quarantinedThrough.mark(b.topic, b.partition, b.offset);
        this.metrics.quarantined.inc({ topic: b.topic });
      }
    }
    if (this.sinks.writeRows && options.store !== false) await this.sinks.writeRows(decoded, nowMs);
    this.apply(decoded);
    if (options.store !== false) {
      if (this.sinks.afterApply) await this.sinks.afterApply(decoded, nowMs);
      for (const sink of this.afterApplySinks) await sink(decoded, nowMs);
    }
    // Counted once, after everything is stored: a retried or redelivered message is not again.
    for (const m of good) {
      if (this.countedThrough.isNew(m.topic, m.partition, m.offset)) {
        this.countedThrough.mark(m.topic, m.partition, m.offset);
        this.metrics.ingested.inc({ topic: m.topic });
      }
    }
  }

  private decode(message: RawMessage) {
    if (!KNOWN_TOPICS.has(message.topic)) {
      return { ok: false as const, reason: `unknown topic ${message.topic}` };
    }
    const topic = message.topic as TopicName;
    const value = message.value;
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return decodeTopicMessage(topic, JSON.stringify(value));
    }
    return decodeTopicMessage(topic, value);
  }

  /** Applies in dependency order: who the vehicles are, then sessions, then what they do. */
  private apply(d: Decoded): void {
    for (const row of d.uservehicle) this.fleet.applyUservehicle(row);
    for (const row of d.arrears_info) this.arrearsByPlate.set(row.car_plate_number, row);
    for (const row of d.missing_person_info) {
      this.missingById.set(row.missing_id, row);
      if (row.car_plate_number) this.missingByPlate.set(row.car_plate_number, row);
    }
    for (const row of d.driving_session) this.fleet.applySession(row);
    for (const row of d.driving_session_info) this.fleet.applyInfo(row);
    for (const row of d.drowsy_drive) this.fleet.applyDrowsy(row);
    for (const row of d.arrears_detection) {
      const plate = row.car_plate_number;
      if (row.detection_success && plate && this.arrearsByPlate.has(plate)) {
        this.fleet.applyArrearsHit(plate, row.detected_time);
      }
    }
    for (const row of d.missing_person_detection) {
      const plate = row.car_plate_number;
      if (row.detection_success && plate) this.fleet.applyMissingHit(plate, row.detected_time);
    }
  }
}

/**
 * The highest offset done per topic and partition, so that a message Kafka delivers again (a
 * retried batch, a redelivery after a broker restart) is recognised. Messages without a partition
 * or offset (simulator, store snapshot) are always new.
 */
export class OffsetWatermarks {
  private readonly through = new Map<string, bigint>();

  isNew(topic: string, partition: number | null, offset: string | null): boolean {
    if (partition === null || offset === null) return true;
    const done = this.through.get(`${topic}/${partition}`);
    return done === undefined || BigInt(offset) > done;
  }

  mark(topic: string, partition: number | null, offset: string | null): void {
    if (partition === null || offset === null) return;
    const key = `${topic}/${partition}`;
    const value = BigInt(offset);
    const done = this.through.get(key);
    if (done === undefined || value > done) this.through.set(key, value);
  }
}

function emptyDecoded(): Decoded {
  return Object.fromEntries(TOPIC_NAMES.map((t) => [t, []])) as unknown as Decoded;
}

function payloadText(value: RawMessage['value']): string | null {
  if (value === null) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('utf8');
  else text = JSON.stringify(value);
  return text.length > MAX_QUARANTINE_PAYLOAD ? text.slice(0, MAX_QUARANTINE_PAYLOAD) : text;
}
