/**
 * The Socket.IO adapter: pushes the vehicle table, binary position frames and health to every
 * client. Frames are coalesced per tick: whatever arrived since the last tick goes out as one
 * delta frame; a key frame every few seconds lets a client that missed something recover.
 *
 * A new socket's snapshot (the full vehicle table and a key frame) is sent to every socket that
 * asked within SNAPSHOT_BATCH_MS in one broadcast, so it is built and encoded once however many
 * clients connect together (a wall of displays after a relay restart); a socket joins LIVE_ROOM,
 * which gets the per-tick table updates and frames, right after its snapshot.
 *
 * Every socket authenticates in its handshake (`auth: {token, lastSeq?}`; `lastAlertSeq` is the
 * old name, accepted for one release) and may send the same alert commands as REST. Changes of
 * alerts, violations and hand-offs reach it through the change feed (plugin `change-realtime`).
 */
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import {
  ALERT_COMMAND_NAMES,
  alertIdSchema,
  type AlertCommandName,
  type AlertCommandResult,
} from '../../shared/alerts';
import {
  handshakeLastSeq,
  SOCKET_AUTH_ERRORS,
  socketAuthSchema,
  type SessionUser,
} from '../../shared/auth';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/events';
import { FrameKind, PositionFrameWriter } from '../../shared/frames';
import { SOCKET_LOAD_REFUSALS, type SocketRefusalData } from '../../shared/socket-admission';
import { Admission } from '../realtime/admission';
import { FrameBudget } from '../realtime/frame-budget';
import { queuedBytes } from '../realtime/socket-backlog';
import { CHANGE_ROOMS } from '../realtime/change-rooms';
import { maskAlert } from '../domain/masking';
import { HTTP, zodMessage } from '../domain/outcome';
import { MAX_SOCKET_MESSAGE_BYTES } from '../limits/command-limiter';
import { apiErrorOf, isStoreUnavailable } from '../store/store-errors';

/**
 * Frames go out at most this often; the simulator ticks at 1 Hz, Kafka rows arrive anytime. A row
 * waits for the next tick, so this interval is most of the Kafka → client latency: at 500 ms the
 * p99 was ~600 ms with 20 clients (docs/PERFORMANCE.md). An empty delta is not sent, so the
 * simulator's clients still get one frame a second.
 */
export const FRAME_INTERVAL_MS = 200;
/**
 * When nothing moved for this long an empty delta goes out anyway: a client tells a live feed
 * from a broken one by the age of its last frame, and a quiet fleet (a few parked cars at night)
 * must not look like a lost link.
 */
export const FRAME_HEARTBEAT_MS = 2_000;
export const KEY_FRAME_INTERVAL_MS = 10_000;
export const HEALTH_INTERVAL_MS = 2_000;
/**
 * A frame waits while a source is applying a tick in slices (FleetState.beginBatch), but never
 * longer than this: a slow batch must not stop the map.
 */
const MAX_FRAME_WAIT_FOR_BATCH_MS = 1_000;
/**
 * Snapshots asked for within this long go out together, encoded once. Encoding the 50,000-vehicle
 * table per socket as 20 clients connected took ~20 MB each of strings and copies, all alive until
 * V8's next major collection: the relay's RSS peaked at 450–650 MB (docs/PERFORMANCE.md).
 */
export const SNAPSHOT_BATCH_MS = 100;
/** Sockets that get table updates and position frames: those that got their snapshot. */
const LIVE_ROOM = 'live';
const userRoom = (username: string) => `user:${username}`;
/** setTimeout's longest delay; a token's expiry further away is re-checked after it. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * A handshake slot is given back at the latest after this long, even if the socket never got its
 * snapshot (a handshake stuck in the token check or a client gone quiet must not hold it).
 */
const HANDSHAKE_SLOT_TIMEOUT_MS = 10_000;
/**
 * Raw engine.io connections beyond MAX_CLIENTS plus this many handshake slots are refused before
 * Socket.IO sees them (HTTP 503-like transport error, retried by the client with its back-off):
 * the backstop for connections that never finish a handshake.
 */
const ENGINE_HEADROOM_PER_HANDSHAKE = 4;

interface SocketData {
  user: SessionUser;
  /** Where the socket's change catch-up starts (null: a full snapshot). */
  lastSeq: number | null;
  expiresAtMs: number;
}

type RelayServerSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** What a refused socket is told, by the reason its token was refused. */
const REFUSALS = {
  invalid: SOCKET_AUTH_ERRORS.invalidToken,
  disabled: SOCKET_AUTH_ERRORS.disabledUser,
  revoked: SOCKET_AUTH_ERRORS.revokedToken,
} as const;

