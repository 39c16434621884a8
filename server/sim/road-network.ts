/**
 * A road-like graph of Busan built from the neighbourhood (dong) boundaries, for the simulator.
 *
 * There is no street data in the repository, so the "roads" are a coarse stand-in: one hub per
 * dong (a point on its surface) and one crossing point per shared border between neighbouring
 * dongs, linked hub ↔ crossing only where the straight link stays on land. Vehicles driving on it
 * move between neighbourhoods the way traffic does, never over the sea.
 *
 * Everything here is pure except `loadRoadNetwork`, which reads the bundled GeoJSON once.
 */
import { pointOnFeature } from '@turf/point-on-feature';
import { polygon as turfPolygon } from '@turf/helpers';
import {
  buildDongIndex,
  loadBusanDongs,
  pointInFlatPolygon,
  type DongCollection,
  type DongInfo,
  type FlatPolygon,
} from '../geo/busan-dongs';
import { haversineM } from './geo';

// The dongs and their point lookup are production geography (server/geo); the roads are ours.
export type { DongCollection, DongInfo, DongProperties } from '../geo/busan-dongs';

/**
 * `dong`: a neighbourhood's hub; `border`: a crossing between two neighbourhoods; `local`: the end
 * of a local road inside a neighbourhood that has no land link to any neighbour (an island).
 */
export type RoadNodeKind = 'dong' | 'border' | 'local';

export interface RoadNode {
  id: number;
  lon: number;
  lat: number;
  kind: RoadNodeKind;
  /** The dong the node lies in; for a border node, the first of the two dongs it joins. */
  dongCode: string;
  /** For a border node, the other dong it joins; null for a dong hub. */
  neighbourDongCode: string | null;
  /** Index into `RoadNetwork.components`. */
  component: number;
}

export interface RoadEdge {
  id: number;
  a: number;
  b: number;
  lengthM: number;
}

export interface RoadAdjacency {
  /** The node at the other end. */
  to: number;
  edge: number;
  lengthM: number;
}

export interface RoadComponent {
  id: number;
  nodeCount: number;
  edgeCount: number;
  lengthM: number;
  dongCodes: string[];
}

export interface RoadNetwork {
  nodes: readonly RoadNode[];
  edges: readonly RoadEdge[];
  /** adjacency[nodeId] lists the edges leaving that node. */
  adjacency: readonly (readonly RoadAdjacency[])[];
  /** Connected components, largest (by length) first. */
  components: readonly RoadComponent[];
  dongs: readonly DongInfo[];
  /** [minLon, minLat, maxLon, maxLat] of all dongs. */
  bbox: readonly [number, number, number, number];
  totalLengthM: number;
  /** True when the point lies in (or on the boundary of) any dong, i.e. on Busan's land. */
  isOnLand(lon: number, lat: number): boolean;
  /** The dong containing the point, or null at sea / outside Busan. */
  dongAt(lon: number, lat: number): DongInfo | null;
}

export interface RoadNetworkOptions {
  /** Spacing of the on-land checks along each link. */
  landSampleSpacingM?: number;
  /** Shared borders shorter than this get no crossing point of their own (the longest always does). */
  minBorderRunM?: number;
  /** Components shorter than this in total are dropped (slivers a vehicle could only shuttle on). */
  minComponentLengthM?: number;
}

/**
 * 10 m rather than the ~50 m a quick check would use: vehicles report a position every second
 * (up to ~25 m apart), and a coarse check can let a link clip a small cove between two samples.
 */
const DEFAULT_LAND_SAMPLE_SPACING_M = 10;
const DEFAULT_MIN_BORDER_RUN_M = 150;
const DEFAULT_MIN_COMPONENT_LENGTH_M = 1_000;
/** Along a shared border, the positions tried for the crossing point, best (the middle) first. */
const CROSSING_FRACTIONS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
/** Coordinates are rounded to 5 decimals upstream; this scale makes them exact integers. */
const COORD_SCALE = 1e5;
/** Packs an integer latitude (< 1e8 at this scale) next to the integer longitude in one key. */
const VERTEX_KEY_LAT_SPAN = 1e8;
/** Packs two vertex ids (< 1e7 here) into one edge key. */
const EDGE_KEY_SPAN = 1e7;
/** Where (as fractions of its height) an isolated dong gets local roads from its hub. */
const LOCAL_ROAD_FRACTIONS = [0.15, 0.35, 0.65, 0.85];

