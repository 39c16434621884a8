/**
 * What the map knows about itself that changes per frame or once per page: its MapLibre instance,
 * whether the basemap, labels, streets and vehicles have been drawn, how vehicles are paced, and
 * the timing of each position update (the benchmark's numbers). The map's own components report
 * here; readers (the QA hook in qa/, the benchmark through it) only read.
 *
 * Not in the zustand store on purpose: per-frame facts must not wake React (STYLE: per-frame data
 * outside the store), and these are written from render callbacks dozens of times a second.
 */
import type { Map as MaplibreMap } from 'maplibre-gl';

let map: MaplibreMap | null = null;
let basemapReady = false;
let labelsDrawn = false;
let vehiclesPushed = false;
let vehiclesDrawn = false;
let streets: { kind: string; drawn: boolean } = { kind: 'unknown', drawn: false };
let motion = { interpolating: true, drawCostMs: 0 };

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

/** The district names were handed to deck.gl (their font loaded first). */
export function markLabelsDrawn(): void {
  labelsDrawn = true;
}

/** The deployment's streets on the map (map/streets.ts): which kind, and drawn yet. */
export function reportStreets(state: { kind: string; drawn: boolean }): void {
  streets = { ...state };
}

/** The vehicle layer's pacing: gliding between updates, or stepping on a slow GPU. */
export function reportMotion(interpolating: boolean, drawCostMs: number): void {
  motion = { interpolating, drawCostMs };
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

// ── Readers ─────────────────────────────────────────────────────────────────────────────────────

export interface MapReadiness {
  basemap: boolean;
  labels: boolean;
  vehicles: boolean;
}

export function mapReadiness(): MapReadiness {
  return { basemap: basemapReady, labels: labelsDrawn, vehicles: vehiclesDrawn };
}

export function currentMap(): MaplibreMap | null {
  return map;
}

export function currentStreets(): { kind: string; drawn: boolean } {
  return { ...streets };
}

export function currentMotion(): { interpolating: boolean; drawCostMs: number } {
  return { ...motion };
}

export function updateTiming(): ControlRoomUpdateTiming {
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
}
