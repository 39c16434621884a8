/** MBTiles (an SQLite file of tiles in TMS rows) read with better-sqlite3, read-only. */
import Database from 'better-sqlite3';
import type { BasemapTileFormat } from '../../shared/basemap';
import {
  plainAttribution,
  TileArchiveError,
  vectorLayerIds,
  type TileArchive,
  type TileArchiveInfo,
} from './tile-archive';

const FORMATS: Record<string, BasemapTileFormat> = {
  pbf: 'pbf',
  mvt: 'pbf',
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  webp: 'webp',
};
const DEFAULT_MIN_ZOOM = 0;
const DEFAULT_MAX_ZOOM = 14;
const BOUNDS_NUMBERS = 4;

function parseBounds(text: string | undefined): TileArchiveInfo['bounds'] {
  const numbers = (text ?? '').split(',').map((part) => Number(part.trim()));
  if (numbers.length !== BOUNDS_NUMBERS || numbers.some((n) => !Number.isFinite(n))) return null;
  return numbers as [number, number, number, number];
}

function readJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function openMbtilesArchive(path: string): TileArchive {
  let db: Database.Database;
  let metadata: Map<string, string>;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT name, value FROM metadata').all() as {
      name: string;
      value: string;
    }[];
    metadata = new Map(rows.map((row) => [row.name, row.value]));
    // Fails here, not at the first tile request, when the file has no tiles table.
    db.prepare('SELECT 1 FROM tiles LIMIT 1').get();
  } catch (error) {
    throw new TileArchiveError(`is not a readable MBTiles file: ${(error as Error).message}`);
  }
  const formatName = (metadata.get('format') ?? 'pbf').toLowerCase();
  const format = FORMATS[formatName];
  if (!format) {
    db.close();
    throw new TileArchiveError(`has tiles of format "${formatName}" (pbf, png, jpg or webp)`);
  }
  const json = readJson(metadata.get('json'));
  const minZoom = Number(metadata.get('minzoom') ?? DEFAULT_MIN_ZOOM);
  const maxZoom = Number(metadata.get('maxzoom') ?? DEFAULT_MAX_ZOOM);
  const info: TileArchiveInfo = {
    format,
    minZoom: Number.isInteger(minZoom) ? minZoom : DEFAULT_MIN_ZOOM,
    maxZoom: Number.isInteger(maxZoom) ? maxZoom : DEFAULT_MAX_ZOOM,
    bounds: parseBounds(metadata.get('bounds')),
    attribution: plainAttribution(metadata.get('attribution')),
    vectorLayers: vectorLayerIds(json.vector_layers),
  };
  const select = db.prepare(
    'SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?',
  );
  return {
    info,
    getTile: async (z, x, y) => {
      // MBTiles rows count from the south (TMS); the web's XYZ rows count from the north.
      const tmsRow = (1 << z) - 1 - y;
      const row = select.get(z, x, tmsRow) as { tile_data: Buffer } | undefined;
      return row ? new Uint8Array(row.tile_data) : null;
    },
    close: async () => {
      db.close();
    },
  };
}
