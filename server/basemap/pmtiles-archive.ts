/** PMTiles (one file, tiles found through its directories) read with the `pmtiles` library. */
import { open, type FileHandle } from 'node:fs/promises';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import type { BasemapTileFormat } from '../../shared/basemap';
import {
  plainAttribution,
  TileArchiveError,
  vectorLayerIds,
  type TileArchive,
  type TileArchiveInfo,
} from './tile-archive';

const FORMATS: Partial<Record<TileType, BasemapTileFormat>> = {
  [TileType.Mvt]: 'pbf',
  [TileType.Png]: 'png',
  [TileType.Jpeg]: 'jpg',
  [TileType.Webp]: 'webp',
};

/** The library's Source over a local file: the byte ranges it asks for, read from disk. */
class LocalFileSource implements Source {
  constructor(
    private readonly path: string,
    private readonly file: FileHandle,
  ) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, offset);
    const data = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead);
    return { data: data as ArrayBuffer };
  }
}

export async function openPmtilesArchive(path: string): Promise<TileArchive> {
  const file = await open(path, 'r');
  try {
    const archive = new PMTiles(new LocalFileSource(path, file));
    const header = await archive.getHeader();
    const format = FORMATS[header.tileType];
    if (!format)
      throw new TileArchiveError(`has tiles of an unsupported type (${header.tileType})`);
    const metadata = ((await archive.getMetadata()) ?? {}) as Record<string, unknown>;
    const info: TileArchiveInfo = {
      format,
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      attribution: plainAttribution(metadata.attribution),
      vectorLayers: vectorLayerIds(metadata.vector_layers),
    };
    return {
      info,
      getTile: async (z, x, y) => {
        const tile = await archive.getZxy(z, x, y);
        return tile ? new Uint8Array(tile.data) : null;
      },
      close: () => file.close(),
    };
  } catch (error) {
    await file.close();
    if (error instanceof TileArchiveError) throw error;
    throw new TileArchiveError(`is not a readable PMTiles file: ${(error as Error).message}`);
  }
}
