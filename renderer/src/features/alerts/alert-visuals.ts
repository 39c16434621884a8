/**
 * How alerts look, in one place, so the map markers, the legend and QA's pixel checks agree;
 * tokens.css repeats these values as `--severity-*` and `--escalated` for the inbox and the detail
 * view. The severity colours avoid the basemap's navy and blue-grey and every vehicle speed colour
 * (vehicle-colors.ts). A severity is never told by hue alone (colour-vision deficiencies): each
 * has its own marker form (SEVERITY_MARKERS) — a double white ring, a white ring, a dark ring, a
 * hollow ring — drawn on the map and in the legend alike.
 */
import type { Severity } from '../../../../shared/alerts';
import type { Rgb } from '../../map/vehicle-colors';

/** #ff3b5c */
export const SEVERITY_COLOR_CRITICAL: Rgb = [0xff, 0x3b, 0x5c];
/** #ff8a3d */
export const SEVERITY_COLOR_HIGH: Rgb = [0xff, 0x8a, 0x3d];
/** #a78bfa: violet, not the yellow of drowsy cars. */
export const SEVERITY_COLOR_MEDIUM: Rgb = [0xa7, 0x8b, 0xfa];
/** #c7d2e0: a pale grey ring, not the blue of stopped cars. */
export const SEVERITY_COLOR_LOW: Rgb = [0xc7, 0xd2, 0xe0];

export const SEVERITY_COLORS: Readonly<Record<Severity, Rgb>> = {
  critical: SEVERITY_COLOR_CRITICAL,
  high: SEVERITY_COLOR_HIGH,
  medium: SEVERITY_COLOR_MEDIUM,
  low: SEVERITY_COLOR_LOW,
};

/** The border and pulse of an escalated (overdue) alert in the inbox. #ff1f3d */
export const ESCALATED_COLOR: Rgb = [0xff, 0x1f, 0x3d];
/** The outline of every alert marker on the map. */
export const ALERT_MARKER_OUTLINE: Rgb = [0x0b, 0x13, 0x22];

/** White: the rings of critical and high markers. */
export const ALERT_MARKER_RING: Rgb = [0xff, 0xff, 0xff];

/** A severity's marker form: how big, whether filled, its outline, and a second outer ring. */
export interface SeverityMarker {
  radiusPx: number;
  filled: boolean;
  /** The outline's colour: white for the urgent two, dark for medium, its own colour for low. */
  outline: 'ring' | 'dark' | 'own';
  outlinePx: number;
  /** A second, outer white ring: critical only. */
  outerRingPx: number | null;
}

export const SEVERITY_MARKERS: Readonly<Record<Severity, SeverityMarker>> = {
  critical: { radiusPx: 10, filled: true, outline: 'ring', outlinePx: 3, outerRingPx: 15 },
  high: { radiusPx: 9, filled: true, outline: 'ring', outlinePx: 2.5, outerRingPx: null },
  medium: { radiusPx: 8, filled: true, outline: 'dark', outlinePx: 2.5, outerRingPx: null },
  low: { radiusPx: 7, filled: false, outline: 'own', outlinePx: 3, outerRingPx: null },
};

export function markerOutlineColor(severity: Severity): Rgb {
  const { outline } = SEVERITY_MARKERS[severity];
  return outline === 'ring'
    ? ALERT_MARKER_RING
    : outline === 'dark'
      ? ALERT_MARKER_OUTLINE
      : SEVERITY_COLORS[severity];
}
