/**
 * The interlock registry as a plugin: decorates `registry`, refreshes it from the interlock
 * system's tables at start and every REGISTRY_REFRESH_MINUTES, and serves its routes.
 *
 * Many relays: the scheduled refresh runs on the holder of the `interlock-overdue` lease only —
 * the relay that checks the deadlines the registry's dates feed, so it checks right after a
 * refresh on the data it just stored. A refresh is an idempotent upsert, so the one every relay
 * does at start and an admin's refresh on whichever relay took the request are harmless.
 */
import fp from 'fastify-plugin';
import { registryRoutes } from '../routes/registry';
import { RegistryService } from './registry-service';

declare module 'fastify' {
  interface FastifyInstance {
    registry: RegistryService;
  }
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export default fp(
  async (app) => {
    const config = app.config;
    const refreshIntervalMs = config.REGISTRY_REFRESH_MINUTES * MS_PER_MINUTE;
    const service = new RegistryService({
      db: app.store.db,
      kind: app.store.kind,
      policy: {
        repeatCount: config.MONITORING_REPEAT_COUNT,
        windowMs: config.MONITORING_WINDOW_DAYS * MS_PER_DAY,
        noticeDays: config.CALIBRATION_NOTICE_DAYS,
        recalibrationDueDays: config.RECALIBRATION_DUE_DAYS,
      },
      refreshIntervalMs,
      warn: (details, message) => app.log.warn(details, message),
    });
    app.decorate('registry', service);

    let timer: NodeJS.Timeout | undefined;
    let running: Promise<unknown> = Promise.resolve();
    const refreshThenCheck = async (trigger: 'start' | 'schedule') => {
      const result = await service.refresh(trigger);
      if (result.ok) await app.interlock.checkOverdue();
    };
    app.addHook('onReady', async () => {
      await refreshThenCheck('start');
      timer = setInterval(() => {
        if (!app.leases.holds('interlock-overdue')) return;
        running = refreshThenCheck('schedule').catch((error: unknown) =>
          app.log.error({ err: error }, 'registry refresh failed'),
        );
      }, refreshIntervalMs);
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await running;
    });
    await app.register(registryRoutes);
  },
  { name: 'registry', dependencies: ['database', 'leases', 'interlock', 'auth'] },
);
