/**
 * The seed's KPIs (seed 000 §10) computed from what the relay measures. Pure: the measurements
 * (counts from the store, samples, rolling delays) and the time come in.
 *
 * | KPI                     | target        | measured from                                        |
 * |-------------------------|---------------|------------------------------------------------------|
 * | processing delay        | < 5 s (mean)  | event time → frame sent, last 5 minutes              |
 * | consumer lag            | ≤ 10,000      | Kafka consumer lag, now                              |
 * | OCR read-success rate   | > 95 %        | detection_success of both detection topics, KST hour/day |
 * | OCR mean confidence     | > 95 %        | `confidence` where the message carries one           |
 * | arrears hits this month | ≥ 100         | arrears hits the relay recorded since the KST month began |
 * | feed availability, 30 d | ≥ 99.9 %      | the relay's own per-minute health samples in the store |
 */
import { KST_OFFSET_MS } from '../../shared/time';
import {
  CALIBRATION_COMPLIANCE_TARGET,
  CALIBRATION_PASS_RATE_TARGET,
  LOG_SUBMISSION_RATE_TARGET,
} from './interlock-kpis';
import {
  meetsTarget,
  type KpiComparison,
  type KpiFigure,
  type KpiId,
  type KpiUnit,
} from '../../shared/kpis';

export const KPI_TARGETS: Readonly<
  Record<KpiId, { target: number | null; comparison: KpiComparison; unit: KpiUnit }>
> = {
  processing_delay: { target: 5_000, comparison: 'lt', unit: 'ms' },
  consumer_lag: { target: 10_000, comparison: 'lte', unit: 'messages' },
  ocr_read_rate_hour: { target: 0.95, comparison: 'gt', unit: 'ratio' },
  ocr_read_rate_day: { target: 0.95, comparison: 'gt', unit: 'ratio' },
  ocr_confidence_hour: { target: 0.95, comparison: 'gt', unit: 'ratio' },
  ocr_confidence_day: { target: 0.95, comparison: 'gt', unit: 'ratio' },
  arrears_hits_month: { target: 100, comparison: 'gte', unit: 'count' },
  feed_availability_30d: { target: 0.999, comparison: 'gte', unit: 'ratio' },
  // Seed 001 §10 (server/domain/interlock-kpis.ts).
  interlock_log_submission_rate: {
    target: LOG_SUBMISSION_RATE_TARGET,
    comparison: 'gte',
    unit: 'ratio',
  },
  interlock_calibration_compliance: {
    target: CALIBRATION_COMPLIANCE_TARGET,
    comparison: 'gte',
    unit: 'ratio',
  },
  interlock_calibration_pass_rate: {
    target: CALIBRATION_PASS_RATE_TARGET,
    comparison: 'gte',
    unit: 'ratio',
  },
  interlock_abnormal_logs_today: { target: null, comparison: 'gte', unit: 'count' },
};

export const AVAILABILITY_WINDOW_MS = 30 * 24 * 60 * 60_000;
/** The relay writes one health sample a minute. */
export const HEALTH_SAMPLE_INTERVAL_MS = 60_000;

export function figure(
  id: KpiId,
  value: number | null,
  samples: number | null = null,
  target: number | null = KPI_TARGETS[id].target,
): KpiFigure {
  const { comparison, unit } = KPI_TARGETS[id];
  return {
    id,
    value,
    target,
    comparison,
    unit,
    met: meetsTarget(value, target, comparison),
    samples,
  };
}

/** Start (epoch ms) of the KST hour, day and month that `nowMs` is in. */
export function kstPeriodStarts(nowMs: number): { hour: number; day: number; month: number } {
  const local = new Date(nowMs + KST_OFFSET_MS);
  const hour = Date.UTC(
    local.getUTCFullYear(),
    local.getUTCMonth(),
    local.getUTCDate(),
    local.getUTCHours(),
  );
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const month = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  return { hour: hour - KST_OFFSET_MS, day: day - KST_OFFSET_MS, month: month - KST_OFFSET_MS };
}

/**
 * Share of the window the feed was up. Every minute of the window counts from the first sample
 * (a relay that was not running was not delivering, so a missing sample counts as down), and the
 * window never starts before the first sample (a relay installed yesterday is not 29 days down).
 */
