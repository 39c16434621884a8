/**
 * The seed KPIs and pipeline alarms as a plugin: measures every delivered batch and OCR read from
 * the ingest path, evaluates the alarms every few seconds (listeners turn raises and clears into
 * system alerts), writes a feed-health sample a minute, and serves `GET /api/kpis`.
 */
import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { PipelineHealth } from '../kpi/pipeline-health';
import type { AlarmChanges } from '../domain/pipeline-alarms';
import { HEALTH_SAMPLE_INTERVAL_MS } from '../domain/seed-kpis';
import { kpiRoutes } from '../routes/kpis';
import pipelineAlertsPlugin from './pipeline-alerts';

/** Alarms are checked this often: a lag spike shows in the inbox within it. */
const ALARM_EVALUATION_MS = 5_000;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;

export type AlarmListener = (changes: AlarmChanges, nowMs: number) => Promise<void> | void;

declare module 'fastify' {
  interface FastifyInstance {
    pipelineHealth: PipelineHealth;
    /**
     * Called with every evaluation that raised or cleared an alarm or has one active (so a relay
     * that takes over the alarm alerts sees what is on), one call at a time.
     */
    onPipelineAlarms: (listener: AlarmListener) => void;
  }
}

export default fp(
  async (app) => {
    const startedMs = Date.now();
    const health = new PipelineHealth({
      db: app.store.db,
      kind: app.store.kind,
      instance: `${hostname()}:${app.config.PORT}`,
      registry: app.metrics.registry,
      lagThreshold: app.config.PIPELINE_LAG_ALARM,
      stalledTopicMs: app.config.PIPELINE_STALLED_TOPIC_MINUTES * MS_PER_MINUTE,
      feedStaleMs:
        app.config.FEED_STALE_SECONDS === undefined
          ? null
          : app.config.FEED_STALE_SECONDS * MS_PER_SECOND,
      // The simulator has no consumer and so no lag: nothing to judge, not a met target.
      consumerLag: () => (app.source.kind === 'kafka' ? app.source.lag().total : null),
      storeUp: () => (app.hasDecorator('storeHealth') ? app.storeHealth.state().up : true),
      // The detections are in the store when the upstream or the relay writes them there.
      ocrFromStore: true,
      startedMs,
    });
    const listeners: AlarmListener[] = [];
    app.decorate('pipelineHealth', health);
    app.decorate('onPipelineAlarms', (listener: AlarmListener) => void listeners.push(listener));

    app.ingest.addAfterApply(async (rows, nowMs) => {
      for (const [topic, list] of Object.entries(rows)) {
        if (list.length > 0) health.delivered(topic, nowMs);
      }
      for (const row of rows.arrears_detection) {
        health.ocrRead(row.detection_success, row.confidence, row.detected_time);
      }
      for (const row of rows.missing_person_detection) {
        health.ocrRead(row.detection_success, null, row.detected_time);
      }
    });

    let alarmTimer: NodeJS.Timeout | undefined;
    let sampleTimer: NodeJS.Timeout | undefined;
    const evaluate = async () => {
      const nowMs = Date.now();
      const changes = health.evaluateAlarms(nowMs);
      for (const alarm of changes.raised) app.log.warn({ alarm }, 'pipeline alarm raised');
      for (const alarm of changes.cleared) app.log.info({ alarm }, 'pipeline alarm cleared');
      const quiet =
        changes.raised.length === 0 && changes.cleared.length === 0 && changes.active.length === 0;
      if (quiet) return;
      for (const listener of listeners) await listener(changes, nowMs);
    };
    // One evaluation after the other: a slow listener (the store) must not see a clear before the
    // raise it ends, nor skip one.
    let evaluating: Promise<void> = Promise.resolve();
    const sample = async () => {
      try {
        await health.sample(Date.now());
      } catch (error) {
        // The store is down: that minute has no sample, which the KPI counts as down.
        app.log.warn({ err: error }, 'feed-health sample not written');
      }
    };
    app.addHook('onReady', async () => {
      alarmTimer = setInterval(() => {
        evaluating = evaluating
          .then(evaluate)
          .catch((error: unknown) =>
            app.log.error({ err: error }, 'pipeline alarm evaluation failed'),
          );
      }, ALARM_EVALUATION_MS);
      sampleTimer = setInterval(() => void sample(), HEALTH_SAMPLE_INTERVAL_MS);
      alarmTimer.unref();
      sampleTimer.unref();
    });
    // Before the store closes: an evaluation in flight may still be writing an alarm's alert.
    app.addHook('preClose', async () => {
      clearInterval(alarmTimer);
      await evaluating;
    });
    app.addHook('onClose', async () => {
      clearInterval(sampleTimer);
    });
    await app.register(kpiRoutes);
    await app.register(pipelineAlertsPlugin);
  },
  { name: 'pipeline-health', dependencies: ['fleet', 'source', 'auth', 'alerts', 'leases'] },
);