let shared: RoadNetwork | undefined;

/**
 * The network with default options, built once per process: the simulator and the alert inbox's
 * place lookup both need it, and building it takes about half a second.
 */
export function sharedRoadNetwork(): RoadNetwork {
  shared ??= loadRoadNetwork();
  return shared;
}

/** Reads `resources/map/dongs.geojson` and builds the network from it. */
export function loadRoadNetwork(options?: RoadNetworkOptions): RoadNetwork {
  return buildRoadNetwork(loadBusanDongs(), options);
}

export function buildRoadNetwork(
  collection: DongCollection,
  options: RoadNetworkOptions = {},
): RoadNetwork {
  const sampleSpacingM = options.landSampleSpacingM ?? DEFAULT_LAND_SAMPLE_SPACING_M;
  const minBorderRunM = options.minBorderRunM ?? DEFAULT_MIN_BORDER_RUN_M;
  const minComponentLengthM = options.minComponentLengthM ?? DEFAULT_MIN_COMPONENT_LENGTH_M;

  const land = buildDongIndex(collection);
  const { dongs, polygons, dongPolygons } = land;
  const inDong = (dong: number, x: number, y: number): boolean => {
    for (const p of dongPolygons[dong] ?? []) {
      const poly = polygons[p];
      if (poly && pointInFlatPolygon(poly, x, y)) return true;
    }
    return false;
  };

  // Neighbours share exact vertices (the data came from TopoJSON arcs), so an edge of a ring that
  // appears in two dongs is a piece of their common border.
  const vertexIds = new Map<number, number>();
  const vertexX: number[] = [];
  const vertexY: number[] = [];
  const vertexId = (x: number, y: number): number => {
    const key = Math.round(x * COORD_SCALE) * VERTEX_KEY_LAT_SPAN + Math.round(y * COORD_SCALE);
    let id = vertexIds.get(key);
    if (id === undefined) {
      id = vertexX.length;
      vertexIds.set(key, id);
      vertexX.push(x);
      vertexY.push(y);
    }
    return id;
  };
  const edgeDongs = new Map<number, number[]>();
  polygons.forEach((poly) => {
    for (const ring of poly.rings) {
      const n = ring.length / 2;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        const u = vertexId(ring[2 * i]!, ring[2 * i + 1]!);
        const v = vertexId(ring[2 * j]!, ring[2 * j + 1]!);
        if (u === v) continue;
        const key = Math.min(u, v) * EDGE_KEY_SPAN + Math.max(u, v);
        const list = edgeDongs.get(key);
        if (!list) edgeDongs.set(key, [poly.dong]);
        else if (!list.includes(poly.dong)) list.push(poly.dong);
      }
    }
  });
  const pairEdges = new Map<number, Array<[number, number]>>();
  for (const [key, list] of edgeDongs) {
    if (list.length < 2) continue;
    const u = Math.floor(key / EDGE_KEY_SPAN);
    const v = key % EDGE_KEY_SPAN;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = Math.min(list[i]!, list[j]!);
        const b = Math.max(list[i]!, list[j]!);
        const pairKey = a * EDGE_KEY_SPAN + b;
        const edges = pairEdges.get(pairKey);
        if (edges) edges.push([u, v]);
        else pairEdges.set(pairKey, [[u, v]]);
      }
    }
  }

  // Hubs: a point on the surface of each dong's largest polygon.
  const hubX: number[] = [];
  const hubY: number[] = [];
  dongPolygons.forEach((parts, dong) => {
    const largest = largestPolygon(parts.map((p) => polygons[p]!));
    const [x, y] = largest ? interiorPoint(largest) : [NaN, NaN];
    hubX[dong] = x;
    hubY[dong] = y;
  });

  const linkOnLand = (x0: number, y0: number, x1: number, y1: number, a: number, b: number) => {
    const steps = Math.max(2, Math.ceil(haversineM(x0, y0, x1, y1) / sampleSpacingM));
    // The ends are a hub (inside by construction) and a border point (on the boundary).
    for (let k = 1; k < steps; k++) {
      const t = k / steps;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      if (!inDong(a, x, y) && !inDong(b, x, y)) return false;
    }
    return true;
  };

  // Raw graph: hubs are nodes 0..dongs-1, crossings are appended.
  const rawX: number[] = [...hubX];
  const rawY: number[] = [...hubY];
  const rawKind: RoadNodeKind[] = dongs.map(() => 'dong');
  const rawDong: number[] = dongs.map((_, i) => i);
  const rawOther: number[] = dongs.map(() => -1);
  const rawEdges: Array<[number, number]> = [];
  const sortedPairs = [...pairEdges.keys()].sort((p, q) => p - q);
  for (const pairKey of sortedPairs) {
    const a = Math.floor(pairKey / EDGE_KEY_SPAN);
    const b = pairKey % EDGE_KEY_SPAN;
    const runs = borderRuns(pairEdges.get(pairKey) ?? [], vertexX, vertexY);
    const longest = runs.reduce((m, r) => Math.max(m, r.lengthM), 0);
    for (const run of runs) {
      if (run.lengthM < minBorderRunM && run.lengthM < longest) continue;
      for (const fraction of CROSSING_FRACTIONS) {
        const [x, y] = pointAlong(run, fraction);
        const ax = hubX[a]!;
        const ay = hubY[a]!;
        const bx = hubX[b]!;
        const by = hubY[b]!;
        if (!linkOnLand(ax, ay, x, y, a, b) || !linkOnLand(bx, by, x, y, a, b)) continue;
        const node = rawX.length;
        rawX.push(x);
        rawY.push(y);
        rawKind.push('border');
        rawDong.push(a);
        rawOther.push(b);
        rawEdges.push([a, node], [b, node]);
        break;
      }
    }
  }

  // A dong with no land link to a neighbour (an island of its own, such as Gadeokdo) still has
  // roads: a few local ones from its hub across its largest polygon, so traffic lives there too.
  const linked = new Set(rawEdges.flat());
  dongPolygons.forEach((parts, dong) => {
    if (linked.has(dong)) return;
    const largest = largestPolygon(parts.map((p) => polygons[p]!));
    if (!largest) return;
    for (const fraction of LOCAL_ROAD_FRACTIONS) {
      const [x, y] = widestSpanMiddle(largest, fraction);
      if (!Number.isFinite(x) || !linkOnLand(hubX[dong]!, hubY[dong]!, x, y, dong, dong)) continue;
      if (!inDong(dong, x, y)) continue;
      const node = rawX.length;
      rawX.push(x);
      rawY.push(y);
      rawKind.push('local');
      rawDong.push(dong);
      rawOther.push(-1);
      rawEdges.push([dong, node]);
    }
  });

  // Components over the raw graph; keep those long enough to drive on.
  const rawAdj: number[][] = rawX.map(() => []);
  const rawLen = rawEdges.map(([u, v]) => haversineM(rawX[u]!, rawY[u]!, rawX[v]!, rawY[v]!));
  rawEdges.forEach(([u, v], e) => {
    rawAdj[u]!.push(e);
    rawAdj[v]!.push(e);
  });
  const rawComponent = new Int32Array(rawX.length).fill(-1);
  const componentLength: number[] = [];
  for (let start = 0; start < rawX.length; start++) {
    if (rawComponent[start] !== -1) continue;
    const id = componentLength.length;
    let length = 0;
    const stack = [start];
    rawComponent[start] = id;
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (const e of rawAdj[n]!) {
        const [u, v] = rawEdges[e]!;
        const other = u === n ? v : u;
        if (u === n) length += rawLen[e]!; // count each edge once, from its first end
        if (rawComponent[other] === -1) {
          rawComponent[other] = id;
          stack.push(other);
        }
      }
    }
    componentLength.push(length);
  }
  const keptComponents = componentLength
    .map((lengthM, id) => ({ id, lengthM }))
    .filter((c) => c.lengthM >= minComponentLengthM && c.lengthM > 0)
    .sort((p, q) => q.lengthM - p.lengthM || p.id - q.id);
  const componentRank = new Map(keptComponents.map((c, rank) => [c.id, rank]));

  const nodes: RoadNode[] = [];
  const newId = new Int32Array(rawX.length).fill(-1);
  for (let i = 0; i < rawX.length; i++) {
    const rank = componentRank.get(rawComponent[i]!);
    if (rank === undefined) continue;
    newId[i] = nodes.length;
    const other = rawOther[i]!;
    nodes.push({
      id: nodes.length,
      lon: rawX[i]!,
      lat: rawY[i]!,
      kind: rawKind[i]!,
      dongCode: dongs[rawDong[i]!]!.code,
      neighbourDongCode: other >= 0 ? dongs[other]!.code : null,
      component: rank,
    });
  }
  const edges: RoadEdge[] = [];
  const adjacency: RoadAdjacency[][] = nodes.map(() => []);
  rawEdges.forEach(([u, v], e) => {
    const a = newId[u]!;
    const b = newId[v]!;
    if (a < 0 || b < 0) return;
    const lengthM = rawLen[e]!;
    const id = edges.length;
    edges.push({ id, a, b, lengthM });
    adjacency[a]!.push({ to: b, edge: id, lengthM });
    adjacency[b]!.push({ to: a, edge: id, lengthM });
  });

  const components: RoadComponent[] = keptComponents.map((c, rank) => ({
    id: rank,
    nodeCount: 0,
    edgeCount: 0,
    lengthM: c.lengthM,
    dongCodes: [],
  }));
  for (const node of nodes) {
    const c = components[node.component]!;
    c.nodeCount++;
    if (node.kind === 'dong') c.dongCodes.push(node.dongCode);
  }
  for (const edge of edges) components[nodes[edge.a]!.component]!.edgeCount++;

  return {
    nodes,
    edges,
    adjacency,
    components,
    dongs,
    bbox: land.bbox,
    totalLengthM: edges.reduce((s, e) => s + e.lengthM, 0),
    isOnLand: land.isOnLand,
    dongAt: land.dongAt,
  };
}

