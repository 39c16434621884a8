/**
 * `GET /api/basemap`: what the client draws under the vehicles; `GET /tiles/{z}/{x}/{y}.{ext}`:
 * one tile of the deployment's archive.
 *
 * Both are public, like the bundled boundary files the relay serves with the client: they are
 * map data of public streets, the same for every user, and MapLibre fetches tiles in its worker
 * without the operator's token.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BASEMAP_TILE_PATH, type BasemapConfig } from '../../shared/basemap';
import { isGzip } from '../basemap/tile-archive';

/** Deeper than any basemap archive goes (Protomaps builds stop at 15; OSM's own at 19). */
const MAX_TILE_ZOOM = 24;
/** Tiles of a file that does not change while the relay runs: cached by the browser for an hour. */
const TILE_CACHE_SECONDS = 3600;

const CONTENT_TYPES = {
  pbf: 'application/x-protobuf',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
} as const;

const tileParams = z
  .object({
    z: z.coerce.number().int().min(0).max(MAX_TILE_ZOOM),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
    ext: z.enum(['pbf', 'mvt', 'png', 'jpg', 'webp']),
  })
  .refine((p) => p.x < 2 ** p.z && p.y < 2 ** p.z, 'x and y must lie within the zoom level');

export async function basemapRoutes(app: FastifyInstance): Promise<void> {
  const archive = app.basemapArchive;
  const extra = app.config.BASEMAP_ATTRIBUTION ?? null;

  const config: BasemapConfig = archive
    ? {
        kind: 'tiles',
        tiles: `${BASEMAP_TILE_PATH}/{z}/{x}/{y}.${archive.info.format}`,
        format: archive.info.format,
        minZoom: archive.info.minZoom,
        maxZoom: archive.info.maxZoom,
        bounds: archive.info.bounds,
        attribution: extra ?? archive.info.attribution,
      }
    : app.config.BASEMAP_STYLE
      ? { kind: 'style', style: app.config.BASEMAP_STYLE, attribution: extra }
      : { kind: 'none', attribution: null };

  app.get('/api/basemap', async () => config);

  // `/tiles/14/13980/6466.pbf`: the last segment carries row and extension together.
  app.get(`${BASEMAP_TILE_PATH}/:z/:x/:file`, async (request, reply) => {
    if (!archive) {
      return reply.code(404).send({
        error: { code: 'not_found', message: 'no street tiles: BASEMAP_TILES is not set' },
      });
    }
    const { z: zoom, x, file } = request.params as { z: string; x: string; file: string };
    const dot = file.lastIndexOf('.');
    const parsed = tileParams.safeParse({
      z: zoom,
      x,
      y: dot < 0 ? file : file.slice(0, dot),
      ext: dot < 0 ? '' : file.slice(dot + 1),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({
        error: {
          code: 'bad_request',
          message:
            `bad tile address: ${issue?.path.join('.') || 'tile'} ${issue?.message ?? ''}`.trim(),
        },
      });
    }
    const tile = await archive.getTile(parsed.data.z, parsed.data.x, parsed.data.y);
    reply.header('Cache-Control', `public, max-age=${TILE_CACHE_SECONDS}`);
    // No tile here (sea, or beyond the archive's area): an empty vector tile draws nothing, not
    // an error; an image tile has no empty form, so it is absent.
    if (tile === null || tile.length === 0) {
      return reply.code(archive.info.format === 'pbf' ? 204 : 404).send();
    }
    reply.type(CONTENT_TYPES[archive.info.format]);
    if (isGzip(tile)) reply.header('Content-Encoding', 'gzip');
    return reply.send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  });
}
