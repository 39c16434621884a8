import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscribeTick } from '../../../renderer/src/lib/use-now';

describe('subscribeTick (the page-wide clock behind useNow)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-06T03:00:00.400Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('ticks every caller of one interval in the same task, on the second', () => {
    const order: string[] = [];
    const offA = subscribeTick(1000, () => order.push(`a@${Date.now() % 1000}`));
    vi.advanceTimersByTime(300);
    const offB = subscribeTick(1000, () => order.push(`b@${Date.now() % 1000}`));
    expect(order).toEqual([]);
    vi.advanceTimersByTime(300); // 03:00:01.000
    expect(order).toEqual(['a@0', 'b@0']);
    vi.advanceTimersByTime(1000);
    expect(order).toEqual(['a@0', 'b@0', 'a@0', 'b@0']);
    offA();
    vi.advanceTimersByTime(1000);
    expect(order.slice(4)).toEqual(['b@0']);
    offB();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps intervals apart and starts again after the last caller left', () => {
    let fast = 0;
    let slow = 0;
    const offFast = subscribeTick(100, () => fast++);
    const offSlow = subscribeTick(1000, () => slow++);
    vi.advanceTimersByTime(1600); // 03:00:02.000
    expect(fast).toBe(16); // .5, .6, … 2.0
    expect(slow).toBe(2); // 1.0, 2.0
    offFast();
    offSlow();
    const offAgain = subscribeTick(1000, () => slow++);
    vi.advanceTimersByTime(1000);
    expect(slow).toBe(3);
    offAgain();
    expect(vi.getTimerCount()).toBe(0);
  });
});
