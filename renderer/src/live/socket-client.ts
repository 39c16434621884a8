/**
 * The one Socket.IO connection to the relay. Position frames go straight into the FleetBuffer
 * (no React state per frame); the vehicle table, health, alerts and link state go into the store.
 * The handshake carries the login token and the highest change seq seen, so a reconnect catches up.
 */
import { io, type Socket } from 'socket.io-client';
import type { SocketAuth } from '../../../shared/auth';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events';
import { SOCKET_PATH } from '../../../shared/events';
import { decodePositionFrame, FrameDecodeError, isHeartbeat } from '../../../shared/frames';
import { isLoadRefusal } from '../../../shared/socket-admission';
import { loadRetryDelayMs } from './load-retry';
import { setActiveRelay, setRelayList } from './relay-origin';
import { RelayRotation, relaysForPage } from './relay-rotation';
import { markUpdateApplied, markUpdateArrived } from '../map/map-status';
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
  /**
   * Relay origins to move between when the link is lost (DESIGN §12); default the page's
   * `?relays=` list, else the page's own origin (the relay or load balancer that served it).
   */
  relays?: readonly string[];
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

  // The page's own relay (it serves this page; in Electron too) unless a list of relays is given:
  // then the first, and the next one each time the link is lost. Auth carries the token.
  const relayList =
    options.relays ?? relaysForPage(globalThis.location?.href ?? 'http://localhost/');
  const rotation = new RelayRotation(relayList);
  // REST follows the socket's relay (relay-origin.ts), so it must know the same list.
  setRelayList(relayList);
  const socket: RelaySocket = io(rotation.current(), {
    path: SOCKET_PATH,
    // WebSocket only: frames are binary (polling would base64 them), and with many relays behind
    // a load balancer a polling session's requests could reach different relays (no sticky
    // sessions needed this way).
    transports: ['websocket'],
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    auth: (send) => send(options.getAuth?.() ?? {}),
  });
  options.commands?.attach(socket);

  /** Points the next connect at the next relay; the handshake's seq catches up there. */
  const moveToNextRelay = (): void => {
    if (!rotation.rotates) return;
    // socket.io-client opens each attempt from its manager's uri (not public in its types).
    (socket.io as unknown as { uri: string }).uri = rotation.next();
  };
  // Socket.IO's own reconnects (link lost, relay unreachable): each goes to the next relay.
  socket.io.on('reconnect_attempt', moveToNextRelay);

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
    const uri = (socket.io as unknown as { uri: string }).uri;
    rotation.connected(uri);
    setActiveRelay(uri);
    store.getState().setConnected();
  });
  socket.on('disconnect', (reason) => {
    store.getState().setDisconnected(now(), reason);
    if (reason === SERVER_CLOSED_REASON) {
      // The relay closed the link (shutting down for a rolling restart): go to the next one.
      moveToNextRelay();
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
      moveToNextRelay();
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
  // Alerts, violations, hand-offs (every entity): a catch-up on each connect, then each change.
  socket.on('changes', (catchUp) => store.getState().applyCatchUp(catchUp));
  socket.on('change', (change) => store.getState().applyChange(change));
  socket.on('alertComment', ({ comment }) => store.getState().addAlertComment(comment));
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
