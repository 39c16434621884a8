/**
 * Decides whether vehicles glide between updates or step once per update, from how long the
 * GPU takes to draw them.
 *
 * Gliding redraws every animation frame. Where drawing 50,000 dots takes longer than a second
 * (software GL: SwiftShader), each redraw blocks the main thread while the compositor waits for
 * the GPU, and an update that arrives mid-draw waits for that draw and the next one. Gliding
 * then shows no motion between updates anyway, so the pacer switches to one draw per update:
 * the main thread is free between updates and each update reaches the screen after one draw.
 * It switches back when draws get fast again.
 */

/**
 * Above this draw cost (ms) interpolation stops: below ~2.5 frames per second gliding no longer
 * looks like motion. 2,000 vehicles on SwiftShader draw in ~150 ms and keep gliding; 50,000 take
 * over a second and step.
 */
export const SLOW_DRAW_MS = 400;
/** Below this draw cost (ms) interpolation resumes; the gap avoids flapping between modes. */
export const FAST_DRAW_MS = 250;
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

  /** deck.gl has just issued a draw. */
  rendered(now: number): void {
    this.renderedAt = now;
  }

  /**
   * An animation frame starts. The time since the last draw is what the GPU needed for it: the
   * browser could not start this frame before the previous one, with the draw, was composited.
   */
  frameStart(now: number): void {
    if (this.renderedAt === null) return;
    const sample = Math.min(MAX_SAMPLE_MS, Math.max(0, now - this.renderedAt));
    this.renderedAt = null;
    if (++this.samples <= WARMUP_SAMPLES) return;
    this.drawCostMs =
      this.samples === WARMUP_SAMPLES + 1
        ? sample
        : this.drawCostMs + (sample - this.drawCostMs) * COST_SMOOTHING;
    if (this.interpolate && this.drawCostMs > SLOW_DRAW_MS) this.interpolate = false;
    else if (!this.interpolate && this.drawCostMs < FAST_DRAW_MS) this.interpolate = true;
  }
}
