/**
 * The change feed as a plugin (server/changes/change-feed.ts): `app.changes`. Services define their
 * entities on it and write every change through it; the socket adapter (plugin `change-realtime`)
 * catches clients up from it and sends them its stream.
 */
import fp from 'fastify-plugin';
import { ChangeFeed } from '../changes/change-feed';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one change feed: every change of every entity, in seq order (DESIGN §11). */
    changes: ChangeFeed;
  }
}

export default fp(
  async (app) => {
    const feed = new ChangeFeed({ db: app.store.db, kind: app.store.kind, log: app.log });
    app.decorate('changes', feed);
    // Started before any socket connects: what is in the store now is catch-up, not news.
    await feed.start();
    // onClose runs after every plugin's preClose: the services have stopped writing by then.
    app.addHook('onClose', async () => {
      await feed.stop();
    });
  },
  { name: 'changes', dependencies: ['database'] },
);
