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
 * Above this draw cost (ms) interpolation stops. Near ~10 frames per second gliding hardly reads
 * as motion, yet it keeps the GPU (on a software renderer: the CPU) busy all the time and every
 * update waits for the glide frame in flight. On SwiftShader on 2 cores 600 dots glide at ~40 ms
 * a frame at first, ~100 ms once the GPU process is saturated, 50,000 at ~90–150 ms.
 */
export const SLOW_DRAW_MS = 100;
/**
 * Below this draw cost (ms) interpolation may resume: 22 frames per second. A draw measured while
 * stepping runs on an otherwise idle GPU and is cheaper than the same draw every frame (on
 * SwiftShader 50,000 dots take ~10–60 ms alone and ~90 ms or more when gliding), so a resume can
 * fail; the growing run of fast draws it needs (below) keeps that from repeating every few seconds.
 */
export const FAST_DRAW_MS = 45;
/** Consecutive fast draws needed before gliding resumes the first time. */
export const FAST_SAMPLES_TO_RESUME = 3;
/**
 * A resume that fails (stepping again within FAILED_RESUME_SAMPLES glide draws, about a second)
 * doubles the fast draws needed before the next try, up to this many (about a minute of updates):
 * a GPU that cannot glide is not retried every few seconds, which would show as motion that keeps
 * changing character. A slow stretch after gliding went well (tiles loading after a jump) starts
 * from FAST_SAMPLES_TO_RESUME again.
 */
export const MAX_FAST_SAMPLES_TO_RESUME = 64;
export const FAILED_RESUME_SAMPLES = 30;
/**
 * The draw cost is the median of the draws of this last stretch (ms): a slow moment (a tile
 * load, a busy moment of the machine) does not change the mode, a GPU slow for a second does.
 */
export const COST_WINDOW_MS = 1500;
/** Draws kept at most (a fast GPU draws many in the window). */
const MAX_WINDOW_SAMPLES = 256;
/** Early draws compile shaders and upload everything; they say nothing about steady cost. */
const WARMUP_SAMPLES = 3;
/** A hidden tab stops animation frames; such a gap is not a draw cost. */
const MAX_SAMPLE_MS = 2000;

export class FramePacer {
  /** true: redraw every animation frame with interpolated positions; false: once per update. */
  interpolate = true;
  /** Estimate of one deck.gl draw, in ms (its render call to the next frame): a recent median. */
  drawCostMs = 0;
  private renderedAt: number | null = null;
  private samples = 0;
  private readonly recent: { at: number; cost: number }[] = [];
  private fastSamples = 0;
  private fastSamplesToResume = FAST_SAMPLES_TO_RESUME;
  /** Gliding again after stepping, with this many glide draws since. */
  private resumed = false;
  private glideSamples = 0;

  /** A draw waits for the frame that measures it. */
  get awaitingFrame(): boolean {
    return this.renderedAt !== null;
  }

  /**
   * The draw just issued is not the overlay's own cost (the basemap was moving or loading tiles
   * in the same frame): it is not measured.
   */
  skipDraw(): void {
    this.renderedAt = null;
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
    this.recent.push({ at: now, cost: sample });
    while (
      this.recent.length > MAX_WINDOW_SAMPLES ||
      (this.recent.length > 1 && now - this.recent[0]!.at > COST_WINDOW_MS)
    ) {
      this.recent.shift();
    }
    const sorted = this.recent.map((draw) => draw.cost).sort((a, b) => a - b);
    this.drawCostMs = sorted[Math.floor(sorted.length / 2)]!;
    if (this.interpolate) {
      this.glideSamples++;
      if (this.drawCostMs <= SLOW_DRAW_MS) return;
      this.interpolate = false;
      this.fastSamples = 0;
      const resumeFailed = this.resumed && this.glideSamples < FAILED_RESUME_SAMPLES;
      this.fastSamplesToResume = resumeFailed
        ? Math.min(MAX_FAST_SAMPLES_TO_RESUME, this.fastSamplesToResume * 2)
        : FAST_SAMPLES_TO_RESUME;
      return;
    }
    this.fastSamples = this.drawCostMs < FAST_DRAW_MS ? this.fastSamples + 1 : 0;
    if (this.fastSamples < this.fastSamplesToResume) return;
    this.interpolate = true;
    this.resumed = true;
    this.glideSamples = 0;
  }
}
