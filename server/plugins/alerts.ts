/**
 * The alert inbox adapter: derives alerts from every ingested batch (before a Kafka source commits
 * its offsets), escalates overdue alerts on a timer, and holds the limiter every alert command
 * (REST and socket) passes first (`app.commandLimiter`).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SEVERITIES, type Severity } from '../../shared/alerts';
import { AlertService } from '../alerts/alert-service';
import { createPlaceLookup } from '../geo/places';
import { fleetRuleContext } from '../alerts/rule-context';
import { deriveDetections, plateHitDetection } from '../domain/alert-rules';
import type { AlertPolicy } from '../domain/alert-lifecycle';
import { commandLimitStoreKind } from '../config';
import { CommandLimiter, type LimiterStore } from '../limits/command-limiter';

declare module 'fastify' {
  interface FastifyInstance {
    /** Rate and in-flight limits of alert commands, per socket and per user (issue 14). */
    commandLimiter: CommandLimiter;
  }
}

/** How often overdue alerts are looked for; escalation shows within this of the deadline. */
export const ESCALATION_CHECK_MS = 5_000;
const MS_PER_MINUTE = 60_000;

/** Where the command limits count: Redis (shared by every relay) or this relay's memory. */
function limiterStore(app: FastifyInstance): LimiterStore {
  const kind = commandLimitStoreKind(app.config);
  if (kind === 'redis' && app.redisLink) return { kind, client: app.redisLink.client };
  return { kind: 'memory' };
}

export default fp(
  async (app) => {
    const config = app.config;
    const policy: AlertPolicy = {
      mergeWindowMs: config.ALERT_MERGE_WINDOW_MINUTES * MS_PER_MINUTE,
      deadlineMs: Object.fromEntries(
        SEVERITIES.map((s) => [s, config.ALERT_DEADLINES_MINUTES[s] * MS_PER_MINUTE]),
      ) as Record<Severity, number>,
    };
    const service = new AlertService({
      db: app.store.db,
      feed: app.changes,
      policy,
      isAssignable: (username) => app.users.isAssignable(username),
      onChangeCounted: (action) => app.metrics.alertChanges.inc({ action }),
    });
    const context = fleetRuleContext(app.fleet, createPlaceLookup());
    app.ingest.addAfterApply(async (rows, nowMs) => {
      const detections = deriveDetections(rows, context);
      if (detections.length > 0) await service.ingest(detections, nowMs);
    });
    app.decorate('alerts', service);
    // Plate reads become alerts only through the one hit rule: the hits that also flag the map.
    app.ingest.onPlateHits(async (hits, nowMs) => {
      await service.ingest(
        hits.map((hit) => plateHitDetection(hit, context)),
        nowMs,
      );
    });
    app.decorate(
      'commandLimiter',
      new CommandLimiter(
        {
          socketPerSecond: config.COMMAND_LIMIT_SOCKET_PER_SECOND,
          socketBurst: config.COMMAND_LIMIT_SOCKET_BURST,
          userPerSecond: config.COMMAND_LIMIT_USER_PER_SECOND,
          userBurst: config.COMMAND_LIMIT_USER_BURST,
          inFlightPerSocket: config.COMMAND_LIMIT_IN_FLIGHT,
        },
        limiterStore(app),
      ),
    );

    let timer: NodeJS.Timeout | undefined;
    let checking = false;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        // Many relays: one sweeps (its lease); the others' inboxes hear the changes.
        if (checking || !app.leases.holds('alert-sweeps')) return;
        checking = true;
        service
          .escalateDue(Date.now())
          .then((escalated) => {
            if (escalated.length > 0) {
              app.log.info({ alerts: escalated.map((a) => a.id) }, 'alerts escalated');
            }
          })
          .catch((error: unknown) => app.log.error({ err: error }, 'escalation check failed'))
          .finally(() => {
            checking = false;
          });
      }, ESCALATION_CHECK_MS);
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await service.drain();
    });
  },
  { name: 'alerts', dependencies: ['database', 'changes', 'fleet', 'auth', 'leases', 'redis'] },
);
