/**
 * Plate photos: an alert's reads and each read's photo, served to the roles that may see them.
 * (In the embedded default the simulator's generated photos are written with the reads:
 * server/plate-image/simulated-photos.ts.)
 */
import fp from 'fastify-plugin';
import { platePhotoRoutes } from '../routes/plate-photos';

export default fp(
  async (app) => {
    await app.register(platePhotoRoutes);
  },
  { name: 'plate-photos', dependencies: ['fleet', 'auth', 'alerts'] },
);
