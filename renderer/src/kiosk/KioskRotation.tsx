import type { CSSProperties } from 'react';
import type { WallView } from '../../../shared/ipc';
import { VIEW_TITLES } from './kiosk-text';
import type { RotationPosition } from './rotation';

/**
 * Which views take turns, the one on screen, and how long it stays: a bar that fills over the
 * turn (a CSS animation restarted each turn, so it costs no render per frame).
 */
export function KioskRotation({
  views,
  position,
  rotateMs,
}: {
  views: readonly WallView[];
  position: RotationPosition;
  rotateMs: number;
}) {
  const fillStyle: CSSProperties = {
    animationDuration: `${rotateMs}ms`,
    animationDelay: `${-Math.round(position.progress * rotateMs)}ms`,
  };
  return (
    <div
      className="kiosk-rotation"
      data-testid="kiosk-rotation"
      data-index={position.index}
      data-views={views.join(',')}
    >
      <ol className="kiosk-rotation__views">
        {views.map((view, index) => (
          <li
            key={view}
            className={
              index === position.index
                ? 'kiosk-rotation__view kiosk-rotation__view--current'
                : 'kiosk-rotation__view'
            }
          >
            <span lang="ko">{VIEW_TITLES[view].ko}</span>{' '}
            <span className="kiosk-rotation__en" lang="en">
              {VIEW_TITLES[view].en}
            </span>
          </li>
        ))}
      </ol>
      <div className="kiosk-rotation__bar">
        <div key={position.turn} className="kiosk-rotation__fill" style={fillStyle} />
      </div>
    </div>
  );
}
