/**
 * The wall's frame, in one place: the stylesheet reads these as CSS variables (set on the kiosk
 * root) and the map camera keeps Busan clear of the same header, footer and side panel.
 */
import type { LngLatBoundsLike } from 'maplibre-gl';

export const KIOSK_HEADER_PX = 120;
/** The rotation strip along the bottom edge, when views rotate. */
export const KIOSK_ROTATION_PX = 64;
const SIDE_PANEL_SHARE = 0.28;
const SIDE_PANEL_MIN_PX = 380;
const SIDE_PANEL_MAX_PX = 640;

export function kioskFooterPx(rotating: boolean): number {
  return rotating ? KIOSK_ROTATION_PX : 0;
}

/**
 * Busan's land, edge to edge (the district polygons' extent): a wall fits this, not the sea
 * margin the operators' map keeps for panning.
 */
export const KIOSK_BOUNDS: LngLatBoundsLike = [
  [128.76, 34.97],
  [129.31, 35.39],
];

/** The side panel of the map and heat views: a share of the width, within readable limits. */
export function sidePanelWidth(viewportWidth: number): number {
  return Math.min(
    SIDE_PANEL_MAX_PX,
    Math.max(SIDE_PANEL_MIN_PX, Math.round(viewportWidth * SIDE_PANEL_SHARE)),
  );
}
