/**
 * Many relays: a relay whose change feed delivered new changes tells the others over the Socket.IO
 * Redis adapter ("the store has changes up to seq N"), and a relay behind that reads the store at
 * once instead of at its next poll. The changes themselves never travel through Redis: each relay's
 * feed reads them from the store (server/changes/change-feed.ts), so a lost or late message costs
 * only latency — the poll still finds every change, also while Redis is away.
 */
import fp from 'fastify-plugin';

/** The server-side event between relays (Socket.IO `serverSideEmit`, over Redis pub/sub). */
const CHANGES_HEAD_EVENT = 'changes:head';

/** What the relays say to each other (Socket.IO's server-side events). */
interface InterRelayEvents {
  [CHANGES_HEAD_EVENT]: (seq: number) => void;
}

export default fp(
  async (app) => {
    if (!app.socketAdapter) return;
    const io = app.io as unknown as {
      serverSideEmit<E extends keyof InterRelayEvents>(
        event: E,
        ...args: Parameters<InterRelayEvents[E]>
      ): boolean;
      on<E extends keyof InterRelayEvents>(event: E, listener: InterRelayEvents[E]): void;
    };
    const feed = app.changes;
    let announced = 0;
    let pending = false;
    // Once per turn of the event loop, however many changes were delivered in it.
    feed.onChange((change) => {
      if (change.seq <= announced || pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        const head = feed.seq;
        if (head <= announced) return;
        announced = head;
        // Redis away: the emit fails quietly; the other relays' polls find the changes.
        io.serverSideEmit(CHANGES_HEAD_EVENT, head);
      });
    });
    io.on(CHANGES_HEAD_EVENT, (seq) => {
      if (typeof seq === 'number' && seq > feed.seq) feed.nudge();
    });
  },
  { name: 'change-nudge', dependencies: ['socket.io', 'changes', 'redis'] },
);
