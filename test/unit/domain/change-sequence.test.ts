import { describe, expect, it } from 'vitest';
import {
  catchUpKind,
  contiguousRun,
  latestPerRecord,
} from '../../../server/domain/change-sequence';

describe('contiguousRun: never deliver past a hole that may still commit', () => {
  it('takes every seq that follows the watermark without a hole', () => {
    expect(contiguousRun(10, [11, 12, 13])).toEqual({ count: 3, gap: null });
    expect(contiguousRun(10, [])).toEqual({ count: 0, gap: null });
  });

  it('stops at the first hole and names it', () => {
    expect(contiguousRun(10, [11, 12, 15, 16])).toEqual({ count: 2, gap: { from: 13, to: 14 } });
    expect(contiguousRun(10, [13])).toEqual({ count: 0, gap: { from: 11, to: 12 } });
  });
});

describe('latestPerRecord', () => {
  it('keeps each record once, at its last change, in seq order', () => {
    const events = [
      { seq: 1, entity: 'alert', entityId: '7' },
      { seq: 2, entity: 'violation', entityId: '7' },
      { seq: 3, entity: 'alert', entityId: '8' },
      { seq: 4, entity: 'alert', entityId: '7' },
    ];
    expect(latestPerRecord(events).map((e) => e.seq)).toEqual([2, 3, 4]);
  });
});

describe('catchUpKind', () => {
  const NOW = 1_000_000_000;
  const DAY = 86_400_000;
  const base = { watermark: 100, nowMs: NOW, retentionMs: DAY };

  it('a first connect (no seq) or a seq this store never reached gets a full snapshot', () => {
    expect(catchUpKind({ ...base, afterSeq: null, firstMissed: null })).toBe('full');
    expect(catchUpKind({ ...base, afterSeq: 101, firstMissed: null })).toBe('full');
  });

  it('nothing missed: nothing to send', () => {
    expect(catchUpKind({ ...base, afterSeq: 100, firstMissed: null })).toBe('none');
    expect(catchUpKind({ ...base, afterSeq: 90, firstMissed: { seq: 101, atMs: NOW } })).toBe(
      'none',
    );
  });

  it('catches up inside the retention window, however many changes', () => {
    expect(
      catchUpKind({ ...base, afterSeq: 5, firstMissed: { seq: 6, atMs: NOW - DAY + 1 } }),
    ).toBe('changes');
  });

  it('a first missed change older than the window: a full snapshot', () => {
    expect(
      catchUpKind({ ...base, afterSeq: 5, firstMissed: { seq: 6, atMs: NOW - DAY - 1 } }),
    ).toBe('full');
  });
});