function largestPolygon(parts: FlatPolygon[]): FlatPolygon | undefined {
  let largest: FlatPolygon | undefined;
  for (const poly of parts) if (!largest || poly.area > largest.area) largest = poly;
  return largest;
}

/**
 * A point inside the polygon: turf's pointOnFeature, which falls back to a boundary vertex when
 * the bbox centre is outside a concave shape. A boundary vertex may sit on the coast, so then the
 * middle of the widest interior span of a horizontal scan line is used instead.
 */
function interiorPoint(poly: FlatPolygon): [number, number] {
  const turfPoint = pointOnFeature(turfPolygon(poly.coordinates)).geometry.coordinates;
  const [tx = NaN, ty = NaN] = turfPoint;
  if (!isPolygonVertex(poly, tx, ty) && pointInFlatPolygon(poly, tx, ty)) return [tx, ty];
  return scanLinePoint(poly);
}

function isPolygonVertex(poly: FlatPolygon, x: number, y: number): boolean {
  for (const ring of poly.rings) {
    for (let i = 0; i < ring.length; i += 2) if (ring[i] === x && ring[i + 1] === y) return true;
  }
  return false;
}

const SCAN_LINES = 16;
const SCAN_LINE_NUDGE = 1e-4;

/** The middle of the widest interior span over a set of horizontal scan lines. */
function scanLinePoint(poly: FlatPolygon): [number, number] {
  let best: [number, number] = [(poly.minX + poly.maxX) / 2, (poly.minY + poly.maxY) / 2];
  let bestWidth = -1;
  for (let s = 1; s < SCAN_LINES; s++) {
    const [x, y, width] = widestSpan(poly, s / SCAN_LINES);
    if (width > bestWidth) {
      bestWidth = width;
      best = [x, y];
    }
  }
  return best;
}

