/**
 * The naive path the benchmark compares the product with: what a first implementation of a live
 * vehicle map on MapLibre does. Every position update rebuilds a GeoJSON FeatureCollection and
 * re-sets it on a GeoJSON source drawn by a circle layer. Same relay, same binary frames, same
 * basemap (style and data) and dot size and colours as the product; only the vehicle path differs.
 *
 * It reports the same update timing as the product's QA hook, on `window.__benchNaive`.
 */
import { Map as MaplibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { io } from 'socket.io-client';
import districtsUrl from '../../../resources/map/districts.geojson?url';
import dongsUrl from '../../../resources/map/dongs.geojson?url';
import { BUSAN_BOUNDS, buildBasemapStyle } from '../../../renderer/src/map/basemap-style';
import { rgbToCss, vehicleColor, type Rgb } from '../../../renderer/src/map/vehicle-colors';
import { SOCKET_PATH } from '../../../shared/events';
import { decodePositionFrame, FrameKind, VehicleFlag } from '../../../shared/frames';
import { browser, type UpdateTiming } from '../browser-globals';

/** The product's session entry (renderer/src/auth/session.ts), set by the benchmark. */
const SESSION_STORAGE_KEY = 'controlRoom.session';
const SOURCE_ID = 'bench-vehicles';
/** The product's dot: 3 px radius (VehicleLayer.tsx). */
const VEHICLE_RADIUS_PX = 3;
/** The product's fit (MapView.tsx), so both pages show Busan at the same scale. */
const FIT_PADDING = { top: 88, bottom: 60, left: 32, right: 32 };
const TIMING_RING = 256;

interface VehicleFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { color: string };
}

setWorkerUrl(workerUrl);
const absolute = (url: string) => new URL(url, browser.location.href).href;

const map = new MaplibreMap({
  container: 'map',
  style: buildBasemapStyle({ districts: absolute(districtsUrl), dongs: absolute(dongsUrl) }),
  bounds: BUSAN_BOUNDS,
  fitBoundsOptions: { padding: FIT_PADDING },
  renderWorldCopies: false,
  attributionControl: false,
});

const features = new Map<number, VehicleFeature>();
const cssOf = new Map<Rgb, string>();
const colorText = (rgb: Rgb) => {
  let css = cssOf.get(rgb);
  if (css === undefined) cssOf.set(rgb, (css = rgbToCss(rgb)));
  return css;
};

// Update timing, in the shape of the product hook's updateTiming().
const arrivedAt = new Float64Array(TIMING_RING);
const sentAt = new Float64Array(TIMING_RING);
const drawnAt = new Float64Array(TIMING_RING);
let arrived = 0;
let applyMs = 0;
let drawn = 0;
let ready = false;

const timing = (): UpdateTiming => {
  const first = Math.max(0, arrived - TIMING_RING);
  const arrivedAtMs: number[] = [];
  const sentAtMs: number[] = [];
  const drawnAtMs: (number | null)[] = [];
  for (let k = first; k < arrived; k++) {
    arrivedAtMs.push(arrivedAt[k % TIMING_RING]!);
    sentAtMs.push(sentAt[k % TIMING_RING]!);
    const d = drawnAt[k % TIMING_RING]!;
    drawnAtMs.push(Number.isNaN(d) ? null : d);
  }
  return { arrived, applyMs, first, arrivedAtMs, sentAtMs, drawnAtMs };
};
(globalThis as { __benchNaive?: unknown }).__benchNaive = {
  get ready() {
    return ready;
  },
  updateTiming: timing,
};

map.on('load', () => {
  map.addSource(SOURCE_ID, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: SOURCE_ID,
    type: 'circle',
    source: SOURCE_ID,
    paint: { 'circle-radius': VEHICLE_RADIUS_PX, 'circle-color': ['get', 'color'] },
  });
  const source = map.getSource<GeoJSONSource>(SOURCE_ID)!;

  // When is an update on screen? setData's promise cannot say: it resolves only when MapLibre's
  // update queue goes idle, which never happens while updates arrive faster than they are
  // processed. So the page follows MapLibre's own steps instead:
  //   1. the worker finishes an update and the source fires a `content` event; updates sent to
  //      the worker one at a time, the latest waiting one replacing the others, so the update it
  //      carried is known from the calls to setData;
  //   2. the source's tiles reload with that data, one `sourcedata` event per tile;
  //   3. the first render after every visible tile has reloaded shows the update.
  let sending: number | null = null;
  let waiting: number | null = null;
  let completed = 0;
  const tileVersion = new Map<string, number>();
  const tiles = map.style.tileManagers[SOURCE_ID]!;
  map.on('sourcedata', (event) => {
    if (event.sourceId !== SOURCE_ID) return;
    if (event.sourceDataType === 'content') {
      if (sending !== null) completed = Math.max(completed, sending);
      sending = waiting;
      waiting = null;
    } else if (event.tile !== undefined) {
      tileVersion.set(event.tile.tileID.key, completed);
    }
  });
  map.on('render', () => {
    let onScreen = Number.POSITIVE_INFINITY;
    for (const key of tiles.getRenderableIds())
      onScreen = Math.min(onScreen, tileVersion.get(key) ?? 0);
    if (!Number.isFinite(onScreen) || onScreen <= drawn) return;
    const now = performance.now();
    for (let k = Math.max(drawn, onScreen - TIMING_RING); k < onScreen; k++) {
      drawnAt[k % TIMING_RING] = now;
    }
    drawn = onScreen;
    ready = true;
  });

  const session = JSON.parse(browser.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? '{}') as {
    token?: string;
  };
  const socket = io({
    path: SOCKET_PATH,
    transports: ['websocket'],
    auth: { token: session.token },
  });
  socket.on('positions', (data: ArrayBuffer) => {
    const started = performance.now();
    const slot = arrived % TIMING_RING;
    arrivedAt[slot] = started;
    drawnAt[slot] = Number.NaN;
    const update = ++arrived;
    const frame = decodePositionFrame(data);
    sentAt[slot] = frame.serverTimeMs - performance.timeOrigin;
    const seen = frame.kind === FrameKind.Key ? new Set<number>() : null;
    for (let row = 0; row < frame.count; row++) {
      const index = frame.index[row]!;
      const flags = frame.flags[row]!;
      if (flags & VehicleFlag.Gone) {
        features.delete(index);
        continue;
      }
      seen?.add(index);
      const coordinates: [number, number] = [frame.lon[row]!, frame.lat[row]!];
      const color = colorText(vehicleColor(flags, frame.speed[row]!));
      const feature = features.get(index);
      if (feature) {
        feature.geometry.coordinates = coordinates;
        feature.properties.color = color;
      } else {
        features.set(index, {
          type: 'Feature',
          id: index,
          geometry: { type: 'Point', coordinates },
          properties: { color },
        });
      }
    }
    if (seen) for (const index of features.keys()) if (!seen.has(index)) features.delete(index);
    // The naive step: the whole collection, every update. (Its promise is not awaited: see above.)
    void source.setData({ type: 'FeatureCollection', features: [...features.values()] });
    if (sending === null) sending = update;
    else waiting = update;
    applyMs += performance.now() - started;
  });
});
