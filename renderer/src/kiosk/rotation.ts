/**
 * Which view a rotating wall shows at a moment, and how far it is through its turn. Pure: the
 * time comes in, so the rule is tested in Node and the component only sets a timer.
 */
import type { WallView } from '../../../shared/ipc';

export interface RotationPosition {
  /** Index into the views of the view showing now. */
  index: number;
  view: WallView;
  /** How many turns have started since the rotation began (0 for the first). */
  turn: number;
  /** 0 at the start of this view's turn, approaching 1 at its end; 0 when nothing rotates. */
  progress: number;
  /** Until the next view, or Infinity for a single view. */
  remainingMs: number;
}

/**
 * Views take turns of `rotateMs` each, in order, starting with the first at `elapsedMs` 0.
 * A negative elapsed time (a clock read before the start) counts as 0.
 */
export function rotationAt(
  views: readonly WallView[],
  rotateMs: number,
  elapsedMs: number,
): RotationPosition {
  const first = views[0];
  if (first === undefined) throw new Error('a wall needs at least one view');
  if (views.length === 1 || !(rotateMs > 0)) {
    return { index: 0, view: first, turn: 0, progress: 0, remainingMs: Infinity };
  }
  const elapsed = Math.max(0, elapsedMs);
  const turn = Math.floor(elapsed / rotateMs);
  const into = elapsed - turn * rotateMs;
  const index = turn % views.length;
  return {
    index,
    view: views[index]!,
    turn,
    progress: into / rotateMs,
    remainingMs: rotateMs - into,
  };
}
