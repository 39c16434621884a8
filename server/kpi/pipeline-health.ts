/**
 * The relay's live view of the seed KPIs and the pipeline alarms (issue 15, DESIGN §14): fed by
 * the ingest path (deliveries per topic, OCR reads), the frame sender (event → frame delay) and
 * the source (consumer lag); answers `GET /api/kpis`, exports the figures to `/metrics`, writes a
 * feed-health sample a minute to the store (the 30-day availability) and reports alarm changes
 * (raised, cleared) to whoever turns them into system alerts. The rules are pure
 * (server/domain/feed-cadence, pipeline-alarms, seed-kpis); this adapter only measures and stores.
 */
import type { Kysely } from 'kysely';
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { StoreKind } from '../../shared/events';
import type { KpiFigure, KpiReport, TopicFreshness } from '../../shared/kpis';
import { TOPIC_NAMES, type TopicName } from '../../shared/topics';
import { FeedCadence } from '../domain/feed-cadence';
import { PipelineAlarms, type AlarmChanges } from '../domain/pipeline-alarms';
import {
  AVAILABILITY_WINDOW_MS,
  feedAvailability,
  figure,
  HEALTH_SAMPLE_INTERVAL_MS,
  kstPeriodStarts,
  ocrFigures,
  OcrTally,
  RollingDelay,
  type OcrCounts,
} from '../domain/seed-kpis';
import {
  arrearsHitsSince,
  healthSamplesSince,
  ocrCountsBetween,
  recordHealthSample,
} from '../store/kpi-repository';
import type { Database } from '../store/schema';
import { interlockFigures } from './interlock-kpis';

/** Daily full snapshots: silent for a day by design, so never "stalled" or stale. */
const MASTER_TOPICS: ReadonlySet<TopicName> = new Set(['arrears_info', 'missing_person_info']);
/** The KPI report reads the store; clients asking more often than this get the last one. */
const REPORT_CACHE_MS = 10_000;
/** Processing-delay buckets (seconds) around the seed's 5 s target. */
const DELAY_BUCKETS_S = [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300];

export interface PipelineHealthOptions {
  db: Kysely<Database>;
  kind: StoreKind;
  /** This relay's name in the samples (several relays may share one store). */
  instance: string;
  registry: Registry;
  lagThreshold: number;
  stalledTopicMs: number;
  /** Fixed feed stale time, or null to derive it from the cadence. */
  feedStaleMs: number | null;
  /** Total consumer lag now, null without Kafka. */
  consumerLag: () => number | null;
  /** Whether the store answers (a store outage is a feed outage for the control room). */
  storeUp: () => boolean;
  /** Whether the relay reads OCR counts from the store (its rows are there) or from memory. */
  ocrFromStore: boolean;
  startedMs: number;
}

export class PipelineHealth {
  readonly feed: FeedCadence;
  private readonly topics = new Map<TopicName, FeedCadence>();
  private readonly alarms: PipelineAlarms;
  private readonly delay = new RollingDelay();
  private readonly ocr = new OcrTally();
  private cached: { atMs: number; report: KpiReport } | null = null;
  private readonly delayHistogram: Histogram;
  private readonly figureGauge: Gauge<'kpi'>;
  private readonly targetGauge: Gauge<'kpi'>;
  private readonly alarmGauge: Gauge<'alarm'>;
  private lastChanges: AlarmChanges = { raised: [], cleared: [], active: [] };

  constructor(private readonly options: PipelineHealthOptions) {
    this.feed = new FeedCadence(options.feedStaleMs);
    for (const topic of TOPIC_NAMES) {
      if (!MASTER_TOPICS.has(topic)) this.topics.set(topic, new FeedCadence());
    }
    this.alarms = new PipelineAlarms({
      lagThreshold: options.lagThreshold,
      stalledTopicMs: options.stalledTopicMs,
    });
    const registers = [options.registry];
    this.delayHistogram = new Histogram({
      name: 'relay_processing_delay_seconds',
      help: 'Age of a position when its frame is sent (event time → frame); seed KPI: mean < 5 s',
      buckets: DELAY_BUCKETS_S,
      registers,
    });
    this.figureGauge = new Gauge({
      name: 'relay_kpi_value',
      help: 'Seed KPI figures as on the KPI panel (ms, ratio 0–1, count); absent without data',
      labelNames: ['kpi'] as const,
      registers,
    });
    this.targetGauge = new Gauge({
      name: 'relay_kpi_target',
      help: 'The target of each seed KPI (see relay_kpi_value)',
      labelNames: ['kpi'] as const,
      registers,
    });
    this.alarmGauge = new Gauge({
      name: 'relay_pipeline_alarm',
      help: 'Open pipeline-health alarms (1 while raised), by alarm key',
      labelNames: ['alarm'] as const,
      registers,
    });
  }

