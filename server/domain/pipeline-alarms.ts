/**
 * The seed's pipeline alarms (seed 000 §9.2, DESIGN §14) as conditions that raise and clear
 * themselves: consumer lag over a threshold (10,000 messages by default), and a topic that stalls
 * (nothing for a while) while other topics flow. The caller turns each raise into a system alert of
 * type pipeline health in the inbox and each clear into that alert's resolution.
 *
 * Pure: observations (lag, per-topic last message) come in with the time.
 */
import type { PipelineAlarmKind, PipelineAlarmView } from '../../shared/kpis';

/** The seed's alarm: Kafka consumer lag > 10,000 messages. */
export const DEFAULT_LAG_ALARM_THRESHOLD = 10_000;
/**
 * A raised lag alarm clears only below this share of the threshold, so a lag hovering around the
 * threshold does not raise and clear every few seconds.
 */
export const LAG_CLEAR_RATIO = 0.9;
/** A watched topic silent this long (or its own cadence's stale time, if longer) is stalled. */
export const DEFAULT_STALLED_TOPIC_MS = 5 * 60_000;

/**
 * An alarm as the KPI report shows it (shared/kpis.ts): key `consumer_lag` or
 * `topic_stalled:<topic>`; value is the lag in messages, or the silence in ms, when last evaluated.
 */
export type PipelineAlarm = PipelineAlarmView;
export type { PipelineAlarmKind };

export interface TopicObservation {
  topic: string;
  /** Arrival of its last message, null when none ever came (never watched until one does). */
  lastMessageMs: number | null;
  /** The topic's own stale time from its cadence (FeedCadence), ms. */
  staleAfterMs: number;
}

export interface PipelineObservation {
  nowMs: number;
  /** Total consumer lag, null when the source has none (the simulator). */
  consumerLag: number | null;
  /** The topics watched for stalls (the daily master-list topics are not: they are silent by design). */
  topics: TopicObservation[];
}

export interface AlarmPolicy {
  lagThreshold: number;
  stalledTopicMs: number;
}

export interface AlarmChanges {
  raised: PipelineAlarm[];
  cleared: PipelineAlarm[];
  active: PipelineAlarm[];
}

export class PipelineAlarms {
  private readonly active = new Map<string, PipelineAlarm>();

  constructor(private readonly policy: AlarmPolicy) {}

  evaluate(observation: PipelineObservation): AlarmChanges {
    const raised: PipelineAlarm[] = [];
    const cleared: PipelineAlarm[] = [];
    const { nowMs } = observation;
    const set = (key: string, on: boolean, make: () => Omit<PipelineAlarm, 'sinceMs'>) => {
      const current = this.active.get(key);
      if (on) {
        const next = { ...make(), sinceMs: current?.sinceMs ?? nowMs };
        this.active.set(key, next);
        if (!current) raised.push(next);
      } else if (current) {
        this.active.delete(key);
        cleared.push(current);
      }
    };

    const lag = observation.consumerLag;
    if (lag !== null) {
      const threshold = this.policy.lagThreshold;
      const on = this.active.has('consumer_lag')
        ? lag >= threshold * LAG_CLEAR_RATIO
        : lag > threshold;
      set('consumer_lag', on, () => ({
        key: 'consumer_lag',
        kind: 'consumer_lag',
        topic: null,
        value: lag,
        threshold,
      }));
    }

    const limitOf = (t: TopicObservation) => Math.max(this.policy.stalledTopicMs, t.staleAfterMs);
    const silence = (t: TopicObservation) =>
      t.lastMessageMs === null ? null : nowMs - t.lastMessageMs;
    // "While others flow": some other watched topic delivered within its own limit.
    const flowing = observation.topics.filter((t) => {
      const s = silence(t);
      return s !== null && s <= limitOf(t);
    });
    for (const t of observation.topics) {
      const s = silence(t);
      const key = `topic_stalled:${t.topic}`;
      const othersFlow = flowing.some((f) => f.topic !== t.topic);
      const stalled = s !== null && s > limitOf(t) && othersFlow;
      // A stalled topic stays raised while everything is silent (a whole-feed outage is the
      // feed's own banner; this alarm clears when its topic delivers again).
      const on = stalled || (this.active.has(key) && s !== null && s > limitOf(t));
      set(key, on, () => ({
        key,
        kind: 'topic_stalled',
        topic: t.topic,
        value: s ?? 0,
        threshold: limitOf(t),
      }));
    }
    return { raised, cleared, active: [...this.active.values()] };
  }
}
