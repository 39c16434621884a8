/**
 * What this desk should hear, decided without any audio: which alerts ring for the person logged
 * in, which of them sets the pattern, how loud and how often. Only those who can act are rung
 * (~3 alerts a minute reach a busy room): a supervisor until the alert is acknowledged; an
 * operator while it waits for someone to claim it (their own claim silences it for them); a
 * viewer never. Escalated alerts ring louder and faster and stay loud for supervisors until
 * acknowledged, claimed or not. Pure, so it is tested in Node.
 */
import { SEVERITY_RANK, type Alert, type AlertType } from '../../../../../shared/alerts';
import { can, type Role } from '../../../../../shared/roles';
import type { AlertsById } from '../alert-list';

/** Who is listening: the logged-in person (null: nobody, nothing rings). */
export interface Listener {
  username: string;
  role: Role;
}

/** One tone of a pattern: a waveform gliding from one pitch to another. */
export interface ToneStep {
  wave: OscillatorType;
  fromHz: number;
  /** Glides to this pitch over the step (a siren); the same as fromHz for a plain beep. */
  toHz: number;
  durationMs: number;
  /** Silence after the tone, before the next step. */
  gapMs: number;
}

const beep = (hz: number, durationMs: number, gapMs: number, wave: OscillatorType = 'sine') => ({
  wave,
  fromHz: hz,
  toHz: hz,
  durationMs,
  gapMs,
});

/**
 * A pattern per type, different in rhythm and timbre so a person can tell them apart without
 * looking: drowsy is a falling two-tone chime, arrears three short beeps, a missing person a
 * rising and falling siren, interlock a low double buzz, a pipeline alarm one long mid tone (the
 * system, not a car: no urgency of a person in danger).
 */
export const RING_PATTERNS: Readonly<Record<AlertType, readonly ToneStep[]>> = {
  DROWSY: [beep(880, 220, 60, 'triangle'), beep(660, 320, 0, 'triangle')],
  ARREARS_HIT: [beep(1175, 110, 90), beep(1175, 110, 90), beep(1175, 110, 0)],
  MISSING_PERSON_HIT: [
    { wave: 'sawtooth', fromHz: 620, toHz: 1240, durationMs: 450, gapMs: 0 },
    { wave: 'sawtooth', fromHz: 1240, toHz: 620, durationMs: 450, gapMs: 0 },
  ],
  INTERLOCK: [beep(330, 260, 120, 'square'), beep(330, 260, 0, 'square')],
  PIPELINE_HEALTH: [beep(523, 700, 0, 'triangle')],
};

/** Pause between repeats, start to start. */
export const RING_INTERVAL_MS = 6000;
export const ESCALATED_RING_INTERVAL_MS = 2500;
/** Peak gain (0–1) of a tone. */
export const RING_GAIN = 0.18;
export const ESCALATED_RING_GAIN = 0.4;

export interface RingPlan {
  /** The alert whose pattern plays (the most urgent ringing one). */
  alertId: number;
  type: AlertType;
  escalated: boolean;
  /** How many alerts are ringing (all wait for an acknowledgement). */
  ringing: number;
  pattern: readonly ToneStep[];
  intervalMs: number;
  gain: number;
}

/**
 * Whether an alert rings at this desk. Only unacknowledged alerts ring at all; then:
 * - who may acknowledge (supervisor, admin) hears it until it is acknowledged, except one they
 *   claimed themselves while it is not escalated (they are on it);
 * - who may only claim (operator) hears it while nobody has claimed it;
 * - anyone else (viewer, wall) never.
 */
export function ringsFor(alert: Alert, listener: Listener | null): boolean {
  if (listener === null || alert.status !== 'new') return false;
  const mine = alert.assignee === listener.username;
  if (can(listener.role, 'alert.ack')) return alert.escalated || !mine;
  if (can(listener.role, 'alert.claim')) return alert.assignee === null;
  return false;
}

/** The more urgent of two ringing alerts: escalated, then more severe, then newer. */
function moreUrgent(a: Alert, b: Alert): Alert {
  if (a.escalated !== b.escalated) return a.escalated ? a : b;
  if (a.severity !== b.severity)
    return SEVERITY_RANK[a.severity] > SEVERITY_RANK[b.severity] ? a : b;
  if (a.lastSeenMs !== b.lastSeenMs) return a.lastSeenMs > b.lastSeenMs ? a : b;
  return a.id > b.id ? a : b;
}

/** The most urgent alert ringing for `listener` and how many ring, or null when none does. */
export function mostUrgentRinging(
  byId: AlertsById,
  listener: Listener | null,
): { alert: Alert; ringing: number } | null {
  let top: Alert | null = null;
  let ringing = 0;
  for (const alert of Object.values(byId)) {
    if (!ringsFor(alert, listener)) continue;
    ringing++;
    top = top === null ? alert : moreUrgent(top, alert);
  }
  return top === null ? null : { alert: top, ringing };
}

/** What to play now; null for silence (nothing rings for this listener, or muted). */
export function ringPlan(
  byId: AlertsById,
  muted: boolean,
  listener: Listener | null,
): RingPlan | null {
  if (muted) return null;
  const top = mostUrgentRinging(byId, listener);
  if (top === null) return null;
  const { alert, ringing } = top;
  return {
    alertId: alert.id,
    type: alert.type,
    escalated: alert.escalated,
    ringing,
    pattern: RING_PATTERNS[alert.type],
    intervalMs: alert.escalated ? ESCALATED_RING_INTERVAL_MS : RING_INTERVAL_MS,
    gain: alert.escalated ? ESCALATED_RING_GAIN : RING_GAIN,
  };
}

/** Two plans sound the same (a new alert of the same kind does not restart the loop). */
export function samePlanSound(a: RingPlan | null, b: RingPlan | null): boolean {
  if (a === null || b === null) return a === b;
  return a.type === b.type && a.escalated === b.escalated;
}

/** Length of one pass of a pattern, in ms. */
export function patternDurationMs(pattern: readonly ToneStep[]): number {
  return pattern.reduce((sum, step) => sum + step.durationMs + step.gapMs, 0);
}