function widestSpanMiddle(poly: FlatPolygon, fraction: number): [number, number] {
  const [x, y, width] = widestSpan(poly, fraction);
  return width > 0 ? [x, y] : [NaN, NaN];
}

/**
 * On the horizontal line at `fraction` of the polygon's height: the middle and width of the
 * widest stretch inside it, as [x, y, width] (width -1 when the line misses the polygon).
 */
function widestSpan(poly: FlatPolygon, fraction: number): [number, number, number] {
  // Nudging the line by a hundredth of a step keeps it off the (rounded) vertices.
  const y = poly.minY + (poly.maxY - poly.minY) * (fraction + SCAN_LINE_NUDGE);
  const crossings: number[] = [];
  for (const ring of poly.rings) {
    const n = ring.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = ring[2 * i]!;
      const yi = ring[2 * i + 1]!;
      const xj = ring[2 * j]!;
      const yj = ring[2 * j + 1]!;
      if (yi > y !== yj > y) crossings.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
  }
  crossings.sort((p, q) => p - q);
  let best: [number, number, number] = [NaN, y, -1];
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const width = crossings[k + 1]! - crossings[k]!;
    if (width > best[2]) best = [(crossings[k]! + crossings[k + 1]!) / 2, y, width];
  }
  return best;
}

