/**
 * Builds small street archives for tests: generated road lines with Korean names over central
 * Busan in the Protomaps basemap schema (`earth`, `roads`), cut into vector tiles with geojson-vt
 * and written as MBTiles (better-sqlite3) or PMTiles v3 (the spec's layout, written here: the
 * `pmtiles` package only reads). No street data of the real city is involved.
 */
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { zxyToTileId } from 'pmtiles';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';

export interface TestRoad {
  name: string;
  nameEn: string;
  kind: 'major_road' | 'minor_road';
  /** [lon, lat] from one end to the other: straight, so a test knows every pixel it crosses. */
  line: [[number, number], [number, number]];
}

/** Around Seomyeon (부산진구): two major roads crossing and a minor one. */
export const TEST_ROADS: TestRoad[] = [
  {
    name: '시험중앙대로',
    nameEn: 'Siheom-jungang-daero',
    kind: 'major_road',
    line: [
      [129.0595, 35.145],
      [129.0595, 35.175],
    ],
  },
  {
    name: '시험가야대로',
    nameEn: 'Siheom-gaya-daero',
    kind: 'major_road',
    line: [
      [129.04, 35.1575],
      [129.08, 35.1575],
    ],
  },
  {
    name: '시험골목길',
    nameEn: 'Siheom-golmok-gil',
    kind: 'minor_road',
    line: [
      [129.045, 35.165],
      [129.075, 35.165],
    ],
  },
];

/** The archive's extent: Busan's (as the client's BUSAN_BOUNDS). */
export const TEST_BOUNDS: [number, number, number, number] = [128.76, 34.88, 129.31, 35.39];
export const TEST_ATTRIBUTION = '<a href="https://example.test/">© 시험 도로 데이터</a>';
export const TEST_MIN_ZOOM = 10;
export const TEST_MAX_ZOOM = 14;
const TILE_EXTENT = 4096;

export type TileMap = Map<string, { z: number; x: number; y: number; data: Uint8Array }>;

function tileRange(z: number): { x0: number; x1: number; y0: number; y1: number } {
  const n = 2 ** z;
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  const [w, s, e, north] = TEST_BOUNDS;
  return { x0: x(w), x1: x(e), y0: y(north), y1: y(s) };
}

/**
 * Every tile of the test area at zooms TEST_MIN_ZOOM…TEST_MAX_ZOOM, gzip-compressed MVT: the
 * TEST_ROADS and any `extraRoads` (a browser test adds the simulator's own roads, so vehicles drive
 * on drawn streets).
 */
export function buildTestTiles(extraRoads: readonly TestRoad[] = []): TileMap {
  const [w, s, e, n] = TEST_BOUNDS;
  const earth: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { kind: 'earth' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [w, s],
              [e, s],
              [e, n],
              [w, n],
              [w, s],
            ],
          ],
        },
      },
    ],
  };
  const roads: FeatureCollection<LineString> = {
    type: 'FeatureCollection',
    features: [...TEST_ROADS, ...extraRoads].map((road, id): Feature<LineString> => ({
      type: 'Feature',
      id: id + 1,
      properties: {
        kind: road.kind,
        name: road.name,
        'name:ko': road.name,
        'name:en': road.nameEn,
        // As Protomaps marks a name not in Latin script; without it the style adds the name twice.
        script: 'Hangul',
        min_zoom: road.kind === 'major_road' ? 10 : 12,
      },
      geometry: { type: 'LineString', coordinates: road.line },
    })),
  };
  const options = { maxZoom: TEST_MAX_ZOOM, indexMaxZoom: TEST_MAX_ZOOM, extent: TILE_EXTENT };
  const earthIndex = new GeoJSONVT(earth, options);
  const roadIndex = new GeoJSONVT(roads, options);
  const tiles: TileMap = new Map();
  for (let z = TEST_MIN_ZOOM; z <= TEST_MAX_ZOOM; z++) {
    const { x0, x1, y0, y1 } = tileRange(z);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const layers: Parameters<typeof fromGeojsonVt>[0] = {};
        const earthTile = earthIndex.getTile(z, x, y);
        const roadTile = roadIndex.getTile(z, x, y);
        if (earthTile) layers.earth = earthTile;
        if (roadTile) layers.roads = roadTile;
        if (!earthTile && !roadTile) continue;
        const pbf = fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT });
        tiles.set(`${z}/${x}/${y}`, { z, x, y, data: gzipSync(pbf) });
      }
    }
  }
  return tiles;
}

