import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LAG_ALARM_THRESHOLD,
  DEFAULT_STALLED_TOPIC_MS,
  PipelineAlarms,
  type TopicObservation,
} from '../../../server/domain/pipeline-alarms';

const T0 = 1_765_258_200_000;
const policy = {
  lagThreshold: DEFAULT_LAG_ALARM_THRESHOLD,
  stalledTopicMs: DEFAULT_STALLED_TOPIC_MS,
};

const topic = (
  name: string,
  lastMessageMs: number | null,
  staleAfterMs = 15_000,
): TopicObservation => ({
  topic: name,
  lastMessageMs,
  staleAfterMs,
});

describe('consumer lag alarm', () => {
  it('raises over 10,000, stays while near it, clears itself when lag recovers', () => {
    const alarms = new PipelineAlarms(policy);
    const at = (nowMs: number, consumerLag: number | null) =>
      alarms.evaluate({ nowMs, consumerLag, topics: [] });
    expect(at(T0, 10_000).raised).toEqual([]);
    const raised = at(T0 + 1_000, 10_001);
    expect(raised.raised).toMatchObject([
      {
        key: 'consumer_lag',
        kind: 'consumer_lag',
        value: 10_001,
        threshold: 10_000,
        sinceMs: T0 + 1_000,
      },
    ]);
    expect(at(T0 + 2_000, 9_500)).toMatchObject({
      raised: [],
      cleared: [],
      active: [{ value: 9_500 }],
    });
    expect(at(T0 + 3_000, null).active).toHaveLength(1);
    const cleared = at(T0 + 4_000, 8_999);
    expect(cleared.cleared).toMatchObject([{ key: 'consumer_lag', sinceMs: T0 + 1_000 }]);
    expect(cleared.active).toEqual([]);
  });

  it('takes its threshold from the policy', () => {
    const alarms = new PipelineAlarms({ ...policy, lagThreshold: 100 });
    expect(alarms.evaluate({ nowMs: T0, consumerLag: 101, topics: [] }).raised).toHaveLength(1);
  });
});

describe('stalled topic alarm', () => {
  it('raises when one topic goes silent while others flow, clears when it delivers again', () => {
    const alarms = new PipelineAlarms(policy);
    const now = T0 + 10 * 60_000;
    const changes = alarms.evaluate({
      nowMs: now,
      consumerLag: 0,
      topics: [topic('driving_session_info', now - 1_000), topic('drowsy_drive', now - 6 * 60_000)],
    });
    expect(changes.raised).toMatchObject([
      {
        key: 'topic_stalled:drowsy_drive',
        topic: 'drowsy_drive',
        value: 6 * 60_000,
        threshold: 5 * 60_000,
      },
    ]);
    const back = alarms.evaluate({
      nowMs: now + 1_000,
      consumerLag: 0,
      topics: [topic('driving_session_info', now), topic('drowsy_drive', now + 500)],
    });
    expect(back.cleared.map((a) => a.key)).toEqual(['topic_stalled:drowsy_drive']);
  });

  it('a topic that never delivered, or one whose own cadence is slower, is not stalled', () => {
    const alarms = new PipelineAlarms(policy);
    const now = T0 + 60 * 60_000;
    const changes = alarms.evaluate({
      nowMs: now,
      consumerLag: 0,
      topics: [
        topic('driving_session_info', now - 1_000),
        topic('interlock_event', null),
        // Sparse: its cadence says 30 minutes between messages is usual.
        topic('drowsy_drive', now - 20 * 60_000, 30 * 60_000),
      ],
    });
    expect(changes.raised).toEqual([]);
  });

  it('when everything is silent no topic is singled out (the feed banner covers it)', () => {
    const alarms = new PipelineAlarms(policy);
    const now = T0 + 60 * 60_000;
    const changes = alarms.evaluate({
      nowMs: now,
      consumerLag: 0,
      topics: [
        topic('driving_session_info', now - 10 * 60_000),
        topic('drowsy_drive', now - 10 * 60_000),
      ],
    });
    expect(changes.raised).toEqual([]);
  });
});