interface BorderRun {
  xs: number[];
  ys: number[];
  /** Cumulative length in metres at each vertex. */
  cumulative: number[];
  lengthM: number;
}

/** Joins the shared edges of two dongs into chains (a border may come in several pieces). */
function borderRuns(edges: Array<[number, number]>, vx: number[], vy: number[]): BorderRun[] {
  const adjacent = new Map<number, number[]>();
  for (const [u, v] of edges) {
    (adjacent.get(u) ?? adjacent.set(u, []).get(u)!).push(v);
    (adjacent.get(v) ?? adjacent.set(v, []).get(v)!).push(u);
  }
  const used = new Set<number>();
  const edgeKey = (u: number, v: number) => Math.min(u, v) * EDGE_KEY_SPAN + Math.max(u, v);
  const runs: BorderRun[] = [];
  // Start at chain ends first so open chains are walked whole; what is left are closed loops.
  const starts = [...adjacent.keys()].sort(
    (p, q) =>
      (adjacent.get(p)!.length === 1 ? 0 : 1) - (adjacent.get(q)!.length === 1 ? 0 : 1) || p - q,
  );
  for (const start of starts) {
    for (const first of adjacent.get(start)!) {
      if (used.has(edgeKey(start, first))) continue;
      const chain = [start];
      let cur = first;
      used.add(edgeKey(start, first));
      for (;;) {
        chain.push(cur);
        const next = adjacent.get(cur)!.find((w) => !used.has(edgeKey(cur, w)));
        // Stop at junctions (three dongs meet) as well as at the chain's end.
        if (next === undefined || adjacent.get(cur)!.length !== 2) break;
        used.add(edgeKey(cur, next));
        cur = next;
      }
      const xs = chain.map((v) => vx[v]!);
      const ys = chain.map((v) => vy[v]!);
      const cumulative = [0];
      for (let i = 1; i < chain.length; i++) {
        cumulative.push(cumulative[i - 1]! + haversineM(xs[i - 1]!, ys[i - 1]!, xs[i]!, ys[i]!));
      }
      runs.push({ xs, ys, cumulative, lengthM: cumulative[cumulative.length - 1]! });
    }
  }
  return runs;
}

function pointAlong(run: BorderRun, fraction: number): [number, number] {
  const target = run.lengthM * fraction;
  for (let i = 1; i < run.cumulative.length; i++) {
    const end = run.cumulative[i]!;
    if (end >= target) {
      const startAt = run.cumulative[i - 1]!;
      const t = end > startAt ? (target - startAt) / (end - startAt) : 0;
      return [
        run.xs[i - 1]! + (run.xs[i]! - run.xs[i - 1]!) * t,
        run.ys[i - 1]! + (run.ys[i]! - run.ys[i - 1]!) * t,
      ];
    }
  }
  return [run.xs[run.xs.length - 1]!, run.ys[run.ys.length - 1]!];
}