  /** Messages of a topic arrived (once per delivered batch, not per message). */
  delivered(topic: string, atMs: number): void {
    this.feed.arrived(atMs);
    this.topics.get(topic as TopicName)?.arrived(atMs);
  }

  /** A frame went out carrying positions whose event times average `meanEventMs`. */
  frameSent(meanEventMs: number, sentMs: number): void {
    const delayMs = Math.max(0, sentMs - meanEventMs);
    this.delay.record(delayMs, sentMs);
    this.delayHistogram.observe(delayMs / 1000);
  }

  ocrRead(success: boolean, confidence: number | null, atMs: number): void {
    this.ocr.record(success, confidence, atMs);
  }

  feedStale(nowMs: number): boolean {
    return this.feed.isStale(nowMs, this.options.startedMs);
  }

  /** Evaluates the alarms now; the caller raises and clears system alerts from the changes. */
  evaluateAlarms(nowMs: number): AlarmChanges {
    this.lastChanges = this.alarms.evaluate({
      nowMs,
      consumerLag: this.options.consumerLag(),
      // Only topics with a rhythm: one that delivered a single burst (the vehicle list at start)
      // has no usual silence to be late against.
      topics: [...this.topics]
        .filter(([, cadence]) => cadence.cadenceMs() !== null)
        .map(([topic, cadence]) => ({
          topic,
          lastMessageMs: cadence.lastArrival,
          staleAfterMs: cadence.staleAfterMs(),
        })),
    });
    for (const alarm of this.lastChanges.cleared) this.alarmGauge.remove(alarm.key);
    for (const alarm of this.lastChanges.active) this.alarmGauge.set({ alarm: alarm.key }, 1);
    return this.lastChanges;
  }

  /** This minute's availability sample: up when the feed is fresh and the store answers. */
  async sample(nowMs: number): Promise<void> {
    const up = !this.feedStale(nowMs) && this.options.storeUp();
    await recordHealthSample(this.options.db, this.options.kind, this.options.instance, nowMs, up);
  }

  async report(nowMs: number): Promise<KpiReport> {
    if (this.cached && nowMs - this.cached.atMs < REPORT_CACHE_MS) return this.cached.report;
    const figures = await this.figures(nowMs);
    const topics: TopicFreshness[] = [...this.topics].map(([topic, cadence]) => ({
      topic,
      lastMessageMs: cadence.lastArrival,
      cadenceMs: cadence.cadenceMs(),
      staleAfterMs: cadence.staleAfterMs(),
      stale: cadence.cadenceMs() !== null && cadence.isStale(nowMs, this.options.startedMs),
    }));
    const report: KpiReport = {
      atMs: nowMs,
      figures,
      alarms: this.lastChanges.active,
      topics,
    };
    for (const f of figures) {
      if (f.target === null) this.targetGauge.remove(f.id);
      else this.targetGauge.set({ kpi: f.id }, f.target);
      if (f.value === null) this.figureGauge.remove(f.id);
      else this.figureGauge.set({ kpi: f.id }, f.value);
    }
    this.cached = { atMs: nowMs, report };
    return report;
  }

  private async figures(nowMs: number): Promise<KpiFigure[]> {
    const starts = kstPeriodStarts(nowMs);
    const delay = this.delay.mean(nowMs);
    const lag = this.options.consumerLag();
    const memory = this.ocr.counts(nowMs);
    let hour: OcrCounts = memory.hour;
    let day: OcrCounts = memory.day;
    if (this.options.ocrFromStore) {
      // Reads of the whole period, also those from before this relay started; the confidence
      // has no column in the seed tables, so it stays what this relay saw.
      hour = {
        ...memory.hour,
        ...(await ocrCountsBetween(this.options.db, starts.hour, nowMs + 1)),
      };
      day = { ...memory.day, ...(await ocrCountsBetween(this.options.db, starts.day, nowMs + 1)) };
    }
    const hits = await arrearsHitsSince(this.options.db, starts.month);
    const samples = await healthSamplesSince(
      this.options.db,
      this.options.instance,
      nowMs - AVAILABILITY_WINDOW_MS,
    );
    const availability = feedAvailability(
      samples.up,
      samples.firstMs,
      nowMs,
      AVAILABILITY_WINDOW_MS,
      HEALTH_SAMPLE_INTERVAL_MS,
    );
    return [
      figure('processing_delay', delay.value, delay.samples),
      figure('consumer_lag', lag, null, this.options.lagThreshold),
      ...ocrFigures(hour, day),
      figure('arrears_hits_month', hits),
      figure('feed_availability_30d', availability.value, availability.expected),
      ...(await interlockFigures(this.options.db, nowMs, starts.day)),
    ];
  }
}
