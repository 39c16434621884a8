/**
 * The Socket.IO adapter: pushes the vehicle table, binary position frames and health to every
 * client. Frames are coalesced per tick: whatever arrived since the last tick goes out as one
 * delta frame; a key frame every few seconds lets a client that missed something recover.
 */
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/events';
import { FrameKind, PositionFrameWriter } from '../../shared/frames';

/** Frames go out at most this often; the simulator ticks at 1 Hz, Kafka rows arrive anytime. */
export const FRAME_INTERVAL_MS = 500;
export const KEY_FRAME_INTERVAL_MS = 10_000;
export const HEALTH_INTERVAL_MS = 2_000;

export default fp(
  async (app) => {
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(app.server, {
      path: SOCKET_PATH,
      serveClient: false,
      // Frames are already compact binary; compressing them costs CPU for little gain.
      perMessageDeflate: false,
      maxHttpBufferSize: 1e6,
    });
    const broadcastWriter = new PositionFrameWriter(8192);
    const snapshotWriter = new PositionFrameWriter(8192);
    let seq = 0;
    let lastKeyFrameMs = 0;

    const sendSnapshot = (emit: {
      emit: <E extends keyof ServerToClientEvents>(
        event: E,
        ...args: Parameters<ServerToClientEvents[E]>
      ) => unknown;
    }) => {
      emit.emit('vehicles', app.fleet.fullTable());
      const frame = app.fleet.snapshotFrame(snapshotWriter, seq, Date.now());
      emit.emit('positions', frame as unknown as ArrayBuffer);
      emit.emit('health', app.health());
    };

    io.on('connection', (socket) => {
      app.metrics.clients.set(io.engine.clientsCount);
      sendSnapshot(socket);
      socket.on('snapshot:request', (ack) => {
        sendSnapshot(socket);
        if (typeof ack === 'function') ack(true);
      });
      socket.on('disconnect', () => app.metrics.clients.set(io.engine.clientsCount));
    });

    const tick = () => {
      const now = Date.now();
      const kind = now - lastKeyFrameMs >= KEY_FRAME_INTERVAL_MS ? FrameKind.Key : FrameKind.Delta;
      if (kind === FrameKind.Key) lastKeyFrameMs = now;
      // The table goes first: a frame may name vehicles the client has not seen yet.
      const table = app.fleet.takeTableUpdate();
      if (table) io.emit('vehicles', table);
      const frame = app.fleet.buildFrame(broadcastWriter, kind, ++seq, now);
      app.metrics.vehicles.set(app.fleet.vehicleCount);
      if (!frame) return;
      app.metrics.frames.inc({ kind: kind === FrameKind.Key ? 'key' : 'delta' });
      app.metrics.frameBytes.inc(frame.byteLength);
      io.emit('positions', frame as unknown as ArrayBuffer);
    };
    const frameTimer = setInterval(tick, FRAME_INTERVAL_MS);
    const healthTimer = setInterval(() => io.emit('health', app.health()), HEALTH_INTERVAL_MS);

    app.decorate('clientCount', () => io.engine.clientsCount);
    app.addHook('preClose', async () => {
      clearInterval(frameTimer);
      clearInterval(healthTimer);
      io.local.disconnectSockets(true);
      // Not io.close(): that also closes the HTTP server, which Fastify closes itself.
      io.engine.close();
    });
  },
  { name: 'socket.io', dependencies: ['fleet'] },
);
