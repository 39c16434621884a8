/**
 * `GET /api/fleet/at?t=<epoch ms>`: every vehicle where it was at that moment, as one key frame in
 * the live `positions` format (binary, shared/frames.ts), for the client's time bar, scripts and
 * tests. `GET /api/fleet/replay-range`: the moments that can be asked for. Reading where vehicles
 * were is the permission to read their tracks (`vehicle.track`).
 */
import type { FastifyInstance } from 'fastify';
import {
  FLEET_AT_PATH,
  FRAME_CONTENT_TYPE,
  REPLAY_RANGE_PATH,
  fleetAtQuerySchema,
  type ReplayRange,
} from '../../shared/replay';

/** The moment the frame is exact for (its newest folded frame), for scripts that check it. */
export const AS_OF_HEADER = 'x-frame-as-of';

export async function fleetAtRoutes(app: FastifyInstance): Promise<void> {
  app.get(FLEET_AT_PATH, { onRequest: app.authorize('vehicle.track') }, async (request, reply) => {
    const query = fleetAtQuerySchema.safeParse(request.query);
    if (!query.success) {
      const message = query.error.issues[0]?.message ?? 'bad request';
      return reply.code(400).send({ error: { code: 'bad_request', message } });
    }
    const result = await app.replay.service.frameAt(query.data.t, Date.now());
    if (!result.ok) {
      return reply
        .code(result.status)
        .send({ error: { code: result.code, message: result.message } });
    }
    return reply
      .header('content-type', FRAME_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .header(AS_OF_HEADER, String(result.asOfMs))
      .send(Buffer.from(result.frame.buffer, result.frame.byteOffset, result.frame.byteLength));
  });

  app.get(REPLAY_RANGE_PATH, { onRequest: app.authorize('vehicle.track') }, async () => {
    const range = await app.replay.range();
    const body: ReplayRange = {
      ...range,
      retentionMs: app.replay.retentionMs,
      serverNowMs: Date.now(),
    };
    return body;
  });
}
