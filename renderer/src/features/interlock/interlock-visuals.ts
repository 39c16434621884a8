/**
 * How violations and hand-offs look, in one place, so the panels (interlock.css mirrors these),
 * the map markers and QA's pixel checks agree. A major violation takes the alarm red of a
 * critical alert; an accepted hand-off is the one green on the screen.
 */
import type { DispatchState, ViolationGrade } from '../../../../shared/interlock';
import type { Rgb } from '../../map/vehicle-colors';

/** #ff3b5c */
export const GRADE_COLOR_MAJOR: Rgb = [0xff, 0x3b, 0x5c];
/** #8b98ab */
export const GRADE_COLOR_MINOR: Rgb = [0x8b, 0x98, 0xab];

export const GRADE_COLORS: Readonly<Record<ViolationGrade, Rgb>> = {
  major: GRADE_COLOR_MAJOR,
  minor: GRADE_COLOR_MINOR,
};

/** #22c55e */
export const DISPATCH_COLOR_ACCEPTED: Rgb = [0x22, 0xc5, 0x5e];

export const DISPATCH_STATE_COLORS: Readonly<Record<DispatchState, Rgb>> = {
  /** #fbbf24: waits for a supervisor. */
  requested: [0xfb, 0xbf, 0x24],
  /** #93c5fd */
  queued: [0x93, 0xc5, 0xfd],
  /** #60a5fa */
  sending: [0x60, 0xa5, 0xfa],
  /** #fb923c */
  retry_wait: [0xfb, 0x92, 0x3c],
  accepted: DISPATCH_COLOR_ACCEPTED,
  /** #ff3b5c: a person must decide. */
  rejected: [0xff, 0x3b, 0x5c],
  /** #c084fc */
  manual: [0xc0, 0x84, 0xfc],
};

/** Violation markers' sizes on the map (and in the legend): major larger than minor. */
export const VIOLATION_MARKERS: Readonly<
  Record<ViolationGrade, { radiusPx: number; outlinePx: number }>
> = {
  major: { radiusPx: 8, outlinePx: 2 },
  minor: { radiusPx: 6, outlinePx: 2 },
};

/** The ring around the selected violation's marker, and every marker's outline. */
export const VIOLATION_MARKER_OUTLINE: Rgb = [0xff, 0xff, 0xff];

export function cssColor(rgb: Rgb): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
