import { describe, expect, it } from 'vitest';
import {
  FAST_DRAW_MS,
  FramePacer,
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

  it('does not count frames without a draw', () => {
    const pacer = new FramePacer();
    draws(pacer, 10, 16);
    // A long idle stretch with animation frames but no deck.gl render.
    for (let t = 1000; t < 60_000; t += 1000) pacer.frameStart(t);
    expect(pacer.interpolate).toBe(true);
  });
});
