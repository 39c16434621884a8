import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/alerts';
import {
  canMerge,
  createAlert,
  DEFAULT_ALERT_POLICY,
} from '../../../server/domain/alert-lifecycle';
import type { AlarmChanges, PipelineAlarm } from '../../../server/domain/pipeline-alarms';
import {
  alarmKeyOf,
  CLEAR_NOTES,
  CONSUMER_LAG_SEVERITY,
  pipelineAlarmDetection,
  planPipelineAlerts,
  TOPIC_STALLED_SEVERITY,
} from '../../../server/domain/pipeline-alerts';
import { maskEvidence } from '../../../server/domain/masking';

const MIN = 60_000;
const T = Date.UTC(2025, 11, 9, 5, 30);

const lag: PipelineAlarm = {
  key: 'consumer_lag',
  kind: 'consumer_lag',
  topic: null,
  sinceMs: T,
  value: 12_000,
  threshold: 10_000,
};
const stalled: PipelineAlarm = {
  key: 'topic_stalled:drowsy_drive',
  kind: 'topic_stalled',
  topic: 'drowsy_drive',
  sinceMs: T,
  value: 7 * MIN,
  threshold: 5 * MIN,
};

const changes = (over: Partial<AlarmChanges>): AlarmChanges => ({
  raised: [],
  cleared: [],
  active: [],
  ...over,
});

const openAlertOf = (alarm: PipelineAlarm, id: number): Alert => ({
  ...createAlert(pipelineAlarmDetection(alarm, T), DEFAULT_ALERT_POLICY, T),
  id,
  seq: id,
});

describe('pipeline alarm detections', () => {
  it('carries the alarm, no vehicle and no place, under the episode key', () => {
    const d = pipelineAlarmDetection(lag, T + 5_000);
    expect(d).toMatchObject({
      type: 'PIPELINE_HEALTH',
      severity: CONSUMER_LAG_SEVERITY,
      sourceId: `pipeline_alarm:consumer_lag:${T}`,
      vehicleKey: 'pipeline:consumer_lag',
      carId: null,
      plate: null,
      position: null,
      place: null,
      evidence: {
        alarm: 'consumer_lag',
        topic: null,
        value: 12_000,
        threshold: 10_000,
        sinceMs: T,
      },
    });
    expect(pipelineAlarmDetection(stalled, T).severity).toBe(TOPIC_STALLED_SEVERITY);
    expect(alarmKeyOf(pipelineAlarmDetection(stalled, T).evidence as never)).toBe(stalled.key);
    // Nothing personal to hide.
    expect(maskEvidence(d.evidence).maskedFields).toEqual([]);
  });

  it('a new episode of an open alarm merges into its alert however long it has been open', () => {
    const open = openAlertOf(lag, 1);
    const later = pipelineAlarmDetection({ ...lag, sinceMs: T + 3 * 60 * MIN }, T + 3 * 60 * MIN);
    expect(canMerge(open, later.vehicleKey, later, DEFAULT_ALERT_POLICY)).toBe(true);
    const otherAlarm = pipelineAlarmDetection(stalled, T);
    expect(canMerge(open, later.vehicleKey, otherAlarm, DEFAULT_ALERT_POLICY)).toBe(false);
  });
});

describe('planning pipeline alerts', () => {
  it('raises an alarm that started', () => {
    const plan = planPipelineAlerts(changes({ raised: [lag], active: [lag] }), [], T);
    expect(plan.raise.map((d) => d.sourceId)).toEqual([`pipeline_alarm:consumer_lag:${T}`]);
    expect(plan.clear).toEqual([]);
  });

  it('an alarm that started again while its alert is open is a repeat (merged), not a second alert', () => {
    const open = openAlertOf(lag, 1);
    const again = { ...lag, sinceMs: T + MIN };
    const plan = planPipelineAlerts(changes({ raised: [again], active: [again] }), [open], T + MIN);
    expect(plan.raise).toHaveLength(1);
    expect(plan.raise[0]!.vehicleKey).toBe('pipeline:consumer_lag');
  });

  it('an alarm still on with its alert open raises nothing more', () => {
    const plan = planPipelineAlerts(changes({ active: [lag] }), [openAlertOf(lag, 1)], T + MIN);
    expect(plan).toEqual({ raise: [], clear: [] });
  });

  it('an alarm on without an open alert is raised (this relay took over the sweeps)', () => {
    const plan = planPipelineAlerts(changes({ active: [stalled] }), [openAlertOf(lag, 1)], T);
    expect(plan.raise.map((d) => d.vehicleKey)).toEqual(['pipeline:topic_stalled:drowsy_drive']);
  });

  it('clears the open alert of an alarm that ended, with its note', () => {
    const lagAlert = openAlertOf(lag, 1);
    const stalledAlert = openAlertOf(stalled, 2);
    const plan = planPipelineAlerts(
      changes({ cleared: [lag, stalled] }),
      [lagAlert, stalledAlert],
      T + MIN,
    );
    expect(plan.raise).toEqual([]);
    expect(plan.clear).toEqual([
      { alert: lagAlert, note: CLEAR_NOTES.consumer_lag },
      { alert: stalledAlert, note: CLEAR_NOTES.topic_stalled },
    ]);
    expect(CLEAR_NOTES.consumer_lag).toBe('지연 해소 / lag recovered');
  });

  it('leaves alone an alarm that ended without an open alert, and alerts of other alarms', () => {
    const plan = planPipelineAlerts(changes({ cleared: [stalled] }), [openAlertOf(lag, 1)], T);
    expect(plan).toEqual({ raise: [], clear: [] });
  });

  it('leaves an open alert whose end this relay never saw (no guess)', () => {
    const plan = planPipelineAlerts(changes({}), [openAlertOf(lag, 1)], T);
    expect(plan).toEqual({ raise: [], clear: [] });
  });
});
