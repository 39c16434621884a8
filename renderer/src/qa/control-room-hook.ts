/**
 * A small, stable hook on `window` for QA scripts (Playwright): readiness, which vehicles are
 * live, where a vehicle is drawn on screen, and selecting one without hunting for its pixel.
 * Its type, ControlRoomTestHook, is declared globally in control-room-window.d.ts.
 */
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { FleetBuffer } from '../live/fleet-buffer';

let map: MaplibreMap | null = null;
let basemapReady = false;
let vehiclesPushed = false;
let vehiclesDrawn = false;

/** MapView reports its map (or null when it is removed). */
export function setQaMap(next: MaplibreMap | null): void {
  map = next;
  if (next === null) {
    basemapReady = false;
    vehiclesPushed = false;
    vehiclesDrawn = false;
  }
}

export function markBasemapReady(): void {
  basemapReady = true;
}

let labelsDrawn = false;
let motion = { interpolating: true, drawCostMs: 0 };

/** The vehicle layer's pacing, for QA: gliding between updates, or stepping on a slow GPU. */
export function reportMotion(interpolating: boolean, drawCostMs: number): void {
  motion = { interpolating, drawCostMs };
}

/** The district names were handed to deck.gl (their font loaded first). */
export function markLabelsDrawn(): void {
  labelsDrawn = true;
}

/**
 * Position-update timing for the benchmark (test/bench, docs/PERFORMANCE.md): when each update
 * arrived, how long receiving and applying it took, and when deck.gl first drew it. Only the last
 * UPDATE_TIMING_RING updates are kept, so it costs a few array writes per update and never grows.
 * Times are performance.now() milliseconds.
 */
const UPDATE_TIMING_RING = 256;
const updateArrivedAt = new Float64Array(UPDATE_TIMING_RING);
/** When the relay built each update's frame, on this page's clock (its wall clock is the same). */
const updateSentAt = new Float64Array(UPDATE_TIMING_RING);
const updateDrawnAt = new Float64Array(UPDATE_TIMING_RING);
let updatesArrived = 0;
let updateApplyMs = 0;
let updateArrivedMs = 0;
/** Updates included in what the vehicle layer last handed deck.gl. */
let updatesPushed = 0;
let updatesDrawn = 0;

/** A position update arrived; called before it is applied (applying may push it at once). */
export function markUpdateArrived(atMs: number = performance.now()): void {
  updateArrivedMs = atMs;
  const slot = updatesArrived % UPDATE_TIMING_RING;
  updateArrivedAt[slot] = updateArrivedMs;
  updateSentAt[slot] = Number.NaN;
  updateDrawnAt[slot] = Number.NaN;
  updatesArrived++;
}

/**
 * The update that last arrived is decoded and applied. `serverTimeMs` is its frame's time (epoch
 * ms): a main thread busy when the frame came in delays the handler, not the frame.
 */
export function markUpdateApplied(serverTimeMs: number): void {
  updateApplyMs += performance.now() - updateArrivedMs;
  updateSentAt[(updatesArrived - 1) % UPDATE_TIMING_RING] = serverTimeMs - performance.timeOrigin;
}

/** The vehicle layer handed deck.gl a non-empty fleet. */
export function markVehiclesPushed(): void {
  vehiclesPushed = true;
  updatesPushed = updatesArrived;
}

/** deck.gl finished a render; after a non-empty push that render showed vehicles. */
export function markDeckRendered(): void {
  if (vehiclesPushed) vehiclesDrawn = true;
  if (updatesDrawn >= updatesPushed) return;
  const now = performance.now();
  for (let k = Math.max(updatesDrawn, updatesPushed - UPDATE_TIMING_RING); k < updatesPushed; k++) {
    updateDrawnAt[k % UPDATE_TIMING_RING] = now;
  }
  updatesDrawn = updatesPushed;
}

/** Map container pixels to viewport CSS pixels (the map may not start at the page's corner). */
function toViewport(target: MaplibreMap, lon: number, lat: number): [x: number, y: number] {
  const point = target.project([lon, lat]);
  const rect = target.getContainer().getBoundingClientRect();
  return [rect.left + point.x, rect.top + point.y];
}

export function installControlRoomHook(
  fleet: FleetBuffer,
  selectVehicle: (index: number) => void,
): () => void {
  const hook: ControlRoomTestHook = {
    get ready() {
      return basemapReady && labelsDrawn && vehiclesDrawn;
    },
    liveVehicleIndexes: () => fleet.liveIndexes(),
    projectVehicle: (index) => {
      const position = fleet.drawnPosition(index);
      return map === null || position === null ? null : toViewport(map, position[0], position[1]);
    },
    projectLngLat: (lon, lat) => {
      if (map === null) throw new Error('the map is not created yet');
      return toViewport(map, lon, lat);
    },
    selectVehicle: (index) => selectVehicle(index),
    motion: () => ({ ...motion }),
    jumpTo: (lon, lat, zoom) => {
      map?.jumpTo({ center: [lon, lat], zoom });
    },
    updateTiming: () => {
      const first = Math.max(0, updatesArrived - UPDATE_TIMING_RING);
      const arrivedAtMs: number[] = [];
      const sentAtMs: number[] = [];
      const drawnAtMs: (number | null)[] = [];
      for (let k = first; k < updatesArrived; k++) {
        arrivedAtMs.push(updateArrivedAt[k % UPDATE_TIMING_RING]!);
        sentAtMs.push(updateSentAt[k % UPDATE_TIMING_RING]!);
        const drawn = updateDrawnAt[k % UPDATE_TIMING_RING]!;
        drawnAtMs.push(Number.isNaN(drawn) ? null : drawn);
      }
      return {
        arrived: updatesArrived,
        applyMs: updateApplyMs,
        first,
        arrivedAtMs,
        sentAtMs,
        drawnAtMs,
      };
    },
  };
  window.__controlRoom = hook;
  return () => {
    if (window.__controlRoom === hook) delete window.__controlRoom;
  };
}
