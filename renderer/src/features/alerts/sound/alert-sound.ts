/**
 * Alert sounds, synthesised with the Web Audio API (no audio files, no network). The decision of
 * what rings is sound-plan.ts; this only plays it, repeating until the plan says silence.
 *
 * Browsers keep an AudioContext suspended until a user gesture, so `unlock` is called from the
 * first click or key press (the login click counts); until then nothing is audible.
 */
import type { AppStore } from '../../../store';
import type { AppState } from '../../../store';
import { ringPlan, samePlanSound, type Listener, type RingPlan, type ToneStep } from './sound-plan';

/** Attack and release of each tone: no clicks at the edges. */
const RAMP_S = 0.015;
const MS_PER_S = 1000;
/** A tone this quiet is silent; exponential ramps cannot reach 0. */
const SILENT_GAIN = 0.0001;

type AudioContextClass = typeof AudioContext;

export class AlertSoundPlayer {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private plan: RingPlan | null = null;
  private output: GainNode | null = null;

  /** Creates or resumes the AudioContext; call from a user gesture. */
  unlock(): void {
    const Context = (globalThis as { AudioContext?: AudioContextClass }).AudioContext;
    if (Context === undefined) return;
    if (this.context === null) {
      this.context = new Context();
      this.output = this.context.createGain();
      this.output.connect(this.context.destination);
    }
    if (this.context.state === 'suspended') void this.context.resume();
  }

  /** What the player is set to play (null: silence), whether or not the context is unlocked. */
  get current(): RingPlan | null {
    return this.plan;
  }

  get unlocked(): boolean {
    return this.context?.state === 'running';
  }

  /** Plays `plan` now and every `intervalMs` until the next call; null stops. */
  update(plan: RingPlan | null): void {
    const changed = !samePlanSound(this.plan, plan);
    this.plan = plan;
    if (!changed) return;
    this.stop();
    if (plan !== null) this.loop();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // Cut what is already scheduled: an acknowledgement silences at once.
    if (this.context !== null && this.output !== null) {
      this.output.disconnect();
      this.output = this.context.createGain();
      this.output.connect(this.context.destination);
    }
  }

  dispose(): void {
    this.stop();
    this.plan = null;
    void this.context?.close();
    this.context = null;
    this.output = null;
  }

  private loop(): void {
    const plan = this.plan;
    if (plan === null) return;
    this.playOnce(plan.pattern, plan.gain);
    this.timer = setTimeout(() => this.loop(), plan.intervalMs);
  }

  private playOnce(pattern: readonly ToneStep[], gain: number): void {
    const context = this.context;
    const output = this.output;
    if (context === null || output === null || context.state !== 'running') return;
    let at = context.currentTime + RAMP_S;
    for (const step of pattern) {
      const duration = step.durationMs / MS_PER_S;
      const oscillator = context.createOscillator();
      oscillator.type = step.wave;
      oscillator.frequency.setValueAtTime(step.fromHz, at);
      if (step.toHz !== step.fromHz)
        oscillator.frequency.linearRampToValueAtTime(step.toHz, at + duration);
      const envelope = context.createGain();
      envelope.gain.setValueAtTime(SILENT_GAIN, at);
      envelope.gain.exponentialRampToValueAtTime(gain, at + RAMP_S);
      envelope.gain.setValueAtTime(gain, at + duration - RAMP_S);
      envelope.gain.exponentialRampToValueAtTime(SILENT_GAIN, at + duration);
      oscillator.connect(envelope).connect(output);
      oscillator.start(at);
      oscillator.stop(at + duration);
      at += duration + step.gapMs / MS_PER_S;
    }
  }
}

/** The app's one player (one AudioContext per window). */
export const alertSound = new AlertSoundPlayer();

/** The person the desk rings for: the logged-in user, or null (nobody: silence). */
export function listenerOf(state: Pick<AppState, 'session'>): Listener | null {
  const user = state.session?.user;
  return user === undefined ? null : { username: user.username, role: user.role };
}

/**
 * Keeps the player in step with the store: every alert change, mute toggle or change of who is
 * logged in (or their role) re-decides the plan. Returns the unsubscribe function.
 */
export function startAlertSound(
  store: AppStore,
  player: AlertSoundPlayer = alertSound,
): () => void {
  const apply = (): void => {
    const state = store.getState();
    player.update(ringPlan(state.alertsById, state.soundMuted, listenerOf(state)));
  };
  apply();
  const unsubscribe = store.subscribe((state, previous) => {
    if (
      state.alertsById !== previous.alertsById ||
      state.soundMuted !== previous.soundMuted ||
      state.session?.user !== previous.session?.user
    )
      apply();
  });
  return () => {
    unsubscribe();
    player.update(null);
  };
}
