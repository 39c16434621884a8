/**
 * The seed's KPIs and pipeline health (seed 000 §9–§10, DESIGN §14) as the relay reports them:
 * `GET /api/kpis` (JSON) for the desktop KPI panel, and the same figures in `/metrics`. Each
 * figure travels with its target, so the client only has to show it and colour a miss.
 */

export const KPI_IDS = [
  'processing_delay',
  'consumer_lag',
  'ocr_read_rate_hour',
  'ocr_read_rate_day',
  'ocr_confidence_hour',
  'ocr_confidence_day',
  'arrears_hits_month',
  'feed_availability_30d',
  // Seed 001 §10, the interlock figures the relay can know (server/domain/interlock-kpis.ts).
  'interlock_log_submission_rate',
  'interlock_calibration_compliance',
  'interlock_calibration_pass_rate',
  'interlock_abnormal_logs_today',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

/** How a value meets its target: below (`lt`), at most (`lte`), above (`gt`), at least (`gte`). */
export type KpiComparison = 'lt' | 'lte' | 'gt' | 'gte';
export type KpiUnit = 'ms' | 'ratio' | 'count' | 'messages';

export interface KpiFigure {
  id: KpiId;
  /** Null while there is nothing to measure (no reads this hour, no lag from the simulator). */
  value: number | null;
  /**
   * Null where the seed's target cannot be measured: its abnormal-log *detection rate* needs
   * every abnormal log there was, so the relay shows the count it detected, beside no target.
   */
  target: number | null;
  comparison: KpiComparison;
  unit: KpiUnit;
  /** Null when value is null: no data is neither a hit nor a miss. */
  met: boolean | null;
  /** What the value was measured over (reads, samples, frames), when that matters to trust it. */
  samples: number | null;
}

export type PipelineAlarmKind = 'consumer_lag' | 'topic_stalled';

export interface PipelineAlarmView {
  key: string;
  kind: PipelineAlarmKind;
  topic: string | null;
  sinceMs: number;
  value: number;
  threshold: number;
}

export interface TopicFreshness {
  topic: string;
  lastMessageMs: number | null;
  /** The usual silence between deliveries, null before two deliveries. */
  cadenceMs: number | null;
  staleAfterMs: number;
  stale: boolean;
}

export interface KpiReport {
  atMs: number;
  figures: KpiFigure[];
  alarms: PipelineAlarmView[];
  topics: TopicFreshness[];
}

/** Whether a value meets its target; null without a value. */
export function meetsTarget(
  value: number | null,
  target: number | null,
  comparison: KpiComparison,
): boolean | null {
  if (value === null || target === null) return null;
  switch (comparison) {
    case 'lt':
      return value < target;
    case 'lte':
      return value <= target;
    case 'gt':
      return value > target;
    case 'gte':
      return value >= target;
  }
}
