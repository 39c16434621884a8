/**
 * How alerts look, in one place, so the map markers and QA's pixel checks agree; styles.css
 * repeats these values as `--severity-*` and `--escalated` for the inbox and the detail view.
 * The severity colours avoid the basemap's navy and blue-grey.
 */
import type { Severity } from '../../../../shared/alerts';
import type { Rgb } from '../../map/vehicle-colors';

/** #ff3b5c */
export const SEVERITY_COLOR_CRITICAL: Rgb = [0xff, 0x3b, 0x5c];
/** #ff8a3d */
export const SEVERITY_COLOR_HIGH: Rgb = [0xff, 0x8a, 0x3d];
/** #ffd23f */
export const SEVERITY_COLOR_MEDIUM: Rgb = [0xff, 0xd2, 0x3f];
/** #8fb3ff */
export const SEVERITY_COLOR_LOW: Rgb = [0x8f, 0xb3, 0xff];

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
