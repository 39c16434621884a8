/**
 * An offline tile archive supplied by the deployment (BASEMAP_TILES): one PMTiles or MBTiles file
 * that the relay serves tile by tile, so the client needs nothing but the relay. The format is
 * told by the file's first bytes, not its name.
 */
import { open } from 'node:fs/promises';
import type { BasemapTileFormat } from '../../shared/basemap';
import { openMbtilesArchive } from './mbtiles-archive';
import { openPmtilesArchive } from './pmtiles-archive';

export interface TileArchiveInfo {
  format: BasemapTileFormat;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in degrees, when the archive says. */
  bounds: [number, number, number, number] | null;
  /** The archive's own credit line, as plain text (markup removed), or null. */
  attribution: string | null;
  /** Vector layer ids (e.g. `roads`, `places` in the Protomaps schema); empty for raster tiles. */
  vectorLayers: string[];
}

export interface TileArchive {
  readonly info: TileArchiveInfo;
  /** The stored bytes of one tile (possibly gzip-compressed), or null where the archive has none. */
  getTile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

/** A file that is not a tile archive, or one this relay cannot read: the reason, for one line. */
export class TileArchiveError extends Error {
  override name = 'TileArchiveError';
}

const PMTILES_MAGIC = 'PMTiles';
const SQLITE_MAGIC = 'SQLite format 3\0';
const MAGIC_BYTES = SQLITE_MAGIC.length;

export async function openTileArchive(path: string): Promise<TileArchive> {
  let head: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      head = Buffer.alloc(MAGIC_BYTES);
      await file.read(head, 0, MAGIC_BYTES, 0);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new TileArchiveError(`cannot be read: ${(error as Error).message}`);
  }
  const text = head.toString('latin1');
  if (text.startsWith(PMTILES_MAGIC)) return openPmtilesArchive(path);
  if (text === SQLITE_MAGIC) return openMbtilesArchive(path);
  throw new TileArchiveError('is neither a PMTiles nor an MBTiles archive');
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Whether stored tile bytes are gzip-compressed (MBTiles vector tiles usually are). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** An archive's credit as text: markup (often `<a href=…>© OpenStreetMap</a>`) is dropped. */
export function plainAttribution(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    .replace(/<[^>]*>/g, '')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** Vector layer ids from TileJSON-like metadata (`vector_layers: [{id}]`). */
export function vectorLayerIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((layer) => (layer as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string');
}

/** Layers every Protomaps basemap archive has; the street style is written for them. */
export const PROTOMAPS_LAYERS = ['earth', 'roads'] as const;

/**
 * Why a vector archive cannot be drawn with the Protomaps street style, or null when it can
 * (an archive that lists no layers is given the benefit of the doubt).
 */
export function schemaProblem(info: TileArchiveInfo): string | null {
  if (info.format !== 'pbf' || info.vectorLayers.length === 0) return null;
  const missing = PROTOMAPS_LAYERS.filter((id) => !info.vectorLayers.includes(id));
  if (missing.length === 0) return null;
  return (
    `holds vector layers (${info.vectorLayers.slice(0, 6).join(', ')}) that are not the ` +
    `Protomaps basemap schema (no ${missing.join(', ')}): use an archive built for it, or ` +
    'BASEMAP_STYLE with a style of your own'
  );
}
