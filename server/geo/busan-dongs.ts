/**
 * Busan's neighbourhoods (읍·면·동, KOSTAT boundaries bundled in resources/map/dongs.geojson) as
 * a point lookup: which dong (and district) a point is in, and whether it is on land. Production
 * geography: the alert inbox places every alert with it, with or without the simulator; the
 * simulator's road network builds on the same polygons.
 *
 * Everything here is pure except `loadBusanDongs`/`sharedDongIndex`, which read the GeoJSON once.
 */
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface DongProperties {
  code: string;
  name: string;
  name_en: string;
}

export type DongCollection = FeatureCollection<Polygon | MultiPolygon, DongProperties>;

export interface DongInfo {
  /** KOSTAT census code, e.g. `2101051`. */
  code: string;
  name: string;
  nameEn: string;
  /** The district (구/군) code: the first five digits of the dong code. */
  districtCode: string;
}

/** A point closer than this (degrees, ~0.1 mm) to a polygon edge counts as on the boundary. */
const BOUNDARY_EPS_DEG = 1e-9;
/** Grid cell of the point-in-polygon index, degrees (~1 km at Busan). */
const GRID_CELL_DEG = 0.01;
const DISTRICT_CODE_LENGTH = 5;

/** One polygon of a dong: its rings flattened as [x0, y0, x1, y1, …] without the closing vertex. */
export interface FlatPolygon {
  dong: number;
  rings: Float64Array[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Planar area in square degrees, only used to pick a dong's largest part. */
  area: number;
  coordinates: Position[][];
}

export interface DongIndex {
  dongs: readonly DongInfo[];
  /** Every polygon of every dong (a dong may have several: islands). */
  polygons: readonly FlatPolygon[];
  /** dongPolygons[dong] lists indexes into `polygons`. */
  dongPolygons: readonly (readonly number[])[];
  /** [minLon, minLat, maxLon, maxLat] of all dongs. */
  bbox: readonly [number, number, number, number];
  /** True when the point lies in (or on the boundary of) any dong, i.e. on Busan's land. */
  isOnLand(lon: number, lat: number): boolean;
  /** The dong containing the point, or null at sea / outside Busan. */
  dongAt(lon: number, lat: number): DongInfo | null;
  /** The polygon containing the point, or null. */
  polygonAt(lon: number, lat: number): FlatPolygon | null;
}

export function buildDongIndex(collection: DongCollection): DongIndex {
  const dongs: DongInfo[] = [];
  const polygons: FlatPolygon[] = [];
  const dongPolygons: number[][] = [];
  for (const feature of collection.features) {
    const dongIndex = dongs.length;
    const code = String(feature.properties.code);
    dongs.push({
      code,
      name: feature.properties.name,
      nameEn: feature.properties.name_en,
      districtCode: code.slice(0, DISTRICT_CODE_LENGTH),
    });
    const parts: number[] = [];
    for (const coords of polygonsOf(feature)) {
      parts.push(polygons.length);
      polygons.push(flattenPolygon(dongIndex, coords));
    }
    dongPolygons.push(parts);
  }
  const land = new LandIndex(polygons);
  return {
    dongs,
    polygons,
    dongPolygons,
    bbox: land.bbox,
    isOnLand: (lon, lat) => land.find(lon, lat) !== null,
    dongAt: (lon, lat) => {
      const poly = land.find(lon, lat);
      return poly ? (dongs[poly.dong] ?? null) : null;
    },
    polygonAt: (lon, lat) => land.find(lon, lat),
  };
}

/** Reads the bundled `resources/map/dongs.geojson`. */
export function loadBusanDongs(): DongCollection {
  const url = new URL('../../resources/map/dongs.geojson', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as DongCollection;
}

let shared: DongIndex | undefined;

/** The index of the bundled dongs, built once per process (the alert inbox and the simulator). */
export function sharedDongIndex(): DongIndex {
  shared ??= buildDongIndex(loadBusanDongs());
  return shared;
}

export function polygonsOf(
  feature: Feature<Polygon | MultiPolygon, DongProperties>,
): Position[][][] {
  const geometry = feature.geometry;
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function flattenPolygon(dong: number, coordinates: Position[][]): FlatPolygon {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let area = 0;
  const rings = coordinates.map((ring, r) => {
    // GeoJSON repeats the first vertex at the end; the flat form leaves it out.
    const last = ring[ring.length - 1];
    const first = ring[0];
    const closed = ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1];
    const n = closed ? ring.length - 1 : ring.length;
    const flat = new Float64Array(2 * n);
    let ringArea = 0;
    for (let i = 0; i < n; i++) {
      const [x = 0, y = 0] = ring[i] ?? [];
      flat[2 * i] = x;
      flat[2 * i + 1] = y;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
      const [nx = 0, ny = 0] = ring[(i + 1) % n] ?? [];
      ringArea += x * ny - nx * y;
    }
    // Holes subtract from the outer ring's area.
    area += r === 0 ? Math.abs(ringArea) / 2 : -Math.abs(ringArea) / 2;
    return flat;
  });
  return { dong, rings, minX, minY, maxX, maxY, area, coordinates };
}

/** Even-odd point-in-polygon over all rings (holes included); the boundary counts as inside. */
export function pointInFlatPolygon(poly: FlatPolygon, x: number, y: number): boolean {
  if (x < poly.minX || x > poly.maxX || y < poly.minY || y > poly.maxY) return false;
  let inside = false;
  for (const ring of poly.rings) {
    const n = ring.length / 2;
    let xj = ring[2 * n - 2]!;
    let yj = ring[2 * n - 1]!;
    for (let i = 0; i < n; i++) {
      const xi = ring[2 * i]!;
      const yi = ring[2 * i + 1]!;
      if (yi > y !== yj > y) {
        const xCross = xi + ((y - yi) * (xj - xi)) / (yj - yi);
        if (Math.abs(x - xCross) <= BOUNDARY_EPS_DEG) return true;
        if (x < xCross) inside = !inside;
      } else if (yi === y && yj === y && x >= Math.min(xi, xj) && x <= Math.max(xi, xj)) {
        return true;
      } else if (xi === x && yi === y) {
        return true;
      }
      xj = xi;
      yj = yi;
    }
  }
  return inside;
}

/** A uniform grid over Busan listing the polygons whose bbox touches each cell. */
class LandIndex {
  readonly bbox: readonly [number, number, number, number];
  private readonly cols: number;
  private readonly rows: number;
  private readonly cells: FlatPolygon[][];

  constructor(polygons: FlatPolygon[]) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const p of polygons) {
      minX = Math.min(minX, p.minX);
      minY = Math.min(minY, p.minY);
      maxX = Math.max(maxX, p.maxX);
      maxY = Math.max(maxY, p.maxY);
    }
    this.bbox = [minX, minY, maxX, maxY];
    this.cols = Math.max(1, Math.ceil((maxX - minX) / GRID_CELL_DEG));
    this.rows = Math.max(1, Math.ceil((maxY - minY) / GRID_CELL_DEG));
    this.cells = Array.from({ length: this.cols * this.rows }, () => []);
    for (const p of polygons) {
      const c0 = this.col(p.minX);
      const c1 = this.col(p.maxX);
      const r0 = this.row(p.minY);
      const r1 = this.row(p.maxY);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) this.cells[r * this.cols + c]!.push(p);
      }
    }
  }

  find(x: number, y: number): FlatPolygon | null {
    const [minX, minY, maxX, maxY] = this.bbox;
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) return null;
    const cell = this.cells[this.row(y) * this.cols + this.col(x)];
    if (!cell) return null;
    for (const p of cell) if (pointInFlatPolygon(p, x, y)) return p;
    return null;
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.bbox[0]) / GRID_CELL_DEG)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.bbox[1]) / GRID_CELL_DEG)));
  }
}
