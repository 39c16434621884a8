/**
 * Work that must happen once among many relays runs under a lease (server/cluster/leases.ts):
 * decorates `leases`, which the TCS, alert and interlock plugins ask before their timers do work.
 * With SQLite (the embedded relay, always alone) every lease is held and nothing is stored. Gives
 * the leases back on close, so a rolling restart moves the work at once.
 */
import fp from 'fastify-plugin';
import { LeaseManager, sqlLeaseStore } from '../cluster/leases';

declare module 'fastify' {
  interface FastifyInstance {
    /** Which once-only work this relay does now. */
    leases: LeaseManager;
  }
}

export default fp(
  async (app) => {
    const leases = new LeaseManager({
      holder: app.config.INSTANCE_ID,
      store: app.store.kind === 'mariadb' ? sqlLeaseStore(app.store.db) : null,
      log: app.log,
    });
    app.decorate('leases', leases);
    // Before the plugins' own onReady hooks start their timers, so the first tick already knows.
    app.addHook('onReady', async () => {
      await leases.start();
      app.log.info({ instance: leases.holder, leases: leases.snapshot() }, 'leases');
    });
    // onClose runs after every preClose: the work has stopped before its lease is given back.
    app.addHook('onClose', async () => leases.stop());
  },
  { name: 'leases', dependencies: ['database'] },
);
