/** The store adapter: opens MariaDB or SQLite, migrates, and closes the pool on shutdown. */
import fp from 'fastify-plugin';
import { openStore } from '../store/database';

export default fp(
  async (app) => {
    const store = await openStore({
      databaseUrl: app.config.DATABASE_URL,
      sqlitePath: app.config.SQLITE_PATH,
    });
    app.log.info({ store: store.kind, location: store.location }, 'store ready');
    app.decorate('store', store);
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'database' },
);
