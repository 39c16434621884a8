/** The store adapter: opens MariaDB or SQLite, migrates, and closes the pool on shutdown. */
import fp from 'fastify-plugin';
import { openStore } from '../store/database';
import { databaseSslOptions } from '../transport-security';

export default fp(
  async (app) => {
    const store = await openStore({
      databaseUrl: app.config.DATABASE_URL,
      sqlitePath: app.config.SQLITE_PATH,
      databaseSsl: databaseSslOptions(app.config),
    });
    app.log.info({ store: store.kind, location: store.location, tls: store.tls }, 'store ready');
    app.decorate('store', store);
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'database' },
);
