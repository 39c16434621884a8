/** `GET /healthz` (JSON) and `GET /metrics` (Prometheus text). */
import { sql } from 'kysely';
import fp from 'fastify-plugin';
import type { HealthSnapshot } from '../../shared/events';
import { describeMode } from '../config';
import { StoreHealth } from '../store/store-health';

/** No ingested data for this long marks the relay degraded. */
export const STALE_INGEST_MS = 15_000;
const STARTED_MS = Date.now();
/** How often the store is probed: an outage (and its end) shows in /healthz within this. */
export const STORE_PROBE_INTERVAL_MS = 2_000;
/** A probe without an answer for this long counts as the store being down. */
const STORE_PROBE_TIMEOUT_MS = 1_500;

export const healthRoutes = fp(
  async (app) => {
    const version = process.env.npm_package_version ?? '0.1.0';
    const storeHealth = new StoreHealth({
      probe: async () => {
        await sql`select 1`.execute(app.store.db);
      },
      intervalMs: STORE_PROBE_INTERVAL_MS,
      timeoutMs: STORE_PROBE_TIMEOUT_MS,
      log: app.log,
    });
    app.decorate('storeHealth', storeHealth);
    app.addHook('onReady', async () => storeHealth.start());
    app.addHook('onClose', async () => storeHealth.stop());
    app.decorate('health', (): HealthSnapshot => {
      const lag = app.source.lag();
      const now = Date.now();
      const last = app.fleet.lastIngestMs;
      // The feed's own cadence decides when registered (server/domain/feed-cadence.ts): the
      // seed's one-minute batches are not stale between batches.
      const stale = app.hasDecorator('pipelineHealth')
        ? app.pipelineHealth.feedStale(now)
        : last === null
          ? now - STARTED_MS > STALE_INGEST_MS
          : now - last > STALE_INGEST_MS;
      const storeStatus = storeHealth.state();
      // Redis away is reported (cluster.redis) but is not `degraded`: this relay's clients still
      // get live positions and every change (from the store), and a wall must not show a stale feed.
      const redis = app.redisLink?.state() ?? null;
      return {
        status: stale || !storeStatus.up ? 'degraded' : 'ok',
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
        storeStatus,
        cluster: { instance: app.config.INSTANCE_ID, leases: app.leases.snapshot(), redis },
      };
    });

    app.get('/healthz', async () => app.health());

    // Many relays: every series names the relay it came from (one relay keeps its series as
    // they were; Prometheus names the scrape target anyway).
    if (app.config.REDIS_URL) {
      app.metrics.registry.setDefaultLabels({ instance: app.config.INSTANCE_ID });
    }
    app.get('/metrics', async (_request, reply) => {
      app.metrics.vehicles.set(app.fleet.vehicleCount);
      app.metrics.clients.set(app.clientCount());
      app.metrics.storeUp.set(storeHealth.state().up ? 1 : 0);
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    });
  },
  { name: 'health', dependencies: ['fleet', 'source', 'leases', 'redis'] },
);
