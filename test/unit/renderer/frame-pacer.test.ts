import { describe, expect, it } from 'vitest';
import {
  COST_WINDOW_MS,
  FAILED_RESUME_SAMPLES,
  FAST_DRAW_MS,
  FAST_SAMPLES_TO_RESUME,
  FramePacer,
  MAX_FAST_SAMPLES_TO_RESUME,
  SLOW_DRAW_MS,
} from '../../../renderer/src/map/layers/frame-pacer';

/** Feeds `count` draws that each took `costMs`, starting at `start`; returns the end time. */
function draws(pacer: FramePacer, count: number, costMs: number, start = 0): number {
  let t = start;
  for (let i = 0; i < count; i++) {
    pacer.rendered(t);
    t += costMs;
    pacer.frameStart(t);
  }
  return t;
}

describe('FramePacer', () => {
  it('interpolates while draws are fast', () => {
    const pacer = new FramePacer();
    draws(pacer, 20, 16);
    expect(pacer.interpolate).toBe(true);
  });

  it('ignores warm-up draws (shader compilation)', () => {
    const pacer = new FramePacer();
    draws(pacer, 3, 5000);
    draws(pacer, 5, 16, 20_000);
    expect(pacer.interpolate).toBe(true);
  });

  it('steps once per update when draws are slow, and glides again when they are fast', () => {
    const pacer = new FramePacer();
    let t = draws(pacer, 10, SLOW_DRAW_MS * 4);
    expect(pacer.interpolate).toBe(false);
    // Between the thresholds nothing changes (no flapping).
    t = draws(pacer, 20, (SLOW_DRAW_MS + FAST_DRAW_MS) / 2, t);
    expect(pacer.interpolate).toBe(false);
    draws(pacer, 20, 16, t);
    expect(pacer.interpolate).toBe(true);
  });

  it('waits for several fast draws before gliding again, more each time it had to step', () => {
    const pacer = new FramePacer();
    let t = draws(pacer, 10, SLOW_DRAW_MS * 2);
    expect(pacer.interpolate).toBe(false);
    // Fast draws, then one slow one: the run of fast draws starts again.
    t = draws(pacer, FAST_SAMPLES_TO_RESUME - 1, 5, t);
    t = draws(pacer, 1, FAST_DRAW_MS * 2, t);
    expect(pacer.interpolate).toBe(false);
    // The smoothed cost needs a few draws to fall back under the threshold.
    const toResume = (needed: number): number => {
      let count = 0;
      while (!pacer.interpolate) {
        t = draws(pacer, 1, 5, t);
        count++;
      }
      expect(count).toBeGreaterThanOrEqual(needed);
      return count;
    };
    const first = toResume(FAST_SAMPLES_TO_RESUME);
    // Gliding made draws slow again (a busy GPU): the next resume needs twice the fast draws.
    t = draws(pacer, 10, SLOW_DRAW_MS * 2, t);
    expect(pacer.interpolate).toBe(false);
    const second = toResume(FAST_SAMPLES_TO_RESUME * 2);
    expect(second).toBeGreaterThan(first);
    for (let attempt = 0; attempt < 10; attempt++) {
      t = draws(pacer, 10, SLOW_DRAW_MS * 2, t);
      toResume(0);
    }
    t = draws(pacer, 10, SLOW_DRAW_MS * 2, t);
    expect(toResume(MAX_FAST_SAMPLES_TO_RESUME)).toBeLessThan(MAX_FAST_SAMPLES_TO_RESUME + 10);
    // Gliding went well for a while; a slow stretch later starts the count from the beginning.
    t = draws(pacer, FAILED_RESUME_SAMPLES * 2, 16, t);
    t = draws(pacer, 10, SLOW_DRAW_MS * 2, t);
    expect(pacer.interpolate).toBe(false);
    expect(toResume(FAST_SAMPLES_TO_RESUME)).toBeLessThan(FAST_SAMPLES_TO_RESUME + 10);
  });

  it('glides at what 10,000 dots cost on a software renderer and steps at what 50,000 cost', () => {
    const tenThousand = new FramePacer();
    draws(tenThousand, 30, 52);
    expect(tenThousand.interpolate).toBe(true);
    const fiftyThousand = new FramePacer();
    draws(fiftyThousand, 30, 190);
    expect(fiftyThousand.interpolate).toBe(false);
  });

  it('does not count frames without a draw', () => {
    const pacer = new FramePacer();
    draws(pacer, 10, 16);
    // A long idle stretch with animation frames but no deck.gl render.
    for (let t = 1000; t < 60_000; t += 1000) pacer.frameStart(t);
    expect(pacer.interpolate).toBe(true);
  });

  it('measures a draw from the next frame, not from a later callback of the frame that drew', () => {
    const pacer = new FramePacer();
    let t = 0;
    for (let i = 0; i < 10; i++) {
      const frameBegan = t;
      pacer.rendered(frameBegan + 5);
      // Another callback of the same frame: its timestamp is the frame's start, before the draw.
      pacer.frameStart(frameBegan);
      expect(pacer.awaitingFrame).toBe(true);
      t += SLOW_DRAW_MS * 3;
      pacer.frameStart(t);
      expect(pacer.awaitingFrame).toBe(false);
    }
    expect(pacer.drawCostMs).toBeCloseTo(SLOW_DRAW_MS * 3 - 5);
    expect(pacer.interpolate).toBe(false);
  });

  it("measures draws when deck.gl draws first in every frame (its callback before the pacer's)", () => {
    const pacer = new FramePacer();
    const cost = SLOW_DRAW_MS * 2;
    for (let frameBegan = 0; frameBegan < 40 * cost; frameBegan += cost) {
      pacer.rendered(frameBegan + 1, frameBegan);
      pacer.frameStart(frameBegan);
    }
    expect(pacer.drawCostMs).toBeCloseTo(cost - 1);
    expect(pacer.interpolate).toBe(false);
  });

  it('does not step for a single slow frame among fast ones (a tile load, a busy moment)', () => {
    const pacer = new FramePacer();
    let t = draws(pacer, 10, 40);
    for (let i = 0; i < 5; i++) {
      t = draws(pacer, 1, SLOW_DRAW_MS * 5, t);
      t = draws(pacer, COST_WINDOW_MS / 40, 40, t);
    }
    expect(pacer.interpolate).toBe(true);
    // Slow for a whole window: steps.
    draws(pacer, COST_WINDOW_MS / (SLOW_DRAW_MS * 2), SLOW_DRAW_MS * 2, t);
    expect(pacer.interpolate).toBe(false);
  });
});
