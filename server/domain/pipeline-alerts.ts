/**
 * Pipeline alarms as system alerts in the inbox (issue 15, DESIGN §14): which alarms raise an
 * alert, which open alerts clear, and what each says. One open alert per alarm (`consumer_lag`,
 * `topic_stalled:<topic>`): a raise while one is open merges into it (alert-lifecycle `canMerge`);
 * an alarm episode's natural key (`alarm key + start`) is its detection's source id, so the same
 * episode is never counted twice, not by a second evaluation, not by another relay, and not after
 * a restart, and an alert a person resolved stays resolved for the rest of that episode.
 *
 * Pure: the alarms (server/domain/pipeline-alarms.ts) and the open alerts come in.
 */
import type { Alert, PipelineHealthEvidence, Severity } from '../../shared/alerts';
import type { Detection } from './alert-rules';
import type { AlarmChanges, PipelineAlarm } from './pipeline-alarms';

/** A backlog delays every alert behind it: people must look soon. */
export const CONSUMER_LAG_SEVERITY: Severity = 'high';
/** One silent topic hides one kind of alert; the others still arrive. */
export const TOPIC_STALLED_SEVERITY: Severity = 'medium';

/** The resolution notes of an alarm that ended (Korean first, like the inbox). */
export const CLEAR_NOTES: Readonly<Record<PipelineAlarm['kind'], string>> = {
  consumer_lag: '지연 해소 / lag recovered',
  topic_stalled: '토픽 수신 재개 / topic flowing again',
};

/** What "the same vehicle" is for a system alert: the alarm itself. */
export function alarmVehicleKey(alarmKey: string): string {
  return `pipeline:${alarmKey}`;
}

/** The alarm key an alert's evidence belongs to (as PipelineAlarm.key). */
export function alarmKeyOf(evidence: PipelineHealthEvidence): string {
  return evidence.alarm === 'topic_stalled'
    ? `topic_stalled:${evidence.topic ?? ''}`
    : evidence.alarm;
}

/** The detection of one alarm episode: no vehicle, no place, no map marker. */
export function pipelineAlarmDetection(alarm: PipelineAlarm, nowMs: number): Detection {
  return {
    // The episode's natural key: the same alarm started at the same moment.
    sourceId: `pipeline_alarm:${alarm.key}:${alarm.sinceMs}`,
    type: 'PIPELINE_HEALTH',
    severity: alarm.kind === 'consumer_lag' ? CONSUMER_LAG_SEVERITY : TOPIC_STALLED_SEVERITY,
    atMs: nowMs,
    vehicleKey: alarmVehicleKey(alarm.key),
    carId: null,
    plate: null,
    position: null,
    place: null,
    evidence: {
      type: 'PIPELINE_HEALTH',
      alarm: alarm.kind,
      topic: alarm.topic,
      value: alarm.value,
      threshold: alarm.threshold,
      sinceMs: alarm.sinceMs,
    },
  };
}

export interface PipelineAlertClear {
  alert: Alert;
  note: string;
}

export interface PipelineAlertPlan {
  raise: Detection[];
  clear: PipelineAlertClear[];
}

/**
 * From one evaluation's alarm changes and the open PIPELINE_HEALTH alerts:
 * - raise every alarm that just started (a repeat of an open one merges into it), and every active
 *   alarm without an open alert (this relay just took over the sweeps, or it started mid-alarm);
 * - clear the open alert of every alarm that just ended (resolved by `system` with its note).
 * An open alert whose alarm this relay never saw end (it ended while no relay watched) is left to
 * a person: clearing it on a guess could hide an alarm that is still on.
 */
export function planPipelineAlerts(
  changes: AlarmChanges,
  openAlerts: readonly Alert[],
  nowMs: number,
): PipelineAlertPlan {
  const openByKey = new Map<string, Alert>();
  for (const alert of openAlerts) {
    if (alert.evidence.type === 'PIPELINE_HEALTH' && alert.status !== 'resolved') {
      openByKey.set(alarmKeyOf(alert.evidence), alert);
    }
  }
  const justRaised = new Set(changes.raised.map((a) => a.key));
  const activeKeys = new Set(changes.active.map((a) => a.key));
  const raise = changes.active
    .filter((alarm) => justRaised.has(alarm.key) || !openByKey.has(alarm.key))
    .map((alarm) => pipelineAlarmDetection(alarm, nowMs));
  const clear: PipelineAlertClear[] = [];
  for (const alarm of changes.cleared) {
    const alert = openByKey.get(alarm.key);
    if (alert && !activeKeys.has(alarm.key)) clear.push({ alert, note: CLEAR_NOTES[alarm.kind] });
  }
  return { raise, clear };
}
