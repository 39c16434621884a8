/**
 * Who hears what the ingest path caused, after it is stored and applied: every batch's rows (the
 * alert inbox's drowsy rules, interlock, KPIs), the plate hits (the alert inbox; the fleet flag is
 * set before), and the plates that left a list (the inbox comments the open alert). Listeners are
 * awaited in order, so a Kafka source commits offsets only after all of them.
 */
import type { PlateHit } from '../domain/plate-hits';
import type { DecodedRows } from './decode';
import type { PlateDelisting } from './plate-hits';

export type RowsListener = (rows: DecodedRows, nowMs: number) => Promise<void>;
export type HitsListener = (hits: PlateHit[], nowMs: number) => Promise<void>;
export type DelistedListener = (delistings: PlateDelisting[], nowMs: number) => Promise<void>;

export class IngestFanOut {
  private readonly rows: RowsListener[] = [];
  private readonly hits: HitsListener[] = [];
  private readonly delisted: DelistedListener[] = [];

  onRows(listener: RowsListener): void {
    this.rows.push(listener);
  }

  onHits(listener: HitsListener): void {
    this.hits.push(listener);
  }

  onDelisted(listener: DelistedListener): void {
    this.delisted.push(listener);
  }

  async emitRows(rows: DecodedRows, nowMs: number): Promise<void> {
    for (const listener of this.rows) await listener(rows, nowMs);
  }

  async emitHits(hits: PlateHit[], nowMs: number): Promise<void> {
    for (const listener of this.hits) await listener(hits, nowMs);
  }

  async emitDelisted(delistings: PlateDelisting[], nowMs: number): Promise<void> {
    for (const listener of this.delisted) await listener(delistings, nowMs);
  }
}
