/**
 * `GET /api/vehicles/:carId/track?minutes=` — a vehicle's recent path from the store.
 * `GET /api/vehicles/:carId/driver` — the driver's age band and sex, which the vehicle table every
 * client gets never carries: `vehicle.driver` only (operators and up; walls and viewers 403), and
 * every read is audited (`pii.unmask`, entity `vehicle`: who read whose fields, never the values).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decimal } from '../../shared/decimal';
import type { VehicleDriver } from '../../shared/vehicles';
import { HTTP } from '../domain/outcome';
import { restCommandAdmission } from '../limits/command-limiter';
import { appendAudit } from '../store/audit-repository';
import { readTrack } from '../store/track-repository';
import { sendError } from './reply-error';

/** The fields a driver read reveals (named in its audit event). */
const DRIVER_FIELDS = ['ageBand', 'sex'] as const;

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
  // A read that writes an audit row is limited like an unmask: no unlimited path into the store.
  const admitCommand = restCommandAdmission(() => app.commandLimiter);

  app.get<{ Params: { carId: string } }>(
    '/api/vehicles/:carId/driver',
    { onRequest: app.authorize('vehicle.driver'), preHandler: admitCommand },
    async (request, reply) => {
      const params = paramsSchema.safeParse(request.params);
      if (!params.success) {
        return sendError(reply, {
          status: HTTP.badRequest,
          code: 'bad_request',
          message: params.error.issues[0]?.message ?? 'bad car id',
        });
      }
      const driver = app.fleet.driver(params.data.carId);
      if (driver === undefined) {
        return sendError(reply, {
          status: HTTP.notFound,
          code: 'not_found',
          message: `no vehicle ${params.data.carId} is known to the relay`,
        });
      }
      const user = request.user!;
      await appendAudit(app.store.db, {
        atMs: Date.now(),
        actor: user.username,
        actorRole: user.role,
        action: 'pii.unmask',
        entityType: 'vehicle',
        entityId: driver.carId,
        after: { fields: [...DRIVER_FIELDS] },
      });
      return driver satisfies VehicleDriver;
    },
  );

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
