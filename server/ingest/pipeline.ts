/**
 * The one ingest path for every source (simulator or Kafka), in order: decode (./decode.ts),
 * quarantine what cannot be understood, store the rows, apply them to the live fleet
 * (./fleet-apply.ts), decide the plate reads against the master lists (./plate-hits.ts over
 * server/domain/plate-hits.ts), and tell the listeners (./fan-out.ts). `ingest` resolves only
 * after all of it, so a Kafka source may commit offsets after it.
 */
import type { FleetState } from '../fleet/fleet-state';
import type { Metrics } from '../metrics';
import type { SeedRows } from '../store/seed-writer';
import { decodeBatch, type QuarantineRecord, type RawMessage } from './decode';
import {
  IngestFanOut,
  type DelistedListener,
  type HitsListener,
  type RowsListener,
} from './fan-out';
import { applyToFleet } from './fleet-apply';
import { OffsetWatermarks } from './offset-watermarks';
import { plateReads, type PlateHitService } from './plate-hits';

export type { DecodedRows, QuarantineRecord, RawMessage } from './decode';
export { OffsetWatermarks } from './offset-watermarks';

export interface IngestSinks {
  /** Persists the rows' effects (seed tables in embedded mode); null when nothing is stored. */
  writeRows: ((rows: SeedRows, nowMs: number) => Promise<void>) | null;
  quarantine: (records: QuarantineRecord[]) => Promise<void>;
  log: { warn: (obj: object, msg: string) => void };
}

export class IngestPipeline {
  /** Highest offset counted in `relay_ingest_messages_total`, per topic and partition. */
  private readonly countedThrough = new OffsetWatermarks();
  /** Highest offset quarantined (stored and counted), per topic and partition. */
  private readonly quarantinedThrough = new OffsetWatermarks();

  constructor(
    private readonly fleet: FleetState,
    private readonly sinks: IngestSinks,
    private readonly metrics: Metrics,
    /** The master lists and the one hit rule; its hits and delistings go to `fanOut`. */
    readonly plateHits: PlateHitService,
    private readonly fanOut: IngestFanOut,
  ) {}

  /** Hears every stored and applied batch's rows (alerts, violations, KPIs). */
  addAfterApply(listener: RowsListener): void {
    this.fanOut.onRows(listener);
  }

  /** Hears every plate hit, after the fleet flagged the car (the alert inbox). */
  onPlateHits(listener: HitsListener): void {
    this.fanOut.onHits(listener);
  }

  /** Hears every plate that left a list with the newest daily snapshot. */
  onDelisted(listener: DelistedListener): void {
    this.fanOut.onDelisted(listener);
  }

  /**
   * Decodes, quarantines, stores, applies, decides and tells. `store: false` applies without
   * writing or telling, for rows that came from the store in the first place.
   */
  async ingest(
    messages: RawMessage[],
    nowMs: number,
    options: { store?: boolean } = {},
  ): Promise<void> {
    const batch = decodeBatch(messages, nowMs);
    await this.quarantine(batch.bad);
    const fromStore = options.store === false;
    if (this.sinks.writeRows && !fromStore) await this.sinks.writeRows(batch.rows, nowMs);
    applyToFleet(this.fleet, batch.rows);
    if (fromStore) {
      this.plateHits.loadFromStore(batch.rows.arrears_info, batch.rows.missing_person_info, nowMs);
      this.fleet.discardFreshEvents();
    } else {
      await this.plateHits.applyLists(
        batch.lists.arrears_info,
        batch.lists.missing_person_info,
        nowMs,
      );
      await this.plateHits.decide(plateReads(batch.rows), nowMs);
      await this.fanOut.emitRows(batch.rows, nowMs);
    }
    // Counted once, after everything is stored: a retried or redelivered message is not again.
    for (const m of batch.good) {
      if (this.countedThrough.isNew(m.topic, m.partition, m.offset)) {
        this.countedThrough.mark(m.topic, m.partition, m.offset);
        this.metrics.ingested.inc({ topic: m.topic });
      }
    }
  }

  /** A batch retried after a store failure must not quarantine (or count) its bad messages twice. */
  private async quarantine(bad: QuarantineRecord[]): Promise<void> {
    const fresh = bad.filter((b) => this.quarantinedThrough.isNew(b.topic, b.partition, b.offset));
    if (fresh.length === 0) return;
    for (const b of fresh) {
      this.sinks.log.warn(
        { topic: b.topic, partition: b.partition, offset: b.offset, reason: b.reason },
        'message quarantined',
      );
    }
    await this.sinks.quarantine(fresh);
    for (const b of fresh) {
      this.quarantinedThrough.mark(b.topic, b.partition, b.offset);
      this.metrics.quarantined.inc({ topic: b.topic });
    }
  }
}
