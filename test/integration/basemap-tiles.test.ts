/**
 * Streets from the deployment's own archive (BASEMAP_TILES): the relay serves a generated MBTiles
 * and a generated PMTiles tile by tile, with the roads' Korean names inside, says what the client
 * should draw at /api/basemap, and refuses to start on a file it cannot read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { BasemapConfig } from '../../shared/basemap';
import {
  buildTestTiles,
  TEST_MAX_ZOOM,
  TEST_MIN_ZOOM,
  TEST_ROADS,
  writeMbtiles,
  writePmtiles,
} from './basemap-archive-builder';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let mbtiles: string;
let pmtiles: string;

/** The XYZ tile at zoom `z` holding a point. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n),
  ];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'basemap-'));
  const tiles = buildTestTiles();
  mbtiles = join(dir, 'streets.mbtiles');
  pmtiles = join(dir, 'streets.pmtiles');
  writeMbtiles(mbtiles, tiles);
  writePmtiles(pmtiles, tiles);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function relayWith(env: Record<string, string>): Promise<FastifyInstance> {
  return buildApp(
    loadConfig({
      PORT: '0',
      SQLITE_PATH: join(dir, `store-${Math.random().toString(36).slice(2)}.sqlite`),
      SIM_VEHICLES: '0',
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
}

describe.each([
  ['MBTiles', () => mbtiles],
  ['PMTiles', () => pmtiles],
])('BASEMAP_TILES with %s', (_kind, archivePath) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await relayWith({ BASEMAP_TILES: archivePath() });
  });
  afterAll(async () => app?.close());

  it('tells the client to draw the served tiles, with the archive credit as text', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/basemap' });
    expect(response.statusCode).toBe(200);
    const config = response.json<BasemapConfig>();
    expect(config).toMatchObject({
      kind: 'tiles',
      tiles: '/tiles/{z}/{x}/{y}.pbf',
      format: 'pbf',
      minZoom: TEST_MIN_ZOOM,
      maxZoom: TEST_MAX_ZOOM,
      attribution: '© 시험 도로 데이터',
    });
  });

  it('serves the tile under a road with the road and its Korean name in it', async () => {
    const road = TEST_ROADS[0]!;
    const [x, y] = tileAt(road.line[0][0], (road.line[0][1] + road.line[1][1]) / 2, TEST_MAX_ZOOM);
    const response = await app.inject({
      method: 'GET',
      url: `/tiles/${TEST_MAX_ZOOM}/${x}/${y}.pbf`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-protobuf');
    // MBTiles keeps tiles gzipped (sent as such, the browser unpacks them); pmtiles unpacks them.
    const gzipped = response.headers['content-encoding'] === 'gzip';
    const bytes = gzipped ? gunzipSync(response.rawPayload) : response.rawPayload;
    const tile = new VectorTile(new PbfReader(bytes));
    const roads = tile.layers.roads!;
    const names = Array.from({ length: roads.length }, (_, i) => roads.feature(i).properties.name);
    expect(names).toContain(road.name);
    expect(tile.layers.earth?.length).toBe(1);
  });

  it('answers 204 where the archive has no tile and 400 for a malformed address', async () => {
    const outside = await app.inject({ method: 'GET', url: '/tiles/14/0/0.pbf' });
    expect(outside.statusCode).toBe(204);
    const beyond = await app.inject({ method: 'GET', url: '/tiles/3/9/1.pbf' });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error.message).toContain('within the zoom level');
    const junk = await app.inject({ method: 'GET', url: '/tiles/14/1/abc.pbf' });
    expect(junk.statusCode).toBe(400);
  });
});

describe('no street data', () => {
  it('says there is none and serves no tiles', async () => {
    const app = await relayWith({});
    try {
      expect((await app.inject({ method: 'GET', url: '/api/basemap' })).json()).toEqual({
        kind: 'none',
        attribution: null,
      });
      expect((await app.inject({ method: 'GET', url: '/tiles/14/1/1.pbf' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('passes a deployment style URL and its credit on', async () => {
    const app = await relayWith({
      BASEMAP_STYLE: 'https://tiles.example.test/styles/busan.json',
      BASEMAP_ATTRIBUTION: '© 부산시 도로망',
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/basemap' })).json()).toEqual({
        kind: 'style',
        style: 'https://tiles.example.test/styles/busan.json',
        attribution: '© 부산시 도로망',
      });
    } finally {
      await app.close();
    }
  });
});

describe('a street archive the relay cannot use stops the start', () => {
  function start(env: Record<string, string>) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', SQLITE_PATH: join(dir, 'x.sqlite'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it.each([
    ['a missing file', () => join(dir, 'nowhere.pmtiles'), 'must name an existing file'],
    [
      'a file that is no archive',
      () => {
        const path = join(dir, 'notes.mbtiles');
        writeFileSync(path, 'these are not tiles');
        return path;
      },
      'is neither a PMTiles nor an MBTiles archive',
    ],
  ])('%s: one line naming BASEMAP_TILES', (_case, path, reason) => {
    const result = start({ BASEMAP_TILES: path() });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: BASEMAP_TILES /);
    expect(lines[0]).toContain(reason);
    expect(result.stdout).not.toContain('RELAY_READY');
  });
});
