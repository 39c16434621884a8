/**
 * The ingest side of the one hit rule (server/domain/plate-hits.ts): keeps the master lists from
 * their daily snapshots, decides every plate read once, looks a plate up in the store when memory
 * misses, holds reads whose list row has not arrived and re-checks them when the list catches up.
 * What it decides goes to two sinks only: `onHits` (the map flag and the alert, from the same
 * hits) and `onDelisted` (a plate or person gone from the newest snapshot: its flag and its open
 * alert). Counts go to the metrics it is given.
 */
import type { TopicRow } from '../../shared/topics';
import type { ListRow } from './decode';
import type { Delisting } from '../domain/master-list';
import {
  decideRead,
  MasterLists,
  UnmatchedReads,
  type FailedReadReason,
  type HeldRead,
  type PlateHit,
  type PlateList,
  type PlateRead,
  type ReadDecision,
} from '../domain/plate-hits';

/** The plate reads of a batch, both detection topics. */
export function plateReads(rows: {
  arrears_detection: TopicRow<'arrears_detection'>[];
  missing_person_detection: TopicRow<'missing_person_detection'>[];
}): PlateRead[] {
  return [
    ...rows.arrears_detection.map((row) => ({ list: 'arrears' as const, row })),
    ...rows.missing_person_detection.map((row) => ({ list: 'missing' as const, row })),
  ];
}

export interface PlateDelisting {
  list: PlateList;
  /** The plate (arrears) or the person's plate (missing), as listed; null for a person without one. */
  plateText: string | null;
  /** Arrears: the normal plate; missing: the person's missing_id. */
  key: string;
  snapshotDay: string;
}

export interface PlateHitSinks {
  lookupArrears: (plate: string) => Promise<TopicRow<'arrears_info'> | undefined>;
  lookupMissing: (
    plate: string,
    missingId: string | null,
  ) => Promise<TopicRow<'missing_person_info'> | undefined>;
  onHits: (hits: PlateHit[], nowMs: number) => Promise<void>;
  onDelisted: (delistings: PlateDelisting[], nowMs: number) => Promise<void>;
}

export interface PlateHitCounters {
  /** A read that decided (failed, hit, delisted, unmatched), by list and outcome. */
  read: (list: PlateList, outcome: string) => void;
  /** Reads waiting for their list row now. */
  held: (count: number) => void;
}

export interface PlateHitOptions {
  settleMs: number;
  holdMs: number;
  capacity?: number;
}

export class PlateHitService {
  readonly lists: MasterLists;
  private readonly held: UnmatchedReads;

  constructor(
    options: PlateHitOptions,
    private readonly sinks: PlateHitSinks,
    private readonly counters: PlateHitCounters,
  ) {
    this.lists = new MasterLists(options.settleMs);
    this.held = new UnmatchedReads(options.holdMs, options.capacity);
  }

  /**
   * Applies list rows (before the reads of the same batch), then re-checks the held reads: a
   * read whose list row just arrived becomes a hit now.
   */
  async applyLists(
    arrears: ListRow<TopicRow<'arrears_info'>>[],
    missing: ListRow<TopicRow<'missing_person_info'>>[],
    nowMs: number,
  ): Promise<void> {
    if (arrears.length === 0 && missing.length === 0) return;
    const delistings: PlateDelisting[] = [];
    for (const { row, messageMs } of arrears) {
      const result = this.lists.applyArrears(row, messageMs, nowMs);
      if (result) delistings.push(...result.delisted.map((d) => arrearsDelisting(d)));
    }
    for (const { row, messageMs } of missing) {
      const result = this.lists.applyMissing(row, messageMs, nowMs);
      delistings.push(...result.delisted.map((d) => missingDelisting(d)));
    }
    if (delistings.length > 0) await this.sinks.onDelisted(delistings, nowMs);
    await this.settleHeld(this.held.recheck(this.lists), nowMs);
  }

  /**
   * List rows read from the store at start (not a snapshot of a known day): the store holds the
   * current lists, as fresh as today's dump or fresher.
   */
  loadFromStore(
    arrears: TopicRow<'arrears_info'>[],
    missing: TopicRow<'missing_person_info'>[],
    nowMs: number,
  ): void {
    for (const row of arrears) this.lists.confirmArrearsFromStore(row, nowMs);
    for (const row of missing) this.lists.confirmMissingFromStore(row, nowMs);
  }

  /** Decides each read; hits go to `onHits`, unmatched ones are looked up or held. */
  async decide(reads: PlateRead[], nowMs: number): Promise<void> {
    const hits: PlateHit[] = [];
    for (const read of reads) {
      let decision = decideRead(read, this.lists);
      if (decision.outcome === 'unlisted')
        decision = await this.lookUp(read, decision.plate, nowMs);
      this.count(read.list, decision);
      if (decision.outcome === 'hit') hits.push(decision.hit);
      else if (decision.outcome === 'unlisted') {
        for (const pushedOut of this.held.hold(read, decision.plate, nowMs)) {
          this.counters.read(pushedOut.read.list, 'unmatched');
        }
      }
    }
    this.counters.held(this.held.size);
    if (hits.length > 0) await this.sinks.onHits(hits, nowMs);
  }

  /** Settles quiet snapshots and expires held reads; call every few seconds. */
  async tick(nowMs: number): Promise<void> {
    const settled = this.lists.tick(nowMs);
    const delistings = [
      ...settled.arrears.map((d) => arrearsDelisting(d)),
      ...settled.missing.map((d) => missingDelisting(d)),
    ];
    if (delistings.length > 0) await this.sinks.onDelisted(delistings, nowMs);
    for (const expired of this.held.expire(nowMs))
      this.counters.read(expired.read.list, 'unmatched');
    this.counters.held(this.held.size);
  }

  get heldReads(): number {
    return this.held.size;
  }

  private async lookUp(read: PlateRead, plate: string, nowMs: number): Promise<ReadDecision> {
    if (read.list === 'arrears') {
      const row = await this.sinks.lookupArrears(plate);
      if (row) this.lists.confirmArrearsFromStore(row, nowMs);
    } else {
      const row = await this.sinks.lookupMissing(plate, read.row.missing_id);
      if (row) this.lists.confirmMissingFromStore(row, nowMs);
    }
    return decideRead(read, this.lists);
  }

  private async settleHeld(
    settled: { read: HeldRead; decision: ReadDecision }[],
    nowMs: number,
  ): Promise<void> {
    const hits: PlateHit[] = [];
    for (const { read, decision } of settled) {
      this.count(read.read.list, decision);
      if (decision.outcome === 'hit') hits.push(decision.hit);
    }
    this.counters.held(this.held.size);
    if (hits.length > 0) await this.sinks.onHits(hits, nowMs);
  }

  private count(list: PlateList, decision: ReadDecision): void {
    if (decision.outcome === 'unlisted') return;
    this.counters.read(
      list,
      decision.outcome === 'failed'
        ? `failed_${decision.reason satisfies FailedReadReason}`
        : decision.outcome,
    );
  }
}

function arrearsDelisting(d: Delisting<TopicRow<'arrears_info'>>): PlateDelisting {
  return {
    list: 'arrears',
    plateText: d.row.car_plate_number,
    key: d.key,
    snapshotDay: d.snapshotDay,
  };
}

function missingDelisting(d: Delisting<TopicRow<'missing_person_info'>>): PlateDelisting {
  return {
    list: 'missing',
    plateText: d.row.car_plate_number ?? null,
    key: d.key,
    snapshotDay: d.snapshotDay,
  };
}
