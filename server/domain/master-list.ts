/**
 * One master list (`arrears_info` or `missing_person_info`) as the daily full snapshots the
 * upstream publishes (seed 000 §5.2: every day at 00:00 KST, the whole table, no time filter).
 *
 * The rows carry no snapshot marker, so the boundary is the **KST day of the row's Kafka message
 * timestamp** (when the upstream appended it; the relay's receive time when a source has none).
 * Reading by append time, not arrival, lets a relay that replays several days of the topic after
 * a restart rebuild exactly what each day's snapshot held.
 *
 * A snapshot is complete ("settled") when a row of a later day arrives, or when no row of it has
 * arrived for `settleMs` (a daily dump arrives in one burst). On settling, every entry last
 * confirmed before that day is gone from the list (paid, found): it is delisted at once and stops
 * producing hits, and the caller learns which entries went. An entry confirmed from the store
 * (a row the relay looked up when memory missed) counts as confirmed on the KST day of the lookup,
 * so a row added upstream after midnight is not delisted by that midnight's snapshot.
 *
 * Limit: an empty snapshot sends no rows, so "everyone paid" cannot be told from "not published";
 * the last non-empty snapshot stays until a later one arrives.
 *
 * Pure: time comes in as arguments.
 */
import { KST_OFFSET_MS } from '../../shared/time';

/** `YYYY-MM-DD` of an instant in KST; sortable as text. */
export function kstDay(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** A daily dump arrives within seconds; two quiet minutes mean it is complete. */
export const DEFAULT_SNAPSHOT_SETTLE_MS = 2 * 60_000;

export interface ListEntry<Row> {
  key: string;
  row: Row;
  /** KST day of the newest snapshot (or store lookup) that held this entry. */
  confirmedDay: string;
}

export interface Delisting<Row> {
  key: string;
  row: Row;
  /** The snapshot day that no longer held it. */
  snapshotDay: string;
}

export type ApplyOutcome = 'listed' | 'updated' | 'stale';

export class MasterList<Row> {
  private readonly entries = new Map<string, ListEntry<Row>>();
  /** Keys removed by a settled snapshot, with that snapshot's day: a store row must not revive them. */
  private readonly delisted = new Map<string, string>();
  private newestDay: string | null = null;
  private newestSettled = true;
  private lastRowAtMs = 0;

  constructor(private readonly settleMs: number = DEFAULT_SNAPSHOT_SETTLE_MS) {}

  get size(): number {
    return this.entries.size;
  }

  /** The newest snapshot's KST day, null before the first row. */
  get snapshotDay(): string | null {
    return this.newestDay;
  }

  get(key: string): Row | undefined {
    return this.entries.get(key)?.row;
  }

  /** The day of the snapshot that removed the key, when one did and nothing listed it since. */
  delistedSince(key: string): string | null {
    return this.delisted.get(key) ?? null;
  }

  /**
   * A row of the snapshot of `messageMs`'s KST day. A row of a later day than the newest settles
   * the newest first (its delistings are returned); a row of an older day than the newest is
   * stale (a late redelivery) and changes nothing.
   */
  apply(
    key: string,
    row: Row,
    messageMs: number,
    nowMs: number,
  ): { outcome: ApplyOutcome; delisted: Delisting<Row>[] } {
    const day = kstDay(messageMs);
    let delisted: Delisting<Row>[] = [];
    if (this.newestDay !== null && day < this.newestDay) return { outcome: 'stale', delisted };
    if (this.newestDay !== null && day > this.newestDay && !this.newestSettled) {
      delisted = this.settleNewest();
    }
    if (this.newestDay === null || day > this.newestDay) {
      this.newestDay = day;
      this.newestSettled = false;
    }
    this.lastRowAtMs = nowMs;
    const had = this.entries.has(key);
    this.entries.set(key, { key, row, confirmedDay: day });
    this.delisted.delete(key);
    return { outcome: had ? 'updated' : 'listed', delisted };
  }

  /**
   * A row found in the store when memory missed. Refused (false) when a settled snapshot removed
   * the key: in the embedded store rows are only ever upserted, so an old row outlives its listing.
   */
  confirmFromStore(key: string, row: Row, nowMs: number): boolean {
    if (this.delisted.has(key)) return false;
    const existing = this.entries.get(key);
    if (existing) return true;
    this.entries.set(key, { key, row, confirmedDay: kstDay(nowMs) });
    return true;
  }

  /** Settles the newest snapshot once it has been quiet for `settleMs`; returns its delistings. */
  tick(nowMs: number): Delisting<Row>[] {
    if (this.newestSettled || nowMs - this.lastRowAtMs < this.settleMs) return [];
    return this.settleNewest();
  }

  private settleNewest(): Delisting<Row>[] {
    this.newestSettled = true;
    const day = this.newestDay;
    if (day === null) return [];
    const gone: Delisting<Row>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.confirmedDay < day) gone.push({ key: entry.key, row: entry.row, snapshotDay: day });
    }
    for (const g of gone) {
      this.entries.delete(g.key);
      this.delisted.set(g.key, day);
    }
    return gone;
  }
}
