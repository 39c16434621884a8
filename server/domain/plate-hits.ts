/**
 * The one hit rule: "this plate read is a hit" is decided here, once, and both the map flag
 * (fleet) and the alert come from the same `PlateHit`. Pure: the lists and time come in.
 *
 * | read                                        | decision     | stored | map flag | alert |
 * |---------------------------------------------|--------------|--------|----------|-------|
 * | `detection_success = 0`                     | failed       | yes    | no       | no    |
 * | success, plate empty/partial/misread        | failed       | yes    | no       | no    |
 * | success, plate on the list                  | hit          | yes    | yes      | yes   |
 * | success, plate removed by a newer snapshot  | delisted     | yes    | no       | no    |
 * | success, plate not (yet) on the list        | unlisted     | yes    | no       | no    |
 *
 * An `unlisted` read is not dropped: the adapter looks the plate up in the store, and when that
 * misses too it holds the read in `UnmatchedReads` until the list catches up (then it is a hit) or
 * the hold expires (then it is counted as unmatched). Master and event topics are consumed with no
 * order between them, so a detection often arrives before its list row.
 *
 * Lists are matched on the plate's normal form (shared/plates.ts); the text as read is kept.
 */
import { readPlate } from '../../shared/plates';
import type { TopicRow } from '../../shared/topics';
import type { Delisting } from './master-list';
import { MasterList } from './master-list';

export type PlateList = 'arrears' | 'missing';

/** One plate read of either detection topic, in the terms the rule needs. */
export type PlateRead =
  | { list: 'arrears'; row: TopicRow<'arrears_detection'> }
  | { list: 'missing'; row: TopicRow<'missing_person_detection'> };

export type FailedReadReason = 'ocr_failed' | 'empty' | 'partial' | 'misread';

export type PlateHit =
  | {
      list: 'arrears';
      /** Normal form of the plate. */
      plate: string;
      read: TopicRow<'arrears_detection'>;
      listing: TopicRow<'arrears_info'>;
    }
  | {
      list: 'missing';
      plate: string;
      read: TopicRow<'missing_person_detection'>;
      listing: TopicRow<'missing_person_info'>;
    };

export type ReadDecision =
  | { outcome: 'failed'; reason: FailedReadReason }
  | { outcome: 'hit'; hit: PlateHit }
  | { outcome: 'delisted'; plate: string; snapshotDay: string }
  | { outcome: 'unlisted'; plate: string };

/** What a master list row becomes in memory: the arrears list keyed by plate, people by id. */
export class MasterLists {
  readonly arrears: MasterList<TopicRow<'arrears_info'>>;
  readonly missing: MasterList<TopicRow<'missing_person_info'>>;
  /** Normal plate → missing_id of the listed person driving it. */
  private readonly missingIdByPlate = new Map<string, string>();

  constructor(settleMs?: number) {
    this.arrears = new MasterList(settleMs);
    this.missing = new MasterList(settleMs);
  }

  /** Applies one arrears_info row; a row whose plate is not a plate cannot be matched and is refused. */
  applyArrears(row: TopicRow<'arrears_info'>, messageMs: number, nowMs: number) {
    const plate = readPlate(row.car_plate_number);
    if (!plate.ok) return null;
    return this.arrears.apply(plate.normal, row, messageMs, nowMs);
  }

  applyMissing(row: TopicRow<'missing_person_info'>, messageMs: number, nowMs: number) {
    const result = this.missing.apply(row.missing_id, row, messageMs, nowMs);
    if (result.outcome !== 'stale') this.indexPlateOf(row);
    this.unindex(result.delisted);
    return result;
  }

  confirmArrearsFromStore(row: TopicRow<'arrears_info'>, nowMs: number): boolean {
    const plate = readPlate(row.car_plate_number);
    return plate.ok && this.arrears.confirmFromStore(plate.normal, row, nowMs);
  }

  confirmMissingFromStore(row: TopicRow<'missing_person_info'>, nowMs: number): boolean {
    const confirmed = this.missing.confirmFromStore(row.missing_id, row, nowMs);
    if (confirmed) this.indexPlateOf(row);
    return confirmed;
  }

  /** Settles quiet snapshots; returns what they delisted. */
  tick(nowMs: number): {
    arrears: Delisting<TopicRow<'arrears_info'>>[];
    missing: Delisting<TopicRow<'missing_person_info'>>[];
  } {
    const missing = this.missing.tick(nowMs);
    this.unindex(missing);
    return { arrears: this.arrears.tick(nowMs), missing };
  }

