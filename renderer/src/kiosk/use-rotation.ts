/** Re-renders its caller when the wall's view changes; the rule itself is rotation.ts. */
import { useEffect, useState } from 'react';
import type { WallView } from '../../../shared/ipc';
import { monotonicNow } from '../lib/use-now';
import { rotationAt, type RotationPosition } from './rotation';

/** Timers may fire a little early; waking just after the boundary lands in the next turn. */
const BOUNDARY_SLACK_MS = 5;

export function useRotation(views: readonly WallView[], rotateMs: number): RotationPosition {
  const [startedAt] = useState(monotonicNow);
  const [position, setPosition] = useState(() => rotationAt(views, rotateMs, 0));

  useEffect(() => {
    const now = rotationAt(views, rotateMs, monotonicNow() - startedAt);
    if (!Number.isFinite(now.remainingMs)) return;
    const wait = now.turn === position.turn ? now.remainingMs + BOUNDARY_SLACK_MS : 0;
    const timer = setTimeout(
      () => setPosition(rotationAt(views, rotateMs, monotonicNow() - startedAt)),
      wait,
    );
    return () => clearTimeout(timer);
  }, [views, rotateMs, startedAt, position]);

  return position;
}