/** A load refusal: `connect_error` with a reason and a retry hint (shared/socket-admission.ts). */
function loadRefusal(data: SocketRefusalData): Error & { data: SocketRefusalData } {
  return Object.assign(new Error(SOCKET_LOAD_REFUSALS[data.reason]), { data });
}

/** An error Socket.IO hands the client as `connect_error` (message and data). */
function refusal(message: string): Error & { data: { code: 'unauthorized' } } {
  return Object.assign(new Error(message), { data: { code: 'unauthorized' as const } });
}

export default fp(
  async (app) => {
    const io = new Server<
      ClientToServerEvents,
      ServerToClientEvents,
      Record<string, never>,
      SocketData
    >(app.server, {
      path: SOCKET_PATH,
      serveClient: false,
      // Frames are already compact binary; compressing them costs CPU for little gain.
      perMessageDeflate: false,
      maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
      // Many relays (REDIS_URL): broadcasts to rooms cross relays, except those sent with
      // `io.local` — position frames, vehicle tables and health stay with this relay's clients.
      ...(app.socketAdapter ? { adapter: app.socketAdapter } : {}),
      allowRequest: (_request, answer) => {
        const ceiling =
          app.config.MAX_CLIENTS +
          app.config.MAX_CONCURRENT_HANDSHAKES * ENGINE_HEADROOM_PER_HANDSHAKE;
        const allowed = io.engine.clientsCount < ceiling;
        if (!allowed) app.metrics.socketsRefused.inc({ reason: 'engine' });
        answer(allowed ? null : 'relay overloaded', allowed);
      },
    });
    const admission = new Admission({
      maxClients: app.config.MAX_CLIENTS,
      maxHandshakes: app.config.MAX_CONCURRENT_HANDSHAKES,
    });
    /** Admitted sockets holding a handshake slot: gives it back (once). */
    const handshakeSlots = new Map<string, () => void>();
    const budget = new FrameBudget<string>();
    /** Bytes queued for all sockets at the last tick (admission waits while it is high). */
    let queuedTotalBytes = 0;
    const broadcastWriter = new PositionFrameWriter(8192);
    const snapshotWriter = new PositionFrameWriter(8192);
    let seq = 0;
    let lastKeyFrameMs = 0;
    let lastFrameMs = 0;

    /** Sockets waiting for a snapshot, with the acks to call once it is sent. */
    const pendingSnapshots = new Map<RelayServerSocket, Array<(ok: boolean) => void>>();
    let snapshotTimer: NodeJS.Timeout | undefined;

    const flushSnapshots = () => {
      snapshotTimer = undefined;
      const sockets = [...pendingSnapshots].filter(([socket]) => socket.connected);
      pendingSnapshots.clear();
      if (sockets.length === 0) return;
      // One broadcast per event: Socket.IO encodes a broadcast once for all its sockets. Local:
      // the sockets are this relay's, and a snapshot must never travel through Redis.
      const to = io.local.to(sockets.map(([socket]) => socket.id));
      to.emit('vehicles', app.fleet.fullTable());
      const frame = app.fleet.snapshotFrame(snapshotWriter, seq, Date.now());
      to.emit('positions', frame as unknown as ArrayBuffer);
      to.emit('health', app.health());
      for (const [socket, acks] of sockets) {
        // Joined right after the snapshot: the next tick's update and frame build on it.
        void socket.join(LIVE_ROOM);
        // What is queued now is mostly the snapshot: it counts on top of the frame budget.
        const snapshotBytes = queuedBytes(socket);
        budget.snapshotSent(socket.id, snapshotBytes);
        // Counted at once, not at the next tick: the next handshakes are decided on it.
        queuedTotalBytes += snapshotBytes;
        // Its handshake is done: the relay's work for it is spent, what is left is the client's
        // reading, which its frame budget watches. (Holding the slot until the snapshot had
        // drained let the crowd in more slowly and made /healthz slower, not faster.)
        handshakeSlots.get(socket.id)?.();
        for (const ack of acks) ack(true);
      }
    };

    const requestSnapshot = (socket: RelayServerSocket, ack?: (ok: boolean) => void) => {
      const acks = pendingSnapshots.get(socket) ?? [];
      if (ack) acks.push(ack);
      pendingSnapshots.set(socket, acks);
      snapshotTimer ??= setTimeout(flushSnapshots, SNAPSHOT_BATCH_MS);
    };

    // Admission first, before any work is spent on the socket (even its token check).
    io.use((socket, next) => {
      const decision = admission.admit(io.of('/').sockets.size, queuedTotalBytes);
      if (!decision.ok) {
        app.metrics.socketsRefused.inc({ reason: decision.reason });
        const { reason, retryAfterMs } = decision;
        return next(loadRefusal({ code: 'overloaded', reason, retryAfterMs }));
      }
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        clearTimeout(timer);
        handshakeSlots.delete(socket.id);
        admission.release();
      };
      const timer = setTimeout(release, HANDSHAKE_SLOT_TIMEOUT_MS);
      handshakeSlots.set(socket.id, release);
      // Refused later (a bad token) or gone before connecting: the client closes the connection.
      socket.conn.once('close', release);
      next();
    });

    io.use((socket, next) => {
      const auth = socketAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) {
        // Name what is wrong: a client with a good token but a bad seq must not be told to log in.
        const wrong = new Set(auth.error.issues.map((issue) => issue.path[0]));
        const tokenIsWrong = [...wrong].some((f) => f !== 'lastSeq' && f !== 'lastAlertSeq');
        return next(
          refusal(
            tokenIsWrong
              ? SOCKET_AUTH_ERRORS.missingToken
              : wrong.has('lastSeq')
                ? SOCKET_AUTH_ERRORS.badLastSeq
                : SOCKET_AUTH_ERRORS.badLastAlertSeq,
          ),
        );
      }
      app.users.check(auth.data.token).then(
        (result) => {
          if (!result.ok) return next(refusal(REFUSALS[result.reason]));
          const { user } = result;
          socket.data.user = { username: user.username, role: user.role };
          socket.data.lastSeq = handshakeLastSeq(auth.data);
          socket.data.expiresAtMs = user.expiresAtMs;
          next();
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'socket authentication failed');
          next(refusal(SOCKET_AUTH_ERRORS.invalidToken));
        },
      );
    });

    io.on('connection', (socket) => {
      app.metrics.clients.set(io.engine.clientsCount);
      const { user } = socket.data;
      void socket.join(userRoom(user.username));
      // Handlers first: a command sent right after connecting must not be lost while the
      // snapshot is read.
      for (const name of ALERT_COMMAND_NAMES) handleCommand(socket, name);
      const expiry = expireAt(socket);
      requestSnapshot(socket);
      socket.on('snapshot:request', (ack) => {
        requestSnapshot(socket, typeof ack === 'function' ? ack : undefined);
      });
      socket.on('disconnect', () => {
        clearTimeout(expiry);
        pendingSnapshots.delete(socket);
        handshakeSlots.get(socket.id)?.();
        budget.forget(socket.id);
        app.metrics.clients.set(io.engine.clientsCount);
      });
    });

    /** A socket outlives its token only until the token expires; then the client logs in again. */
    const expireAt = (socket: RelayServerSocket): NodeJS.Timeout =>
      setTimeout(
        () => socket.disconnect(true),
        Math.min(MAX_TIMER_MS, Math.max(0, socket.data.expiresAtMs - Date.now())),
      );

    const handleCommand = (socket: RelayServerSocket, name: AlertCommandName) => {
      const event = `alert:${name}` as const;
      const listener = async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return; // a command nobody waits for is not run
        const reply = ack as (result: AlertCommandResult) => void;
        // Limits before anything is parsed or read (issue 14): a flood from one client costs the
        // relay a counter per command, and the socket stays connected to hear the refusals.
        const permit = await app.commandLimiter.admit({
          username: socket.data.user.username,
          socketId: socket.id,
        });
        if (!permit.ok) {
          reply({ ok: false, error: permit.error });
          return;
        }
        const { id: rawId, ...body } =
          payload !== null && typeof payload === 'object' ? (payload as { id?: unknown }) : {};
        const id = alertIdSchema.safeParse(rawId);
        if (!id.success) {
          permit.release();
          reply({
            ok: false,
            error: { status: HTTP.badRequest, code: 'bad_request', message: zodMessage(id.error) },
          });
          return;
        }
        try {
          const result = await app.alerts.command(socket.data.user, name, id.data, body);
          reply(result.ok ? { ok: true, alert: maskAlert(result.value) } : result);
        } catch (error) {
          // A database outage answers 503 store_unavailable (logged once per outage), else 500.
          if (isStoreUnavailable(error)) app.storeHealth.reportFailure(error);
          else app.log.error({ err: error, command: event }, 'alert command failed');
          reply({ ok: false, error: apiErrorOf(error) });
        } finally {
          permit.release();
        }
      };
      // The event map types each command's payload; the listener checks it at run time anyway.
      (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(
        event,
        (payload, ack) => void listener(payload, ack),
      );
    };

    // A new comment travels on its own, just before the feed delivers the alert change that
    // counts it; the alert carries no comment history (issue 14: that made every broadcast grow
    // with the history). Not `io.local`: comments are not in the feed, so they cross relays here.
    app.alerts.onComment((comment) => {
      io.to([...CHANGE_ROOMS]).emit('alertComment', { comment });
    });
    // A disabled user or a changed role must not keep a socket opened under the old rights: the
    // client reconnects and the handshake decides again.
    app.users.onChange((user) => {
      io.in(userRoom(user.username)).disconnectSockets(true);
    });

    /**
     * Applies each socket's frame budget before this tick's broadcast; returns how many sockets
     * the tick's frame is withheld from (behind, waiting to drain).
     */
    const checkBudgets = (nowMs: number): number => {
      let withheld = 0;
      let total = 0;
      for (const socket of io.of('/').sockets.values()) {
        const queued = queuedBytes(socket);
        total += queued;
        const verdict = budget.check(socket.id, queued, nowMs);
        if (verdict === 'drop') {
          // Out of the live room: later frames are not queued for it at all.
          void socket.leave(LIVE_ROOM);
          withheld++;
        } else if (verdict === 'wait') {
          withheld++;
        } else if (verdict === 'evict') {
          app.log.warn({ socket: socket.id, queued }, 'client stopped reading: disconnected');
          budget.forget(socket.id);
          socket.disconnect(true);
          // Without discarding, engine.io would wait for the write buffer to drain: for ever here.
          socket.conn.close(true);
        } else if (verdict === 'resync') {
          budget.resyncRequested(socket.id);
          requestSnapshot(socket);
        }
      }
      app.metrics.socketsBehind.set(budget.behindCount);
      queuedTotalBytes = total;
      return withheld;
    };

    const tick = () => {
      const now = Date.now();
      const withheld = checkBudgets(now);
      if (app.fleet.frameShouldWait(now, MAX_FRAME_WAIT_FOR_BATCH_MS)) return;
      const kind = now - lastKeyFrameMs >= KEY_FRAME_INTERVAL_MS ? FrameKind.Key : FrameKind.Delta;
      if (kind === FrameKind.Key) lastKeyFrameMs = now;
      // The table goes first: a frame may name vehicles the client has not seen yet.
      const table = app.fleet.takeTableUpdate();
      // Local: every relay reads positions from Kafka itself and frames them for its own clients.
      if (table) io.local.to(LIVE_ROOM).emit('vehicles', table);
      const frame = app.fleet.buildFrame(broadcastWriter, kind, ++seq, now, {
        emptyDelta: now - lastFrameMs >= FRAME_HEARTBEAT_MS,
      });
      app.metrics.vehicles.set(app.fleet.vehicleCount);
      if (!frame) return;
      lastFrameMs = now;
      // Event time → frame sent: the seed's processing-delay KPI (< 5 s).
      const events = app.fleet.lastFrameEvents;
      if (events && app.hasDecorator('pipelineHealth')) {
        app.pipelineHealth.frameSent(events.meanEventMs, now);
      }
      app.metrics.frames.inc({ kind: kind === FrameKind.Key ? 'key' : 'delta' });
      app.metrics.frameBytes.inc(frame.byteLength);
      if (withheld > 0) app.metrics.framesDropped.inc(withheld);
      io.local.to(LIVE_ROOM).emit('positions', frame as unknown as ArrayBuffer);
      // Kept for replay (plugins/replay.ts) when this relay is the one recording.
      app.replay.recorder.record(frame);
    };
    const frameTimer = setInterval(tick, FRAME_INTERVAL_MS);
    // Local: each relay reports its own health to its own clients.
    const healthTimer = setInterval(
      () => io.local.emit('health', app.health()),
      HEALTH_INTERVAL_MS,
    );

    app.decorate('clientCount', () => io.engine.clientsCount);
    app.decorate('io', io);
    app.addHook('preClose', async () => {
      clearInterval(frameTimer);
      clearInterval(healthTimer);
      clearTimeout(snapshotTimer);
      for (const release of [...handshakeSlots.values()]) release();
      io.local.disconnectSockets(true);
      // Not io.close(): that also closes the HTTP server, which Fastify closes itself.
      io.engine.close();
    });
  },
  { name: 'socket.io', dependencies: ['fleet', 'auth', 'alerts', 'replay'] },
);