  arrearsOf(plate: string): TopicRow<'arrears_info'> | undefined {
    return this.arrears.get(plate);
  }

  /** The listed person whose car carries the plate, else the person the read names. */
  missingPersonOf(
    plate: string,
    missingId: string | null,
  ): TopicRow<'missing_person_info'> | undefined {
    const byPlate = this.missingIdByPlate.get(plate);
    return (
      (byPlate !== undefined ? this.missing.get(byPlate) : undefined) ??
      (missingId !== null ? this.missing.get(missingId) : undefined)
    );
  }

  private indexPlateOf(row: TopicRow<'missing_person_info'>): void {
    const plate = readPlate(row.car_plate_number);
    if (plate.ok) this.missingIdByPlate.set(plate.normal, row.missing_id);
  }

  private unindex(gone: Delisting<TopicRow<'missing_person_info'>>[]): void {
    for (const g of gone) {
      const plate = readPlate(g.row.car_plate_number);
      if (plate.ok && this.missingIdByPlate.get(plate.normal) === g.key) {
        this.missingIdByPlate.delete(plate.normal);
      }
    }
  }
}

/** Decides one read against the lists in memory. */
export function decideRead(read: PlateRead, lists: MasterLists): ReadDecision {
  if (!read.row.detection_success) return { outcome: 'failed', reason: 'ocr_failed' };
  const plate = readPlate(read.row.car_plate_number);
  if (!plate.ok) return { outcome: 'failed', reason: plate.reason };
  if (read.list === 'arrears') {
    const listing = lists.arrearsOf(plate.normal);
    if (listing)
      return {
        outcome: 'hit',
        hit: { list: 'arrears', plate: plate.normal, read: read.row, listing },
      };
    const since = lists.arrears.delistedSince(plate.normal);
    if (since !== null) return { outcome: 'delisted', plate: plate.normal, snapshotDay: since };
    return { outcome: 'unlisted', plate: plate.normal };
  }
  const missingId = read.row.missing_id;
  const listing = lists.missingPersonOf(plate.normal, missingId);
  if (listing)
    return {
      outcome: 'hit',
      hit: { list: 'missing', plate: plate.normal, read: read.row, listing },
    };
  const since = missingId !== null ? lists.missing.delistedSince(missingId) : null;
  if (since !== null) return { outcome: 'delisted', plate: plate.normal, snapshotDay: since };
  return { outcome: 'unlisted', plate: plate.normal };
}

/** How long an unmatched read waits for its list row before it counts as unmatched. */
export const DEFAULT_UNMATCHED_HOLD_MS = 15 * 60_000;
/** At most this many reads wait; past it the oldest is counted as unmatched (memory stays bounded). */
export const MAX_UNMATCHED_READS = 10_000;

export interface HeldRead {
  read: PlateRead;
  plate: string;
  heldAtMs: number;
}

/**
 * Reads of plates not (yet) on a list, waiting for the list to catch up. Insertion-ordered, so
 * expiry and overflow take the oldest first.
 */
export class UnmatchedReads {
  private readonly held = new Map<string, HeldRead>();

  constructor(
    private readonly holdMs: number = DEFAULT_UNMATCHED_HOLD_MS,
    private readonly capacity: number = MAX_UNMATCHED_READS,
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** Holds a read; returns the reads pushed out by the capacity (count them as unmatched). */
  hold(read: PlateRead, plate: string, nowMs: number): HeldRead[] {
    const id = `${read.list}:${read.row.detection_id}`;
    this.held.delete(id);
    this.held.set(id, { read, plate, heldAtMs: nowMs });
    const overflow: HeldRead[] = [];
    for (const [key, value] of this.held) {
      if (this.held.size <= this.capacity) break;
      this.held.delete(key);
      overflow.push(value);
    }
    return overflow;
  }

  /** Takes every held read the lists now decide as something other than unlisted. */
  recheck(lists: MasterLists): { read: HeldRead; decision: ReadDecision }[] {
    const settled: { read: HeldRead; decision: ReadDecision }[] = [];
    for (const [key, held] of this.held) {
      const decision = decideRead(held.read, lists);
      if (decision.outcome === 'unlisted') continue;
      this.held.delete(key);
      settled.push({ read: held, decision });
    }
    return settled;
  }

  /** Takes the reads held longer than the hold: they stay unmatched. */
  expire(nowMs: number): HeldRead[] {
    const expired: HeldRead[] = [];
    for (const [key, held] of this.held) {
      if (nowMs - held.heldAtMs < this.holdMs) break;
      this.held.delete(key);
      expired.push(held);
    }
    return expired;
  }
}
