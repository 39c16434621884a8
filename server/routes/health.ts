/** `GET /healthz` (JSON) and `GET /metrics` (Prometheus text). */
import fp from 'fastify-plugin';
import type { HealthSnapshot } from '../../shared/events';
import { describeMode } from '../config';

/** No ingested data for this long marks the relay degraded. */
export const STALE_INGEST_MS = 15_000;
const STARTED_MS = Date.now();

export const healthRoutes = fp(
  async (app) => {
    const version = process.env.npm_package_version ?? '0.1.0';
    app.decorate('health', (): HealthSnapshot => {
      const lag = app.source.lag();
      const now = Date.now();
      const last = app.fleet.lastIngestMs;
      const stale =
        last === null ? now - STARTED_MS > STALE_INGEST_MS : now - last > STALE_INGEST_MS;
      return {
        status: stale ? 'degraded' : 'ok',
        source: describeMode(app.config).source,
        store: app.store.kind,
        consumerLag: lag.total,
        lagByPartition: lag.byPartition,
        clients: app.clientCount(),
        vehicles: app.fleet.vehicleCount,
        lastIngestMs: last,
        uptimeSec: Math.round(process.uptime()),
        version,
        // Registered after this route; present once the app is built.
        ...(app.hasDecorator('tcs') ? { tcs: app.tcs.status() } : {}),
      };
    });

    app.get('/healthz', async () => app.health());

    app.get('/metrics', async (_request, reply) => {
      app.metrics.vehicles.set(app.fleet.vehicleCount);
      app.metrics.clients.set(app.clientCount());
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    });
  },
  { name: 'health', dependencies: ['fleet', 'source'] },
);
