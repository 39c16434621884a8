import { describe, expect, it } from 'vitest';
import {
  estimateTextSize,
  placeLabels,
  type LabelBox,
} from '../../../renderer/src/map/label-placement';

const SCREEN = { width: 1000, height: 800 };

function box(id: string, x: number, y: number, priority = 1, width = 60, height = 20): LabelBox {
  return { id, x, y, width, height, priority };
}

describe('placeLabels', () => {
  it('keeps every label that has room', () => {
    const ids = placeLabels([box('a', 100, 100), box('b', 300, 100), box('c', 100, 300)], SCREEN);
    expect([...ids].sort()).toEqual(['a', 'b', 'c']);
  });

  it('drops the lower-priority one of two overlapping names (사상구 over 부산진구 kind)', () => {
    const ids = placeLabels([box('dong', 100, 100, 1), box('district', 130, 105, 2)], SCREEN);
    expect([...ids]).toEqual(['district']);
  });

  it('with equal priorities keeps the one that came first', () => {
    const ids = placeLabels([box('first', 100, 100), box('second', 120, 100)], SCREEN);
    expect([...ids]).toEqual(['first']);
  });

  it('keeps a margin between neighbours that would read as one word', () => {
    // 60 px wide, centres 64 px apart: 4 px of space, less than the margin.
    expect(placeLabels([box('a', 100, 100), box('b', 164, 100)], SCREEN).size).toBe(1);
    expect(placeLabels([box('a', 100, 100), box('b', 180, 100)], SCREEN).size).toBe(2);
  });

  it('ignores labels off screen, and they hide nothing', () => {
    const ids = placeLabels([box('off', -200, 100, 9), box('on', 40, 100, 1)], SCREEN);
    expect([...ids]).toEqual(['on']);
  });
});

describe('estimateTextSize', () => {
  it('counts Hangul a whole em and Latin letters about half', () => {
    expect(estimateTextSize('부산진구', 16).width).toBe(64);
    const english = estimateTextSize('Busanjin-gu', 16).width;
    expect(english).toBeGreaterThan(80);
    expect(english).toBeLessThan(120);
  });
});
