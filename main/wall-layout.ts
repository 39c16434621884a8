/**
 * Wall displays: one window per configured screen, each showing one view or rotating through
 * several. Pure: displays come in, window plans go out.
 */
import type { WallScreen } from '../shared/ipc';

export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export interface WallWindowPlan {
  displayId: number;
  bounds: DisplayInfo['bounds'];
  /** Path and query of the kiosk view on the relay, e.g. `/kiosk?views=map,alerts&rotate=30`. */
  path: string;
}

/**
 * Matches screens to displays: a screen naming a display id gets it when present; the others take
 * the remaining displays in order. Screens beyond the displays are left out (a missing monitor).
 */
export function planWallWindows(
  screens: readonly WallScreen[],
  displays: readonly DisplayInfo[],
): WallWindowPlan[] {
  const free = [...displays];
  const take = (id?: number): DisplayInfo | undefined => {
    const at = id === undefined ? 0 : free.findIndex((d) => d.id === id);
    return at >= 0 ? free.splice(at, 1)[0] : undefined;
  };
  const named = screens.filter((s) => s.displayId !== undefined);
  const unnamed = screens.filter((s) => s.displayId === undefined);
  const plans: WallWindowPlan[] = [];
  for (const screen of [...named, ...unnamed]) {
    const display = take(screen.displayId) ?? (screen.displayId !== undefined ? undefined : take());
    if (!display) continue;
    plans.push({ displayId: display.id, bounds: display.bounds, path: kioskPath(screen) });
  }
  return plans;
}

export function kioskPath(screen: Pick<WallScreen, 'views' | 'rotateSeconds'>): string {
  const query = new URLSearchParams({
    views: screen.views.join(','),
    rotate: String(screen.rotateSeconds),
  });
  return `/kiosk?${query.toString()}`;
}
