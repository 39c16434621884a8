/**
 * Interlock violations and TCS hand-offs over Socket.IO: a snapshot of each on connect, then every
 * change. Sockets are authenticated by the socket.io plugin; every role may watch (walls show
 * the TCS panel), and violations are masked for everyone (personal data only through unmask).
 */
import fp from 'fastify-plugin';
import type { Dispatch, Violation } from '../../shared/interlock';
import { PENDING_DISPATCH_STATES } from '../../shared/interlock';
import { maskViolation } from '../domain/interlock-masking';

/** The newest this many of each go in a snapshot, plus every unfinished one. */
export const SNAPSHOT_NEWEST = 200;
const SNAPSHOT_UNFINISHED_MAX = 5000;

function newestFirstUnique<T extends { id: number }>(...lists: T[][]): T[] {
  const byId = new Map<number, T>();
  for (const list of lists) for (const item of list) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

export default fp(
  async (app) => {
    const io = app.io;

    const violationSnapshot = async (): Promise<Violation[]> =>
      newestFirstUnique(
        await app.interlock.list({ limit: SNAPSHOT_NEWEST }),
        await app.interlock.list({
          grade: ['major'],
          status: ['open', 'dispatching'],
          limit: SNAPSHOT_UNFINISHED_MAX,
        }),
      );
    const dispatchSnapshot = async (): Promise<Dispatch[]> =>
      newestFirstUnique(
        await app.tcs.list({ limit: SNAPSHOT_NEWEST }),
        (
          await app.tcs.list({
            state: [...PENDING_DISPATCH_STATES, 'rejected', 'manual'],
            limit: SNAPSHOT_UNFINISHED_MAX,
          })
        ).filter((d) => PENDING_DISPATCH_STATES.includes(d.state) || d.awaitingPerson),
      );

    io.on('connection', (socket) => {
      Promise.all([violationSnapshot(), dispatchSnapshot()]).then(
        ([violations, dispatches]) => {
          if (!socket.connected) return;
          socket.emit('violations', violations.map(maskViolation));
          socket.emit('dispatches', dispatches);
        },
        (error: unknown) => app.log.error({ err: error }, 'interlock snapshot failed'),
      );
    });

    app.interlock.onChange((violation) => io.emit('violation', maskViolation(violation)));
    app.tcs.onChange((dispatch) => io.emit('dispatch', dispatch));
  },
  { name: 'interlock-realtime', dependencies: ['socket.io', 'interlock', 'tcs'] },
);
