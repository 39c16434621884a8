/**
 * The relay as a Fastify app: composes the adapters (store, fleet/ingest, source, socket.io) and
 * the routes. `server.ts` owns the process; tests build the whole app with `buildApp`.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../shared/errors';
import type { Config } from './config';
import { HTTP } from './domain/outcome';
import alertsPlugin from './plugins/alerts';
import authPlugin from './plugins/auth';
import interlockPlugin from './plugins/interlock';
import registryPlugin from './registry/registry-plugin';
import changeRealtimePlugin from './plugins/change-realtime';
import changesPlugin from './plugins/changes';
import tcsPlugin from './plugins/tcs';
import { interlockRoutes } from './routes/interlock';
import { alertRoutes } from './routes/alerts';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { userRoutes } from './routes/users';
import { createMetrics } from './metrics';
import { storeUnavailableError, storeUnavailableReason } from './store/store-errors';
import databasePlugin from './plugins/database';
import changeNudgePlugin from './plugins/change-nudge';
import leasesPlugin from './plugins/leases';
import redisPlugin from './plugins/redis';
import fleetPlugin from './plugins/fleet';
import realtimePlugin from './plugins/realtime';
import replayPlugin from './plugins/replay';
import { fleetAtRoutes } from './routes/fleet-at';
import kafkaSourcePlugin from './plugins/kafka-source';
import simSourcePlugin from './plugins/sim-source';
import basemapPlugin from './plugins/basemap';
import { clientRoutes } from './routes/client';
import { healthRoutes } from './routes/health';
import { vehicleRoutes } from './routes/vehicles';
import { scenarioRoutes } from './routes/scenarios';
import './types';
import pipelineHealthPlugin from './plugins/pipeline-health';
import platePhotosPlugin from './plugins/plate-photos';
import plateDelistingsPlugin from './plugins/plate-delistings';

/** Browsers may reuse a CORS preflight answer this long (10 min, Chromium's ceiling is 2 h). */
const CORS_PREFLIGHT_CACHE_SECONDS = 600;

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
    // A database outage is not a bug in the request: 503 with the reason, logged once per outage.
    const storeDown = storeUnavailableReason(error);
    if (storeDown) {
      if (app.hasDecorator('storeHealth')) app.storeHealth.reportFailure(error);
      const refusal = storeUnavailableError(storeDown);
      void reply
        .code(refusal.status)
        .send({ error: { code: refusal.code, message: refusal.message } });
      return;
    }
    const status =
      error.statusCode && error.statusCode >= HTTP.badRequest ? error.statusCode : HTTP.internal;
    if (status >= HTTP.internal) app.log.error({ err: error }, 'request failed');
    void reply.code(status).send({
      error: {
        code: errorCode(error.code, status),
        message: status >= HTTP.internal ? 'internal error' : error.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` },
    });
  });

  await app.register(redisPlugin);
  // Pages served by a peer relay call this one after a failover (DESIGN §12): those origins only.
  // Bearer tokens, not cookies, so no credentials mode; Retry-After must be readable on a 429.
  if (config.RELAY_PEERS.length > 0) {
    await app.register(cors, {
      origin: config.RELAY_PEERS,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: ['retry-after', 'content-disposition'],
      maxAge: CORS_PREFLIGHT_CACHE_SECONDS,
    });
  }
  // Only the routes that ask for it (login) are limited; the rest are behind a token.
  await app.register(rateLimit, {
    global: false,
    // Many relays: one count per client address across all of them. Redis away: not limited
    // rather than refusing every login (the password check still stands).
    ...(app.redisLink
      ? { redis: app.redisLink.client, nameSpace: 'bcr:login-limit:', skipOnError: true }
      : {}),
    errorResponseBuilder: (_request, context) => ({
      statusCode: HTTP.tooManyRequests,
      code: 'rate_limited',
      message: `too many attempts: try again in ${context.after}`,
    }),
  });
  await app.register(databasePlugin);
  await app.register(changesPlugin);
  await app.register(leasesPlugin);
  await app.register(authPlugin);
  await app.register(fleetPlugin);
  await app.register(alertsPlugin);
  await app.register(interlockPlugin);
  await app.register(tcsPlugin);
  await app.register(registryPlugin);
  await app.register(platePhotosPlugin);
  await app.register(plateDelistingsPlugin);
  await app.register(config.KAFKA_BROKERS ? kafkaSourcePlugin : simSourcePlugin);
  await app.register(healthRoutes);
  await app.register(replayPlugin);
  await app.register(realtimePlugin);
  await app.register(changeRealtimePlugin);
  await app.register(changeNudgePlugin);
  await app.register(pipelineHealthPlugin);
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(alertRoutes);
  await app.register(auditRoutes);
  await app.register(interlockRoutes);
  await app.register(vehicleRoutes);
  await app.register(scenarioRoutes);
  await app.register(fleetAtRoutes);
  await app.register(basemapPlugin);
  await app.register(clientRoutes);
  return app;
}

/** Our own codes pass through; Fastify's (`FST_ERR_CTP_INVALID_JSON_BODY`…) map by status. */
function errorCode(code: string | undefined, status: number): ErrorCode {
  if (code && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  if (status >= HTTP.internal) return 'internal_error';
  if (status === HTTP.unauthorized) return 'unauthorized';
  if (status === HTTP.forbidden) return 'forbidden';
  if (status === HTTP.notFound) return 'not_found';
  if (status === HTTP.conflict) return 'conflict';
  if (status === HTTP.tooManyRequests) return 'rate_limited';
  if (status === HTTP.payloadTooLarge) return 'payload_too_large';
  return 'bad_request';
}
