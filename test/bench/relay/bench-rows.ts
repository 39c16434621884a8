/**
 * The rows the relay benchmark writes to Kafka, in the seed topics' shapes (driving_session,
 * driving_session_info), and how a received frame row is traced back to the message behind it.
 *
 * Tracing: message number `s` of a run is vehicle `s % vehicles`, generation `s / vehicles`. The
 * generation is carried in the row's speed (km/h × 10 is exactly what a frame carries), so a
 * client that decodes a frame knows which message each row shows without any extra field.
 */
import { formatKstIso } from '../../../shared/time';

/** Frames carry speed as km/h × 10; generations cycle through this many distinct speed codes. */
export const SPEED_CODE_CYCLE = 1000;
/** The lowest code: 10 km/h, so every bench vehicle counts as moving. */
const SPEED_CODE_BASE = 100;
const SPEED_SCALE = 10;

/** Where the bench vehicles drive: central Busan, on a small circle each. */
const BASE_LON = 128.95;
const BASE_LAT = 35.08;
const SPREAD_LON_DEG = 0.2;
const SPREAD_LAT_DEG = 0.15;
const CIRCLE_RADIUS_DEG = 0.002;
const STEP_RAD = 0.05;
/** Spreads vehicles over the box without clustering (two primes, modulo a grid of 1,000). */
const GRID = 1000;
const PRIME_LON = 7919;
const PRIME_LAT = 104_729;

const CAR_PREFIX = 'BENCH-C';
const SESSION_PREFIX = 'BENCH-S';

export const carIdOf = (vehicle: number) => `${CAR_PREFIX}${vehicle}`;
export const sessionIdOf = (vehicle: number) => `${SESSION_PREFIX}${vehicle}`;

/** The bench vehicle number of a car id, or -1 for a car that is not the bench's. */
export function vehicleOfCarId(carId: string): number {
  return carId.startsWith(CAR_PREFIX) ? Number(carId.slice(CAR_PREFIX.length)) : -1;
}

export function speedCodeOf(generation: number): number {
  return SPEED_CODE_BASE + (generation % SPEED_CODE_CYCLE);
}

/** The generation a speed code stands for: the latest one at or before `latest` with that code. */
export function generationOf(speedCode: number, latest: number): number {
  const residue = speedCode - SPEED_CODE_BASE;
  if (residue < 0 || residue >= SPEED_CODE_CYCLE || latest < 0) return -1;
  const back = (((latest - residue) % SPEED_CODE_CYCLE) + SPEED_CODE_CYCLE) % SPEED_CODE_CYCLE;
  return latest - back;
}

export function sessionValue(vehicle: number, startMs: number): string {
  return JSON.stringify({
    session_id: sessionIdOf(vehicle),
    car_id: carIdOf(vehicle),
    start_time: formatKstIso(startMs),
    end_time: null,
  });
}

/**
 * One position row as JSON text, built by concatenation: at 50,000 rows a second the generator
 * must not spend its core on JSON.stringify.
 */
export function infoValue(vehicle: number, generation: number, dtText: string): string {
  const angle = vehicle + generation * STEP_RAD;
  const lon = BASE_LON + (((vehicle * PRIME_LON) % GRID) / GRID) * SPREAD_LON_DEG;
  const lat = BASE_LAT + (((vehicle * PRIME_LAT) % GRID) / GRID) * SPREAD_LAT_DEG;
  const speed = speedCodeOf(generation) / SPEED_SCALE;
  return (
    `{"info_id":"${vehicle}-${generation}","session_id":"${SESSION_PREFIX}${vehicle}",` +
    `"app_lat":${(lat + CIRCLE_RADIUS_DEG * Math.sin(angle)).toFixed(6)},` +
    `"app_lon":${(lon + CIRCLE_RADIUS_DEG * Math.cos(angle)).toFixed(6)},` +
    `"speed":${speed},"app_rapid_acc":0,"app_weather_status":"맑음","dt":"${dtText}"}`
  );
}
