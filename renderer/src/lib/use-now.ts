import { useEffect, useState } from 'react';

/** Re-renders the caller every `intervalMs` and returns the current time from `clock`. */
export function useNow(intervalMs: number, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, clock]);
  return now;
}

/** Monotonic clock, shared by everything that measures ages of frames. */
export const monotonicNow = (): number => performance.now();
