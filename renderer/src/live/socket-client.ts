/**
 * The one Socket.IO connection to the relay. Position frames go straight into the FleetBuffer
 * (no React state per frame); the vehicle table, health, alerts and link state go into the store.
 * The handshake carries the login token and the highest alert seq seen, so a reconnect catches up.
 */
import { io, type Socket } from 'socket.io-client';
import type { SocketAuth } from '../../../shared/auth';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events';
import { SOCKET_PATH } from '../../../shared/events';
import { decodePositionFrame, FrameDecodeError, isHeartbeat } from '../../../shared/frames';
import { isLoadRefusal } from '../../../shared/socket-admission';
import { loadRetryDelayMs } from './load-retry';
import { markUpdateApplied, markUpdateArrived } from '../qa/control-room-hook';
import type { AppStore } from '../store';
import type { AlertCommandChannel } from './alert-commands';
import type { FleetBuffer } from './fleet-buffer';

export type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the relay wants in the handshake: the login token (and the catch-up point). */
export type AuthPayload = SocketAuth;

export interface SocketClientOptions {
  fleet: FleetBuffer;
  store: AppStore;
  /** Called on every (re)connect attempt, so a refreshed token is always the one sent. */
  getAuth?: () => AuthPayload | undefined;
  /** The relay refused the token (expired, disabled user): the session is over. */
  onAuthRefused?: (message: string) => void;
  /** Sends alert commands over this socket while it runs. */
  commands?: AlertCommandChannel;
  /** Monotonic clock; the same one the draw loop uses. */
  now?: () => number;
}

/** Socket.IO's own reconnect back-off: quick first retries, capped so a wall display recovers fast. */
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 5000;
/** A table-version gap asks the relay for a snapshot at most this often. */
const SNAPSHOT_REQUEST_MIN_INTERVAL_MS = 10_000;
/** The relay closed the link on purpose (e.g. restart); Socket.IO will not retry that by itself. */
const SERVER_CLOSED_REASON = 'io server disconnect';
/** The relay's handshake refusals (SOCKET_AUTH_ERRORS) all start with this. */
const AUTH_REFUSED_PREFIX = 'unauthorized';
/** Connects, wires every event, and returns a function that disconnects. */
export function startSocketClient(options: SocketClientOptions): () => void {
  const { fleet, store } = options;
  const now = options.now ?? (() => performance.now());

  // Same origin (the relay serves this page), so no URL: in Electron the page is loaded from the
  // relay too. Auth is the one place that carries the token.
  const socket: RelaySocket = io({
    path: SOCKET_PATH,
    // WebSocket first: frames are binary and polling would base64 them. Polling stays as fallback.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    auth: (send) => send(options.getAuth?.() ?? {}),
  });
  options.commands?.attach(socket);

  let stopped = false;
  let loadRefusalsInRow = 0;
  let loadRetryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSnapshotRequestAt = -Infinity;
  let decodeErrors = 0;

  const requestSnapshot = (): void => {
    const at = now();
    if (at - lastSnapshotRequestAt < SNAPSHOT_REQUEST_MIN_INTERVAL_MS) return;
    lastSnapshotRequestAt = at;
    socket.emit('snapshot:request', () => undefined);
  };

  socket.on('connect', () => {
    loadRefusalsInRow = 0;
    store.getState().setConnected();
  });
  socket.on('disconnect', (reason) => {
    store.getState().setDisconnected(now(), reason);
    if (reason === SERVER_CLOSED_REASON) {
      setTimeout(() => {
        if (!stopped) socket.connect();
      }, RECONNECT_DELAY_MS);
    }
  });
  socket.on('connect_error', (error: Error & { data?: unknown }) => {
    store.getState().setDisconnected(now(), error.message);
    if (isLoadRefusal(error)) {
      // The relay is busy (too many clients connecting, or full): Socket.IO does not retry a
      // refusal by itself, so come back after the relay's hint, backing off while it lasts.
      loadRefusalsInRow++;
      clearTimeout(loadRetryTimer);
      loadRetryTimer = setTimeout(
        () => {
          if (!stopped) socket.connect();
        },
        loadRetryDelayMs(loadRefusalsInRow, error.data.retryAfterMs),
      );
      return;
    }
    // A refused handshake is not retried by Socket.IO, and retrying with the same token is futile.
    if (error.message.startsWith(AUTH_REFUSED_PREFIX)) options.onAuthRefused?.(error.message);
  });

  socket.on('vehicles', (update) => store.getState().applyVehicleTable(update));
  socket.on('health', (health) => store.getState().setHealth(health));
  socket.on('alerts', (alerts) => store.getState().mergeAlertSnapshot(alerts));
  socket.on('alert', (alert) => store.getState().upsertAlert(alert));
  socket.on('alertComment', ({ comment }) => store.getState().addAlertComment(comment));
  // Interlock violations and TCS hand-offs: a snapshot on every connect, then each change.
  socket.on('violations', (violations) => store.getState().mergeViolationSnapshot(violations));
  socket.on('violation', (violation) => store.getState().upsertViolation(violation));
  socket.on('dispatches', (dispatches) => store.getState().mergeDispatchSnapshot(dispatches));
  socket.on('dispatch', (dispatch) => store.getState().upsertDispatch(dispatch));
  socket.on('positions', (data) => {
    const arrivedAt = performance.now();
    let frame;
    try {
      frame = decodePositionFrame(data);
    } catch (error) {
      markUpdateArrived(arrivedAt);
      if (!(error instanceof FrameDecodeError)) throw error;
      // A bad frame is skipped; the next key frame repairs the state. Log sparingly.
      decodeErrors++;
      if (decodeErrors === 1 || decodeErrors % 100 === 0) {
        console.warn(`position frame skipped (${decodeErrors} so far): ${error.message}`);
      }
      return;
    }
    if (isHeartbeat(frame)) {
      // Nothing moved: the feed is alive, and that is all it says (not an update to draw).
      fleet.heartbeat(now());
      return;
    }
    markUpdateArrived(arrivedAt);
    fleet.apply(frame, now());
    const state = store.getState();
    state.setLiveCount(fleet.count);
    markUpdateApplied(frame.serverTimeMs);
    // The relay sends table changes before the frames that use them; a newer version here means
    // an update was lost.
    if (frame.tableVersion > state.tableVersion) requestSnapshot();
  });

  return () => {
    stopped = true;
    clearTimeout(loadRetryTimer);
    options.commands?.detach(socket);
    socket.removeAllListeners();
    socket.disconnect();
  };
}
