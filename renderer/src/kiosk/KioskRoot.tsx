import type { CSSProperties, ReactNode } from 'react';
import type { WallView } from '../../../shared/ipc';
import { KIOSK_HEADER_PX, kioskFooterPx } from './kiosk-layout';
import { useIdleCursor } from './use-idle-cursor';

/** What the wall is doing: its views, or one of the screens before them. */
export type KioskState = 'checking' | 'unreachable' | 'credential' | 'ready';

/**
 * The wall's root: the frame's sizes as CSS variables, no text selection, no context menu, and
 * the pointer hidden while it rests. `data-view` names the view on screen (QA and the shell).
 */
export function KioskRoot({
  state,
  view,
  sideWidth,
  rotating = false,
  children,
}: {
  state: KioskState;
  view?: WallView;
  sideWidth?: number;
  /** Views take turns: the rotation strip takes the bottom edge. */
  rotating?: boolean;
  children: ReactNode;
}) {
  const cursorHidden = useIdleCursor();
  const style = {
    '--kiosk-header': `${KIOSK_HEADER_PX}px`,
    '--kiosk-footer': `${kioskFooterPx(rotating)}px`,
    ...(sideWidth === undefined ? {} : { '--kiosk-side': `${sideWidth}px` }),
  } as CSSProperties;
  return (
    <div
      className={cursorHidden ? 'kiosk kiosk--cursor-hidden' : 'kiosk'}
      data-testid="kiosk"
      data-state={state}
      data-view={view}
      style={style}
      onContextMenu={(event) => event.preventDefault()}
      onDragStart={(event) => event.preventDefault()}
    >
      {children}
    </div>
  );
}
