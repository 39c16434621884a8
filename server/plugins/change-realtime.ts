/**
 * The change feed over Socket.IO: on connect a socket gets a `changes` catch-up (what it missed
 * after its handshake's `lastSeq`, or a full snapshot flagged `full`), then every `change`, each
 * masked for its role. One path for every entity (alerts, violations, hand-offs, …).
 *
 * Changes go out with `io.local`: every relay's feed reads every change from the store (whichever
 * relay committed it) and sends it to its own sockets, so nothing is sent twice across relays.
 */
import fp from 'fastify-plugin';
import type { SessionUser } from '../../shared/auth';
import { ROLES } from '../../shared/roles';
import { changeRoom } from '../realtime/change-rooms';

/** What the socket.io plugin's handshake put on a socket. */
interface ChangeSocketData {
  user: SessionUser;
  lastSeq: number | null;
}

export default fp(
  async (app) => {
    const io = app.io;
    const feed = app.changes;

    io.on('connection', (socket) => {
      const { user, lastSeq } = socket.data as ChangeSocketData;
      feed
        .catchUp(lastSeq, (catchUp) => {
          if (!socket.connected) return;
          socket.emit('changes', {
            ...catchUp,
            changes: catchUp.changes
              .filter((change) => feed.visible(change.entity, user.role))
              .map((change) => feed.mask(change, user.role)),
          });
          // Joined between two deliveries, right after its catch-up: nothing falls between.
          void socket.join(changeRoom(user.role));
        })
        .catch((error: unknown) => {
          app.log.error({ err: error }, 'change catch-up failed');
          socket.disconnect(true);
        });
    });

    feed.onChange((change) => {
      for (const role of ROLES) {
        const room = changeRoom(role);
        // An empty room costs an encode for nobody.
        if (!io.of('/').adapter.rooms.get(room)?.size) continue;
        if (!feed.visible(change.entity, role)) continue;
        io.local.to(room).emit('change', feed.mask(change, role));
      }
    });
  },
  { name: 'change-realtime', dependencies: ['socket.io', 'changes'] },
);
