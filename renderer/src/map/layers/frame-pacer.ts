/**
 * Decides whether vehicles glide between updates or step once per update, from how long the
 * GPU takes to draw them.
 *
 * Gliding redraws every animation frame. Where the GPU is slow (software GL: SwiftShader draws
 * 50,000 dots in ~0.1 s when it draws every frame), gliding keeps it busy all the time, the main
 * thread waits on it, and an update that arrives mid-draw waits for that draw and the next one.
 * It shows little motion between updates anyway, so the pacer switches to one draw per update:
 * the main thread is free between updates and each update reaches the screen after one draw.
 * It switches back when draws are clearly fast again, and tries so less often each time.
 */

/**
 * Above this draw cost (ms) interpolation stops. Below ~10 frames per second gliding no longer
 * reads as motion, yet it keeps the GPU (on a software renderer: the CPU) busy all the time and
 * every update waits for the glide frame in flight.
 */
export const SLOW_DRAW_MS = 100;
/**
 * Below this draw cost (ms) interpolation may resume. A draw measured while stepping runs on an
 * otherwise idle GPU and is cheaper than the same draw every frame: on SwiftShader 50,000 dots
 * take ~35–65 ms alone and ~90 ms or more when gliding (docs/PERFORMANCE.md), so the gap is wide.
 */
export const FAST_DRAW_MS = 30;
/** Consecutive fast draws needed before gliding resumes the first time. */
export const FAST_SAMPLES_TO_RESUME = 3;
/**
 * Each return to stepping doubles the fast draws needed before the next try, up to this many
 * (about a minute of updates): a GPU that could not keep up once is not retried every few seconds,
 * which would show as motion that keeps changing character.
 */
export const MAX_FAST_SAMPLES_TO_RESUME = 64;
/** Weight of the newest sample in the running draw cost. */
const COST_SMOOTHING = 0.3;
/** Early draws compile shaders and upload everything; they say nothing about steady cost. */
const WARMUP_SAMPLES = 3;
/** A hidden tab stops animation frames; such a gap is not a draw cost. */
const MAX_SAMPLE_MS = 2000;

export class FramePacer {
  /** true: redraw every animation frame with interpolated positions; false: once per update. */
  interpolate = true;
  /** Running estimate of one deck.gl draw, in ms (its render call to the next frame). */
  drawCostMs = 0;
  private renderedAt: number | null = null;
  private samples = 0;
  private fastSamples = 0;
  private fastSamplesToResume = FAST_SAMPLES_TO_RESUME;
  private steppedBefore = false;

  /** A draw waits for the frame that measures it. */
  get awaitingFrame(): boolean {
    return this.renderedAt !== null;
  }

  /**
   * deck.gl has just issued a draw, at `now`, in the animation frame that began at `frameBegan`.
   * A draw still waiting for its measuring frame is measured by this one first: when deck.gl's
   * callback runs before the pacer's in every frame, the pacer's own frames never see it.
   */
  rendered(now: number, frameBegan?: number): void {
    if (frameBegan !== undefined) this.frameStart(frameBegan);
    this.renderedAt = now;
  }

  /**
   * An animation frame starts at `now` (its requestAnimationFrame timestamp). The time since the
   * last draw is what the GPU needed for it: the browser could not start this frame before the
   * previous one, with the draw, was composited.
   */
  frameStart(now: number): void {
    // A frame that began before the draw (a later callback of the same frame issued it) says
    // nothing yet: the sample comes from the next frame.
    if (this.renderedAt === null || now < this.renderedAt) return;
    const sample = Math.min(MAX_SAMPLE_MS, Math.max(0, now - this.renderedAt));
    this.renderedAt = null;
    if (++this.samples <= WARMUP_SAMPLES) return;
    this.drawCostMs =
      this.samples === WARMUP_SAMPLES + 1
        ? sample
        : this.drawCostMs + (sample - this.drawCostMs) * COST_SMOOTHING;
    if (this.interpolate) {
      if (this.drawCostMs <= SLOW_DRAW_MS) return;
      this.interpolate = false;
      this.fastSamples = 0;
      if (this.steppedBefore) {
        this.fastSamplesToResume = Math.min(
          MAX_FAST_SAMPLES_TO_RESUME,
          this.fastSamplesToResume * 2,
        );
      }
      this.steppedBefore = true;
      return;
    }
    this.fastSamples = this.drawCostMs < FAST_DRAW_MS ? this.fastSamples + 1 : 0;
    if (this.fastSamples >= this.fastSamplesToResume) this.interpolate = true;
  }
}
