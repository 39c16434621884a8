import { describe, expect, it } from 'vitest';
import { FrameBudget } from '../../../../server/realtime/frame-budget';

const BUDGET = 1000;
const DRAINED = 100;
const MAX_BEHIND_MS = 60_000;

describe('FrameBudget', () => {
  it('sends while the backlog is within budget', () => {
    const budget = new FrameBudget<string>(BUDGET, DRAINED, MAX_BEHIND_MS);
    expect(budget.check('a', 0, 0)).toBe('send');
    expect(budget.check('a', BUDGET, 0)).toBe('send');
  });

  it('drops a socket over budget, waits while it drains, then resyncs it once', () => {
    const budget = new FrameBudget<string>(BUDGET, DRAINED, MAX_BEHIND_MS);
    expect(budget.check('a', BUDGET + 1, 0)).toBe('drop');
    expect(budget.isBehind('a')).toBe(true);
    expect(budget.check('a', BUDGET * 5, 200)).toBe('wait');
    expect(budget.check('a', DRAINED + 1, 400)).toBe('wait');
    expect(budget.check('a', DRAINED, 600)).toBe('resync');
    budget.resyncRequested('a');
    expect(budget.behindCount).toBe(0);
  });

  it('lets a fresh snapshot drain on top of the budget', () => {
    const budget = new FrameBudget<string>(BUDGET, DRAINED, MAX_BEHIND_MS);
    budget.snapshotSent('a', 5000);
    expect(budget.check('a', 5000 + BUDGET, 0)).toBe('send');
    // Drained once: from then on the plain budget applies.
    expect(budget.check('a', 0, 200)).toBe('send');
    expect(budget.check('a', BUDGET + 1, 400)).toBe('drop');
  });

  it('evicts a socket behind for too long', () => {
    const budget = new FrameBudget<string>(BUDGET, DRAINED, MAX_BEHIND_MS);
    expect(budget.check('a', BUDGET + 1, 1000)).toBe('drop');
    expect(budget.check('a', BUDGET + 1, 1000 + MAX_BEHIND_MS - 1)).toBe('wait');
    expect(budget.check('a', BUDGET + 1, 1000 + MAX_BEHIND_MS)).toBe('evict');
  });

  it('keeps sockets apart and forgets one that left', () => {
    const budget = new FrameBudget<string>(BUDGET, DRAINED, MAX_BEHIND_MS);
    expect(budget.check('slow', BUDGET + 1, 0)).toBe('drop');
    expect(budget.check('fast', 0, 0)).toBe('send');
    budget.forget('slow');
    expect(budget.behindCount).toBe(0);
    expect(budget.check('slow', 0, 0)).toBe('send');
  });
});
