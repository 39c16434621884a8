/**
 * When is a feed stale? Not after a fixed 15 s: seed 000 §5.1 moves rows to Kafka in one-minute
 * batches, so a healthy feed can be silent for a minute at a time. The default threshold comes
 * from the cadence observed: the silences between deliveries (gaps shorter than `MIN_GAP_MS` are
 * messages of one burst, not silences), and stale means a silence well past the longest recent
 * one. An operator can fix the threshold instead (`FEED_STALE_MS`).
 *
 * Pure: arrival times come in as arguments.
 */

/** Gaps shorter than this are within one delivery (a batch arrives as a burst). */
export const MIN_GAP_MS = 500;
/** How many recent silences the cadence is judged from (an hour of one-minute batches). */
export const CADENCE_WINDOW = 60;
/** Stale when the silence passes this many times the usual longest silence … */
export const STALE_CADENCE_FACTOR = 3;
/** … but never sooner than this (a 1 Hz feed with a hiccup is not "lost"). */
export const MIN_STALE_MS = 15_000;
/** Before any cadence is known, or for a continuous feed: this. */
export const DEFAULT_STALE_MS = MIN_STALE_MS;
/** The quantile of recent silences taken as "usual" (one freak silence does not set it). */
const CADENCE_QUANTILE = 0.9;

export class FeedCadence {
  private readonly gaps: number[] = [];
  private lastArrivalMs: number | null = null;

  /** `fixedStaleMs`: the configured threshold, or null to derive it from the cadence. */
  constructor(private readonly fixedStaleMs: number | null = null) {}

  /** One delivery (a batch of messages) arrived. */
  arrived(atMs: number): void {
    if (this.lastArrivalMs !== null) {
      const gap = atMs - this.lastArrivalMs;
      if (gap >= MIN_GAP_MS) {
        this.gaps.push(gap);
        if (this.gaps.length > CADENCE_WINDOW) this.gaps.shift();
      }
    }
    if (this.lastArrivalMs === null || atMs > this.lastArrivalMs) this.lastArrivalMs = atMs;
  }

  get lastArrival(): number | null {
    return this.lastArrivalMs;
  }

  /** The usual silence between deliveries, null while none was seen. */
  cadenceMs(): number | null {
    if (this.gaps.length === 0) return null;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(CADENCE_QUANTILE * sorted.length))]!;
  }

  staleAfterMs(): number {
    if (this.fixedStaleMs !== null) return this.fixedStaleMs;
    const cadence = this.cadenceMs();
    return cadence === null
      ? DEFAULT_STALE_MS
      : Math.max(MIN_STALE_MS, Math.round(STALE_CADENCE_FACTOR * cadence));
  }

  /** Stale: nothing for longer than the threshold (since `sinceMs` when nothing ever arrived). */
  isStale(nowMs: number, sinceMs: number): boolean {
    return nowMs - (this.lastArrivalMs ?? sinceMs) > this.staleAfterMs();
  }
}
