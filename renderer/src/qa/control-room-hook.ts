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

/** The district names were handed to deck.gl (their font loaded first). */
export function markLabelsDrawn(): void {
  labelsDrawn = true;
}

/** The vehicle layer handed deck.gl a non-empty fleet. */
export function markVehiclesPushed(): void {
  vehiclesPushed = true;
}

/** deck.gl finished a render; after a non-empty push that render showed vehicles. */
export function markDeckRendered(): void {
  if (vehiclesPushed) vehiclesDrawn = true;
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
    jumpTo: (lon, lat, zoom) => {
      map?.jumpTo({ center: [lon, lat], zoom });
    },
  };
  window.__controlRoom = hook;
  return () => {
    if (window.__controlRoom === hook) delete window.__controlRoom;
  };
}
