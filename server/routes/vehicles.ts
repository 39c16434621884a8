/** `GET /api/vehicles/:carId/track?minutes=` — a vehicle's recent path from the store. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decimal } from '../../shared/decimal';
import { readTrack } from '../store/track-repository';

const DEFAULT_TRACK_MINUTES = 30;
const MAX_TRACK_MINUTES = 24 * 60;

const paramsSchema = z.object({ carId: z.string().min(1).max(255) });
const querySchema = z.object({
  minutes: decimal(
    z
      .number('minutes must be a whole number in decimal digits')
      .int('minutes must be a whole number')
      .min(1, 'minutes must be at least 1')
      .max(MAX_TRACK_MINUTES, `minutes must be at most ${MAX_TRACK_MINUTES}`)
      .default(DEFAULT_TRACK_MINUTES),
  ),
});

export async function vehicleRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/vehicles/:carId/track',
    { onRequest: app.authorize('vehicle.track') },
    async (request, reply) => {
      const params = paramsSchema.safeParse(request.params);
      const query = querySchema.safeParse(request.query);
      if (!params.success || !query.success) {
        const issue = (params.error ?? query.error)!.issues[0];
        return reply
          .code(400)
          .send({ error: { code: 'bad_request', message: issue?.message ?? 'bad request' } });
      }
      const sinceMs = Date.now() - query.data.minutes * 60_000;
      const points = await readTrack(app.store.db, params.data.carId, sinceMs);
      return { carId: params.data.carId, minutes: query.data.minutes, points };
    },
  );
}
