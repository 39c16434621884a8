/**
 * The Redis adapter (REDIS_URL set: many relays). Decorates `redisLink` (null without REDIS_URL)
 * and `socketAdapter`, the Socket.IO Redis Streams adapter the socket plugin installs: changes and
 * control traffic (user disconnects) cross relays through it; position frames, vehicle tables and
 * health never do (the socket plugin sends those with `io.local`). Closes every client on close.
 * Without REDIS_URL nothing here runs: the embedded default needs no Redis.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import fp from 'fastify-plugin';
import { RedisLink } from '../cluster/redis-link';

declare module 'fastify' {
  interface FastifyInstance {
    /** The link to Redis; null on a relay without REDIS_URL. */
    redisLink: RedisLink | null;
    /** The Socket.IO adapter that crosses relays; null on a relay without REDIS_URL. */
    socketAdapter: ReturnType<typeof createAdapter> | null;
  }
}

/** A relay starting while Redis is away waits this long for it, then starts without it. */
const REDIS_START_WAIT_MS = 3_000;
/** Stream and channel names start with this, so they never meet another application's. */
const ADAPTER_PREFIX = 'bcr:socket.io';

export default fp(
  async (app) => {
    const url = app.config.REDIS_URL;
    if (!url) {
      app.decorate('redisLink', null);
      app.decorate('socketAdapter', null);
      return;
    }
    const link = new RedisLink(url);
    link.onChange((state) => {
      if (state.up) app.log.info('redis is back: changes cross relays again');
      else
        app.log.warn(
          { reason: state.reason },
          "redis is away: serving this relay's own clients; changes from other relays come from the store",
        );
    });
    app.addHook('onClose', async () => {
      // The socket plugin never calls io.close() (that would close the HTTP server Fastify owns),
      // so the adapter is closed here: it stops its stream readers. Closing their clients first
      // would make its poll loop retry a closed connection without pause, for ever.
      if (app.hasDecorator('io')) await app.io.of('/').adapter.close();
      await link.close();
    });
    if (!(await link.ready(REDIS_START_WAIT_MS))) {
      app.log.warn(
        { reason: link.state().reason },
        'redis does not answer yet: starting without it',
      );
    }
    app.decorate('redisLink', link);
    app.decorate(
      'socketAdapter',
      createAdapter(link.client, { streamName: ADAPTER_PREFIX, channelPrefix: ADAPTER_PREFIX }),
    );
  },
  { name: 'redis' },
);
