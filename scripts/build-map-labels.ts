/**
 * Builds resources/map/district-labels.geojson and dong-labels.geojson: one label point per Busan
 * district and neighbourhood (동), placed at the pole of inaccessibility (the interior point
 * farthest from any edge) of its largest polygon, with the area's bounding box (GeoJSON `bbox`)
 * for the map search to fly to. Centroids fall outside concave districts and into the sea for island districts, so the
 * labels are computed once here and committed rather than guessed at run time.
 *
 * Run: node --import tsx scripts/build-map-labels.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { format } from 'prettier';

const MAP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../resources/map');
const LABEL_FILES = [
  { source: 'districts.geojson', output: 'district-labels.geojson' },
  { source: 'dongs.geojson', output: 'dong-labels.geojson' },
];

/** Search precision in degrees of latitude (~10 m); finer changes nothing visible on the map. */
const PRECISION_DEG = 0.0001;
/** Coordinates are written with 5 decimals, like the source files (about 1 m). */
const COORDINATE_DECIMALS = 5;

interface DistrictProperties {
  code: string;
  name: string;
  name_en: string;
}

interface LabelProperties {
  code: string;
  name: string;
  name_en: string;
}

type Ring = Position[];
type PolygonRings = Ring[];

/** x is scaled by cos(latitude) so distances are isotropic near Busan (lon degrees are shorter). */
interface Projection {
  toPlane(p: Position): [number, number];
  fromPlane(x: number, y: number): [number, number];
}

function localProjection(referenceLat: number): Projection {
  const k = Math.cos((referenceLat * Math.PI) / 180);
  return {
    toPlane: (p) => [(p[0] ?? 0) * k, p[1] ?? 0],
    fromPlane: (x, y) => [x / k, y],
  };
}

function ringArea(ring: [number, number][]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    sum += (b[0] - a[0]) * (b[1] + a[1]);
  }
  return Math.abs(sum) / 2;
}

/** Signed distance from a point to the polygon's outline: positive inside, negative outside. */
function signedDistance(x: number, y: number, rings: [number, number][][]): number {
  let inside = false;
  let minSq = Infinity;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!;
      const b = ring[j]!;
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) {
        inside = !inside;
      }
      minSq = Math.min(minSq, segmentDistanceSq(x, y, a, b));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minSq);
}

function segmentDistanceSq(px: number, py: number, a: [number, number], b: [number, number]) {
  let x = a[0];
  let y = a[1];
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0];
      y = b[1];
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

interface Cell {
  x: number;
  y: number;
  half: number;
  d: number;
  /** Best distance any point inside this cell could reach. */
  max: number;
}

function makeCell(x: number, y: number, half: number, rings: [number, number][][]): Cell {
  const d = signedDistance(x, y, rings);
  return { x, y, half, d, max: d + half * Math.SQRT2 };
}

/**
 * Pole of inaccessibility by quadtree search (the polylabel method): split cells that could still
 * hold a better point, always expanding the most promising one first.
 */
function poleOfInaccessibility(rings: [number, number][][], precision: number): [number, number] {
  const outer = rings[0] ?? [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of outer) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const size = Math.min(maxX - minX, maxY - minY);
  let best = makeCell((minX + maxX) / 2, (minY + maxY) / 2, 0, rings);
  if (size === 0) return [best.x, best.y];

  const queue: Cell[] = [];
  const half = size / 2;
  for (let x = minX; x < maxX; x += size) {
    for (let y = minY; y < maxY; y += size) {
      queue.push(makeCell(x + half, y + half, half, rings));
    }
  }
  while (queue.length > 0) {
    // Sixteen districts, a few thousand cells each: a sort beats carrying a heap implementation.
    queue.sort((a, b) => b.max - a.max);
    const cell = queue.shift()!;
    if (cell.d > best.d) best = cell;
    if (cell.max - best.d <= precision) continue;
    const h = cell.half / 2;
    queue.push(
      makeCell(cell.x - h, cell.y - h, h, rings),
      makeCell(cell.x + h, cell.y - h, h, rings),
      makeCell(cell.x - h, cell.y + h, h, rings),
      makeCell(cell.x + h, cell.y + h, h, rings),
    );
  }
  return [best.x, best.y];
}

function polygonsOf(geometry: Polygon | MultiPolygon): PolygonRings[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function round(value: number): number {
  const f = 10 ** COORDINATE_DECIMALS;
  return Math.round(value * f) / f;
}

function labelPointFor(geometry: Polygon | MultiPolygon): [number, number] {
  const polygons = polygonsOf(geometry);
  const referenceLat = polygons[0]?.[0]?.[0]?.[1] ?? 0;
  const projection = localProjection(referenceLat);
  let largest: [number, number][][] = [];
  let largestArea = -1;
  for (const polygon of polygons) {
    const planar = polygon.map((ring) => ring.map(projection.toPlane));
    const area = ringArea(planar[0] ?? []);
    if (area > largestArea) {
      largestArea = area;
      largest = planar;
    }
  }
  const [x, y] = poleOfInaccessibility(largest, PRECISION_DEG);
  const [lon, lat] = projection.fromPlane(x, y);
  return [round(lon), round(lat)];
}

function bboxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    for (const [lon = 0, lat = 0] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box.map(round) as [number, number, number, number];
}

async function writeLabels(sourceName: string, outputName: string): Promise<void> {
  const source = JSON.parse(
    readFileSync(resolve(MAP_DIR, sourceName), 'utf8'),
  ) as FeatureCollection<Polygon | MultiPolygon, DistrictProperties>;
  const features: Feature<Point, LabelProperties>[] = source.features.map((area) => ({
    type: 'Feature',
    bbox: bboxOf(area.geometry),
    properties: {
      code: area.properties.code,
      name: area.properties.name,
      name_en: area.properties.name_en,
    },
    geometry: { type: 'Point', coordinates: labelPointFor(area.geometry) },
  }));
  const output: FeatureCollection<Point, LabelProperties> = { type: 'FeatureCollection', features };
  // Formatted as the repository's Prettier check expects, so regenerating never dirties lint.
  const text = await format(JSON.stringify(output), { parser: 'json' });
  const file = resolve(MAP_DIR, outputName);
  writeFileSync(file, text);
  console.log(`wrote ${output.features.length} labels to ${file}`);
}

for (const { source, output } of LABEL_FILES) await writeLabels(source, output);
