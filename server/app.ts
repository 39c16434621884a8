/**
 * The relay as a Fastify app: composes the adapters (store, fleet/ingest, source, socket.io) and
 * the routes. `server.ts` owns the process; tests build the whole app with `buildApp`.
 */
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { Config } from './config';
import { createMetrics } from './metrics';
import databasePlugin from './plugins/database';
import fleetPlugin from './plugins/fleet';
import realtimePlugin from './plugins/realtime';
import kafkaSourcePlugin from './plugins/kafka-source';
import simSourcePlugin from './plugins/sim-source';
import { clientRoutes } from './routes/client';
import { healthRoutes } from './routes/health';
import { vehicleRoutes } from './routes/vehicles';
import './types';

export async function buildApp(
  config: Config,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    // Per-request logs would drown the ingest and socket logs that matter in a control room.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.decorate('config', config);
  app.decorate('metrics', createMetrics());
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) app.log.error({ err: error }, 'request failed');
    void reply.code(status).send({
      error: {
        code: error.code ?? (status >= 500 ? 'internal_error' : 'bad_request'),
        message: status >= 500 ? 'internal error' : error.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({
        error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` },
      });
  });

  await app.register(databasePlugin);
  await app.register(fleetPlugin);
  await app.register(config.KAFKA_BROKERS ? kafkaSourcePlugin : simSourcePlugin);
  await app.register(healthRoutes);
  await app.register(realtimePlugin);
  await app.register(vehicleRoutes);
  await app.register(clientRoutes);
  return app;
}
