/**
 * What the operator chose to see on the map: vehicle classes (state and speed band, the legend's
 * colours), alert types, violations and the district heat. Pure: the vehicle layer asks
 * `vehicleVisible` per vehicle when colours change, not per frame.
 */
import type { AlertType } from '../../../../shared/alerts';
import { SPEED_SCALE, VehicleFlag } from '../../../../shared/frames';
import { MEDIUM_UP_TO_KMH, SLOW_BELOW_KMH, STOPPED_BELOW_KMH } from '../../map/vehicle-colors';

/** A vehicle's class, as its colour says: its state first, else its speed band. */
export const VEHICLE_CLASSES = [
  'missing',
  'arrears',
  'drowsy',
  'stopped',
  'slow',
  'medium',
  'fast',
] as const;
export type VehicleClass = (typeof VEHICLE_CLASSES)[number];

export interface MapFilters {
  hiddenVehicleClasses: VehicleClass[];
  hiddenAlertTypes: AlertType[];
  violations: boolean;
  districtHeat: boolean;
}

export const DEFAULT_MAP_FILTERS: MapFilters = {
  hiddenVehicleClasses: [],
  hiddenAlertTypes: [],
  violations: true,
  districtHeat: false,
};

/** Same precedence as vehicleColor (vehicle-colors.ts), so a hidden colour is a hidden class. */
export function vehicleClass(flags: number, scaledSpeed: number): VehicleClass {
  if (flags & VehicleFlag.Missing) return 'missing';
  if (flags & VehicleFlag.Arrears) return 'arrears';
  if (flags & VehicleFlag.Drowsy) return 'drowsy';
  if (scaledSpeed < STOPPED_BELOW_KMH * SPEED_SCALE) return 'stopped';
  if (scaledSpeed < SLOW_BELOW_KMH * SPEED_SCALE) return 'slow';
  if (scaledSpeed <= MEDIUM_UP_TO_KMH * SPEED_SCALE) return 'medium';
  return 'fast';
}

/** Toggles one member of a list (a filter chip pressed). */
export function toggled<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

const RGBA = 4;
const ALPHA = 3;

/**
 * The colours to draw: the fleet's own when nothing is hidden (no copy), else a copy in which
 * hidden vehicles are fully transparent (the point shader then drops them, picking too). Run when
 * colours or the filter change, not per animation frame.
 */
export function visibleColors(
  fleet: { colors: Uint8Array; flags: Uint8Array; speed: Uint16Array },
  count: number,
  hidden: readonly VehicleClass[],
): Uint8Array {
  const colors = fleet.colors.subarray(0, count * RGBA);
  if (hidden.length === 0) return colors;
  const copy = colors.slice();
  for (let slot = 0; slot < count; slot++) {
    if (hidden.includes(vehicleClass(fleet.flags[slot]!, fleet.speed[slot]!))) {
      copy[slot * RGBA + ALPHA] = 0;
    }
  }
  return copy;
}
