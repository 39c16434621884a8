import { describe, expect, it } from 'vitest';
import { rotationAt } from '../../../renderer/src/kiosk/rotation';

const TURN = 30_000;

describe('rotationAt', () => {
  it('starts with the first view at the start of its turn', () => {
    expect(rotationAt(['map', 'alerts'], TURN, 0)).toEqual({
      index: 0,
      view: 'map',
      turn: 0,
      progress: 0,
      remainingMs: TURN,
    });
  });

  it('moves to the next view when a turn ends, and back to the first after the last', () => {
    const views = ['map', 'alerts', 'kpi'] as const;
    expect(rotationAt(views, TURN, TURN - 1).view).toBe('map');
    expect(rotationAt(views, TURN, TURN).view).toBe('alerts');
    expect(rotationAt(views, TURN, 2 * TURN).view).toBe('kpi');
    expect(rotationAt(views, TURN, 3 * TURN)).toMatchObject({ index: 0, view: 'map', turn: 3 });
    expect(rotationAt(views, TURN, 100 * TURN + 5).view).toBe('alerts');
  });

  it('reports how far the view is through its turn and what is left', () => {
    const at = rotationAt(['map', 'heat'], TURN, TURN + TURN / 4);
    expect(at.view).toBe('heat');
    expect(at.progress).toBeCloseTo(0.25);
    expect(at.remainingMs).toBe((TURN * 3) / 4);
  });

  it('keeps a single view for ever', () => {
    expect(rotationAt(['kpi'], TURN, 10 * TURN)).toEqual({
      index: 0,
      view: 'kpi',
      turn: 0,
      progress: 0,
      remainingMs: Infinity,
    });
  });

  it('treats a clock read before the start as the start', () => {
    expect(rotationAt(['map', 'alerts'], TURN, -500)).toMatchObject({ view: 'map', progress: 0 });
  });

  it('does not rotate on a non-positive turn length', () => {
    expect(rotationAt(['map', 'alerts'], 0, 12_345).view).toBe('map');
  });

  it('refuses an empty list of views', () => {
    expect(() => rotationAt([], TURN, 0)).toThrow(/at least one view/);
  });
});
