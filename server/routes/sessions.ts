/**
 * `GET /api/sessions` (admins): who is signed in where — every live socket with its user, relay,
 * address, kind of client and since when.
 *
 * The relays keep no session table: a socket is the session, and its relay knows it. With several
 * relays (REDIS_URL) the Socket.IO adapter's `fetchSockets()` asks every relay for its sockets; when
 * another relay does not answer in time the list falls back to this relay's own sockets and says so
 * (`scope: 'local'`), rather than failing the admin's screen.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import {
  socketAuthSchema,
  type ClientKind,
  type LiveSession,
  type SessionListResponse,
  type SessionUser,
} from '../../shared/auth';

/** What this plugin keeps on each socket (beside the user the handshake put there). */
interface SessionSocketData {
  user?: SessionUser;
  session?: { instance: string; client: ClientKind; address: string; connectedAtMs: number };
}

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  // Runs after the realtime plugin's handshake checks (middlewares run in the order added), so
  // only sockets that were let in are described.
  app.io.use((socket: Socket, next) => {
    const auth = socketAuthSchema.safeParse(socket.handshake.auth);
    (socket.data as SessionSocketData).session = {
      instance: app.config.INSTANCE_ID,
      client: (auth.success ? auth.data.client : undefined) ?? 'desktop',
      address: socket.handshake.address,
      connectedAtMs: socket.handshake.issued,
    };
    next();
  });

  app.get('/api/sessions', { onRequest: app.authorize('users.manage') }, async () => {
    let scope: SessionListResponse['scope'] = 'cluster';
    let sockets;
    try {
      sockets = await app.io.fetchSockets();
    } catch (error) {
      app.log.warn({ err: error }, 'other relays did not list their sockets: this relay only');
      scope = 'local';
      sockets = await app.io.local.fetchSockets();
    }
    const sessions: LiveSession[] = [];
    for (const socket of sockets) {
      const { user, session } = socket.data as SessionSocketData;
      if (!user || !session) continue;
      sessions.push({ socketId: socket.id, username: user.username, role: user.role, ...session });
    }
    sessions.sort(
      (a, b) => a.username.localeCompare(b.username) || a.connectedAtMs - b.connectedAtMs,
    );
    return { sessions, scope } satisfies SessionListResponse;
  });
}
