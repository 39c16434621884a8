/**
 * Pipeline alarms in the inbox (issue 15, DESIGN §14): every alarm evaluation of the
 * pipeline-health plugin is turned into PIPELINE_HEALTH system alerts — raised when an alarm
 * starts, resolved by `system` with a note when it ends (server/domain/pipeline-alerts.ts decides).
 * Both go through the alert service and so the one change feed: clients and other relays hear them
 * like any alert change.
 *
 * Many relays: every relay evaluates the alarms (each knows its own consumer and topics), but only
 * the holder of the `alert-sweeps` lease writes alerts, like the escalation sweep. Those are the
 * same kind of work — system changes to the inbox that must happen once — and one lease keeps one
 * relay answerable for the inbox's automatic changes; when it moves, the next holder raises what it
 * sees active without an open alert, and an episode already raised is recognised by its natural key.
 */
import fp from 'fastify-plugin';
import { MAX_ALERT_LIST_LIMIT, OPEN_STATUSES } from '../../shared/alerts';
import type { AlarmChanges } from '../domain/pipeline-alarms';
import { planPipelineAlerts } from '../domain/pipeline-alerts';

/** The lease of the inbox's automatic changes (escalation, pipeline alarms). */
const SWEEP_LEASE = 'alert-sweeps';

export default fp(
  async (app) => {
    const apply = async (changes: AlarmChanges, nowMs: number) => {
      if (!app.leases.holds(SWEEP_LEASE)) return;
      const open = await app.alerts.list({
        status: [...OPEN_STATUSES],
        type: ['PIPELINE_HEALTH'],
        limit: MAX_ALERT_LIST_LIMIT,
      });
      const plan = planPipelineAlerts(changes, open, nowMs);
      if (plan.raise.length > 0) {
        const raised = await app.alerts.ingest(plan.raise, nowMs);
        app.log.info({ alerts: raised.map((a) => a.id) }, 'pipeline alarm alerts raised');
      }
      for (const { alert, note } of plan.clear) await clear(alert.id, note);
    };
    const clear = async (id: number, note: string) => {
      const resolved = await app.alerts.resolveBySystem(id, note);
      if (resolved) app.log.info({ alert: id }, 'pipeline alarm alert cleared');
    };
    app.onPipelineAlarms(apply);
  },
  // Registered by the pipeline-health plugin, whose `onPipelineAlarms` it listens to.
  { name: 'pipeline-alerts', dependencies: ['alerts', 'leases'] },
);
