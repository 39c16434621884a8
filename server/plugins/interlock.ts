/**
 * The interlock adapter: stores device events and derives violations from every ingested batch
 * (before a Kafka source commits its offsets), raises INTERLOCK alerts through the inbox, and
 * checks overdue calibrations and log submissions on a timer.
 */
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { createPlaceLookup } from '../geo/places';
import { InterlockService } from '../interlock/interlock-service';

/** How often overdue calibrations and log submissions are looked for. */
export const OVERDUE_CHECK_MS = 60_000;
const MS_PER_DAY = 86_400_000;

export default fp(
  async (app) => {
    const violations = new Counter({
      name: 'relay_interlock_violations_total',
      help: 'Interlock violations derived, by rule and grade',
      labelNames: ['rule', 'grade'] as const,
      registers: [app.metrics.registry],
    });
    const service = new InterlockService({
      db: app.store.db,
      feed: app.changes,
      kind: app.store.kind,
      raiseAlerts: (detections, nowMs) => app.alerts.ingest(detections, nowMs),
      positionOf: (carId) => {
        const index = app.fleet.indexOf(carId);
        const position = index === undefined ? null : app.fleet.position(index);
        return position ? { lon: position.lon, lat: position.lat } : null;
      },
      placeAt: createPlaceLookup(),
      onViolationCreated: (rule, grade) => violations.inc({ rule, grade }),
      policy: {
        repeatCount: app.config.MONITORING_REPEAT_COUNT,
        windowMs: app.config.MONITORING_WINDOW_DAYS * MS_PER_DAY,
        recalibrationDueDays: app.config.RECALIBRATION_DUE_DAYS,
      },
    });
    // Composed with the alert engine's sink: the pipeline runs every sink, in order.
    app.ingest.addAfterApply(async (rows, nowMs) => {
      if (rows.interlock_event.length > 0) await service.ingest(rows.interlock_event, nowMs);
    });
    app.decorate('interlock', service);

    let timer: NodeJS.Timeout | undefined;
    let checking = false;
    const check = () => {
      // Many relays: one checks (its lease); the others hear the violations it raises.
      if (checking || !app.leases.holds('interlock-overdue')) return;
      checking = true;
      service
        .checkOverdue(Date.now())
        .then((created) => {
          if (created.length > 0) {
            app.log.info({ violations: created.map((v) => v.id) }, 'interlock deadlines missed');
          }
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'interlock overdue check failed'))
        .finally(() => {
          checking = false;
        });
    };
    app.addHook('onReady', async () => {
      timer = setInterval(check, OVERDUE_CHECK_MS);
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await service.drain();
    });
  },
  { name: 'interlock', dependencies: ['database', 'changes', 'fleet', 'alerts', 'leases'] },
);
