import { useEffect, useState } from 'react';

interface Ticker {
  listeners: Set<() => void>;
  stop: () => void;
}

/**
 * One timer per interval for the whole page. Every clock, age and status that ticks each second
 * ticks in the same task, so React renders them in one commit instead of one commit per timer
 * (four a second at the desk, each re-rendering the inbox), and a clock's seconds turn on the
 * second. Exported for tests.
 */
const tickers = new Map<number, Ticker>();

/** Calls `listener` every `intervalMs`, on multiples of it (wall clock); returns the unsubscribe. */
export function subscribeTick(intervalMs: number, listener: () => void): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    const listeners = new Set<() => void>();
    const tick = (): void => {
      for (const each of [...listeners]) each();
    };
    let interval: ReturnType<typeof setInterval> | undefined;
    const aligned = setTimeout(
      () => {
        tick();
        interval = setInterval(tick, intervalMs);
      },
      intervalMs - (Date.now() % intervalMs),
    );
    ticker = {
      listeners,
      stop: () => {
        clearTimeout(aligned);
        clearInterval(interval);
      },
    };
    tickers.set(intervalMs, ticker);
  }
  const { listeners } = ticker;
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && tickers.get(intervalMs)?.listeners === listeners) {
      tickers.get(intervalMs)?.stop();
      tickers.delete(intervalMs);
    }
  };
}

/** Re-renders the caller every `intervalMs` and returns the current time from `clock`. */
export function useNow(intervalMs: number, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => subscribeTick(intervalMs, () => setNow(clock())), [intervalMs, clock]);
  return now;
}

/** Monotonic clock, shared by everything that measures ages of frames. */
export const monotonicNow = (): number => performance.now();