const VECTOR_LAYERS = [
  { id: 'earth', fields: { kind: 'String' } },
  { id: 'roads', fields: { kind: 'String', name: 'String', 'name:ko': 'String' } },
];

export function writeMbtiles(path: string, tiles: TileMap): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const meta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
  meta.run('name', 'test streets');
  meta.run('format', 'pbf');
  meta.run('minzoom', String(TEST_MIN_ZOOM));
  meta.run('maxzoom', String(TEST_MAX_ZOOM));
  meta.run('bounds', TEST_BOUNDS.join(','));
  meta.run('attribution', TEST_ATTRIBUTION);
  meta.run('json', JSON.stringify({ vector_layers: VECTOR_LAYERS }));
  const insert = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const { z, x, y, data } of tiles.values()) insert.run(z, x, 2 ** z - 1 - y, data);
  })();
  db.close();
}

function varint(value: number, out: number[]): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

const PMTILES_HEADER_BYTES = 127;
const PMTILES_COMPRESSION_NONE = 1;
const PMTILES_COMPRESSION_GZIP = 2;
const PMTILES_TILE_TYPE_MVT = 1;
const E7 = 1e7;

/** A PMTiles v3 archive: header, root directory (every tile in it), metadata, tile data. */
export function writePmtiles(path: string, tiles: TileMap): void {
  const entries = [...tiles.values()]
    .map((tile) => ({ id: zxyToTileId(tile.z, tile.x, tile.y), data: tile.data }))
    .sort((a, b) => a.id - b.id);
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    offsets.push(offset);
    offset += entry.data.length;
  }
  const dir: number[] = [];
  varint(entries.length, dir);
  let lastId = 0;
  for (const entry of entries) {
    varint(entry.id - lastId, dir);
    lastId = entry.id;
  }
  for (let i = 0; i < entries.length; i++) varint(1, dir);
  for (const entry of entries) varint(entry.data.length, dir);
  // Offsets: 0 means "right after the previous tile", else offset + 1.
  for (let i = 0; i < entries.length; i++) varint(i === 0 ? offsets[i]! + 1 : 0, dir);
  const root = Buffer.from(dir);
  const metadata = Buffer.from(
    JSON.stringify({ attribution: TEST_ATTRIBUTION, vector_layers: VECTOR_LAYERS }),
  );
  const data = Buffer.concat(entries.map((entry) => entry.data));

  const header = Buffer.alloc(PMTILES_HEADER_BYTES);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const rootOffset = PMTILES_HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const dataOffset = metadataOffset + metadata.length;
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metadataOffset, 24);
  u64(metadata.length, 32);
  u64(dataOffset + data.length, 40); // no leaf directories
  u64(0, 48);
  u64(dataOffset, 56);
  u64(data.length, 64);
  u64(entries.length, 72);
  u64(entries.length, 80);
  u64(entries.length, 88);
  header.writeUInt8(1, 96); // clustered: tiles in id order
  header.writeUInt8(PMTILES_COMPRESSION_NONE, 97);
  header.writeUInt8(PMTILES_COMPRESSION_GZIP, 98);
  header.writeUInt8(PMTILES_TILE_TYPE_MVT, 99);
  header.writeUInt8(TEST_MIN_ZOOM, 100);
  header.writeUInt8(TEST_MAX_ZOOM, 101);
  const [w, s, e, n] = TEST_BOUNDS;
  header.writeInt32LE(Math.round(w * E7), 102);
  header.writeInt32LE(Math.round(s * E7), 106);
  header.writeInt32LE(Math.round(e * E7), 110);
  header.writeInt32LE(Math.round(n * E7), 114);
  header.writeUInt8(TEST_MIN_ZOOM, 118);
  header.writeInt32LE(Math.round(((w + e) / 2) * E7), 119);
  header.writeInt32LE(Math.round(((s + n) / 2) * E7), 123);
  writeFileSync(path, Buffer.concat([header, root, metadata, data]));
}
