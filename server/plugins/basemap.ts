/**
 * The deployment's streets (DESIGN §13): with BASEMAP_TILES the relay opens the archive at start
 * and serves its tiles; an archive it cannot read stops the start with one line naming the
 * variable. With BASEMAP_STYLE it only tells the client where the style is.
 */
import fp from 'fastify-plugin';
import { ConfigError } from '../config';
import {
  openTileArchive,
  schemaProblem,
  TileArchiveError,
  type TileArchive,
} from '../basemap/tile-archive';
import { basemapRoutes } from '../routes/basemap';

declare module 'fastify' {
  interface FastifyInstance {
    /** The street archive (BASEMAP_TILES), or null when the deployment supplies none. */
    basemapArchive: TileArchive | null;
  }
}

export default fp(
  async (app) => {
    let archive: TileArchive | null = null;
    const path = app.config.BASEMAP_TILES;
    if (path) {
      try {
        archive = await openTileArchive(path);
      } catch (error) {
        if (error instanceof TileArchiveError)
          throw new ConfigError('BASEMAP_TILES', error.message);
        throw error;
      }
      const problem = schemaProblem(archive.info);
      if (problem) {
        await archive.close();
        throw new ConfigError('BASEMAP_TILES', problem);
      }
      app.log.info({ path, ...archive.info }, 'street tiles served from the archive');
      app.addHook('onClose', async () => archive?.close());
    }
    app.decorate('basemapArchive', archive);
    await app.register(basemapRoutes);
  },
  { name: 'basemap' },
);
