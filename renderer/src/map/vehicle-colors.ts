/**
 * The vehicle palette: one place for the colours a vehicle dot can have, so the map, the legend
 * and QA's pixel tests agree. None of these hues (red, magenta, yellow, blue, cyan, green, lime)
 * appears in the basemap, which is kept to navy and blue-grey. Alert markers (alert-visuals.ts)
 * use none of the speed colours and are told apart by their rings as well as their colour: the
 * old 60+ km/h yellow was a medium alert's colour and the old drowsy orange a high alert's.
 * Speeds run blue → cyan → green → lime, light and dark apart, so they read in every common
 * colour-vision deficiency by lightness too.
 */
import { SPEED_SCALE, VehicleFlag } from '../../../shared/frames';

export type Rgb = readonly [r: number, g: number, b: number];

/** Missing-person (실종자) plate hit: the most urgent state. #ef4444 */
export const VEHICLE_COLOR_MISSING_PERSON: Rgb = [0xef, 0x44, 0x44];
/** Arrears (체납) plate hit. #e879f9 */
export const VEHICLE_COLOR_ARREARS: Rgb = [0xe8, 0x79, 0xf9];
/** Drowsy-driving detection. #facc15 (no alert marker is yellow) */
export const VEHICLE_COLOR_DROWSY: Rgb = [0xfa, 0xcc, 0x15];
/** Stopped: below STOPPED_BELOW_KMH. #5b8def */
export const VEHICLE_COLOR_STOPPED: Rgb = [0x5b, 0x8d, 0xef];
/** STOPPED_BELOW_KMH up to SLOW_BELOW_KMH. #22d3ee */
export const VEHICLE_COLOR_SLOW: Rgb = [0x22, 0xd3, 0xee];
/** SLOW_BELOW_KMH up to and including MEDIUM_UP_TO_KMH. #4ade80 */
export const VEHICLE_COLOR_MEDIUM: Rgb = [0x4a, 0xde, 0x80];
/** Above MEDIUM_UP_TO_KMH. #d9f99d: a pale lime, lighter than every other speed. */
export const VEHICLE_COLOR_FAST: Rgb = [0xd9, 0xf9, 0x9d];
/** The ring around the selected vehicle. */
export const VEHICLE_COLOR_SELECTION: Rgb = [0xff, 0xff, 0xff];

export const STOPPED_BELOW_KMH = 5;
export const SLOW_BELOW_KMH = 30;
export const MEDIUM_UP_TO_KMH = 60;

// Frames carry speed as km/h × SPEED_SCALE integers; comparing in that unit avoids a division
// per vehicle per update.
const STOPPED_BELOW_SCALED = STOPPED_BELOW_KMH * SPEED_SCALE;
const SLOW_BELOW_SCALED = SLOW_BELOW_KMH * SPEED_SCALE;
const MEDIUM_UP_TO_SCALED = MEDIUM_UP_TO_KMH * SPEED_SCALE;

/**
 * A vehicle's colour: its state first (missing person, then arrears, then drowsy), else its speed.
 * @param scaledSpeed km/h × SPEED_SCALE, as in a position frame
 */
export function vehicleColor(flags: number, scaledSpeed: number): Rgb {
  if (flags & VehicleFlag.Missing) return VEHICLE_COLOR_MISSING_PERSON;
  if (flags & VehicleFlag.Arrears) return VEHICLE_COLOR_ARREARS;
  if (flags & VehicleFlag.Drowsy) return VEHICLE_COLOR_DROWSY;
  if (scaledSpeed < STOPPED_BELOW_SCALED) return VEHICLE_COLOR_STOPPED;
  if (scaledSpeed < SLOW_BELOW_SCALED) return VEHICLE_COLOR_SLOW;
  if (scaledSpeed <= MEDIUM_UP_TO_SCALED) return VEHICLE_COLOR_MEDIUM;
  return VEHICLE_COLOR_FAST;
}

/** CSS colour text for DOM uses of the palette (legend). */
export function rgbToCss([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}