export function feedAvailability(
  upSamples: number,
  firstSampleMs: number | null,
  nowMs: number,
  windowMs: number = AVAILABILITY_WINDOW_MS,
  intervalMs: number = HEALTH_SAMPLE_INTERVAL_MS,
): { value: number | null; expected: number } {
  if (firstSampleMs === null) return { value: null, expected: 0 };
  const start = Math.max(firstSampleMs, nowMs - windowMs);
  // Whole minutes since the first sample; the current minute counts once it has its sample.
  const expected = Math.max(1, Math.floor((nowMs - start) / intervalMs));
  return { value: Math.min(1, upSamples / expected), expected };
}

/** Reads and confidences of one period; confidence only from messages that carry one. */
export interface OcrCounts {
  reads: number;
  successes: number;
  confidenceSum: number;
  confidenceCount: number;
}

export const EMPTY_OCR_COUNTS: OcrCounts = {
  reads: 0,
  successes: 0,
  confidenceSum: 0,
  confidenceCount: 0,
};

export function ocrFigures(hour: OcrCounts, day: OcrCounts): KpiFigure[] {
  const rate = (c: OcrCounts) => (c.reads === 0 ? null : c.successes / c.reads);
  const confidence = (c: OcrCounts) =>
    c.confidenceCount === 0 ? null : c.confidenceSum / c.confidenceCount;
  return [
    figure('ocr_read_rate_hour', rate(hour), hour.reads),
    figure('ocr_read_rate_day', rate(day), day.reads),
    figure('ocr_confidence_hour', confidence(hour), hour.confidenceCount),
    figure('ocr_confidence_day', confidence(day), day.confidenceCount),
  ];
}

/**
 * OCR reads by KST hour, kept in memory for the confidence (the seed tables have no confidence
 * column) and for the read counts of a source whose rows are not in the store.
 */
export class OcrTally {
  private readonly byHour = new Map<number, OcrCounts>();
  /** A day and an hour of buckets is all the KPIs read. */
  private static readonly KEEP_HOURS = 25;

  record(success: boolean, confidence: number | null, atMs: number): void {
    const hour = kstPeriodStarts(atMs).hour;
    const c = this.byHour.get(hour) ?? { ...EMPTY_OCR_COUNTS };
    c.reads += 1;
    if (success) c.successes += 1;
    if (confidence !== null && Number.isFinite(confidence)) {
      c.confidenceSum += confidence;
      c.confidenceCount += 1;
    }
    this.byHour.set(hour, c);
    if (this.byHour.size > OcrTally.KEEP_HOURS) {
      const oldest = Math.min(...this.byHour.keys());
      this.byHour.delete(oldest);
    }
  }

  /** Counts of the current KST hour and day. */
  counts(nowMs: number): { hour: OcrCounts; day: OcrCounts } {
    const starts = kstPeriodStarts(nowMs);
    const day = { ...EMPTY_OCR_COUNTS };
    for (const [hourStart, c] of this.byHour) {
      if (hourStart < starts.day || hourStart > nowMs) continue;
      day.reads += c.reads;
      day.successes += c.successes;
      day.confidenceSum += c.confidenceSum;
      day.confidenceCount += c.confidenceCount;
    }
    return { hour: { ...(this.byHour.get(starts.hour) ?? EMPTY_OCR_COUNTS) }, day };
  }
}

/** Event → frame delays of the last few minutes: the mean is the seed's KPI. */
export class RollingDelay {
  private readonly samples: { atMs: number; delayMs: number }[] = [];
  private sum = 0;

  constructor(private readonly windowMs: number = 5 * 60_000) {}

  record(delayMs: number, atMs: number): void {
    this.samples.push({ atMs, delayMs });
    this.sum += delayMs;
    this.trim(atMs);
  }

  mean(nowMs: number): { value: number | null; samples: number } {
    this.trim(nowMs);
    const n = this.samples.length;
    return { value: n === 0 ? null : this.sum / n, samples: n };
  }

  private trim(nowMs: number): void {
    while (this.samples.length > 0 && nowMs - this.samples[0]!.atMs > this.windowMs) {
      this.sum -= this.samples.shift()!.delayMs;
    }
  }
}
