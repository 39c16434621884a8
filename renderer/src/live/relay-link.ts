/**
 * The relay link: the one Socket.IO connection to the relay, run off the page's main thread
 * (relay-link.worker.ts), talking to the page over a port (relay-link-protocol.ts).
 *
 * It owns what is about the connection itself: WebSocket transport only, Socket.IO's reconnects,
 * moving to the next relay of a list when the link is lost (DESIGN §12), and coming back after a
 * load refusal (admission control) no sooner than the relay's hint. What the events mean (the
 * fleet, the store) stays on the page: every server event crosses as it arrived, position frames
 * by transfer (no copy).
 *
 * No DOM: `connect` is socket.io-client's `io`, injected, so a test can run the link in-thread
 * against a real relay.
 */
import type { Socket, io as ioFunction } from 'socket.io-client';
import type { SocketAuth } from '../../../shared/auth';
import { SOCKET_PATH } from '../../../shared/events';
import { isLoadRefusal } from '../../../shared/socket-admission';
import { loadRetryDelayMs } from './load-retry';
import type { LinkPort, LinkServerEvent, LinkToPage, PageToLink } from './relay-link-protocol';
import { RelayRotation } from './relay-rotation';

/** Socket.IO's own reconnect back-off: quick first retries, capped so a wall display recovers fast. */
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 5000;
/** The relay closed the link on purpose (e.g. restart); Socket.IO will not retry that by itself. */
const SERVER_CLOSED_REASON = 'io server disconnect';

/**
 * Every event the relay sends a client; each is handed to the page as it arrives. A record, so a
 * new event in ServerToClientEvents does not compile until it is listed here.
 */
const SERVER_EVENTS: Record<LinkServerEvent, true> = {
  positions: true,
  vehicles: true,
  health: true,
  changes: true,
  change: true,
  alertComment: true,
};
export const LINK_SERVER_EVENTS = Object.keys(SERVER_EVENTS) as LinkServerEvent[];

export type PagePort = LinkPort<LinkToPage, PageToLink>;

/**
 * Runs the link until the page sends `stop`: waits for `start` (the relay list), then connects;
 * `onStopped` runs once the socket is closed. Returns a function that stops it from this side.
 */
export function runRelayLink(
  port: PagePort,
  connect: typeof ioFunction,
  onStopped: () => void = () => undefined,
): () => void {
  let socket: Socket | null = null;
  let rotation: RelayRotation | null = null;
  let stopped = false;
  let loadRefusalsInRow = 0;
  let loadRetryTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let nextAuthRequest = 0;
  const pendingAuth = new Map<number, (auth: SocketAuth | Record<string, never>) => void>();

  /** Points the next connect at the next relay; the handshake's seq catches up there. */
  const moveToNextRelay = (): void => {
    if (socket === null || rotation === null || !rotation.rotates) return;
    // socket.io-client opens each attempt from its manager's uri (not public in its types).
    (socket.io as unknown as { uri: string }).uri = rotation.next();
  };

  const start = (relays: readonly string[]): void => {
    if (socket !== null || stopped) return;
    rotation = new RelayRotation(relays);
    const live = connect(rotation.current(), {
      path: SOCKET_PATH,
      // WebSocket only: frames are binary (polling would base64 them), and with many relays
      // behind a load balancer a polling session's requests could reach different relays (no
      // sticky sessions needed this way).
      transports: ['websocket'],
      reconnectionDelay: RECONNECT_DELAY_MS,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
      // Asked of the page at every attempt, so a refreshed token and the newest seq are sent.
      auth: (send) => {
        const requestId = ++nextAuthRequest;
        pendingAuth.set(requestId, send);
        port.post({ type: 'auth-request', requestId });
      },
    });
    socket = live;
    // Socket.IO's own reconnects (link lost, relay unreachable): each goes to the next relay.
    live.io.on('reconnect_attempt', moveToNextRelay);

    live.on('connect', () => {
      loadRefusalsInRow = 0;
      const uri = (live.io as unknown as { uri: string }).uri;
      rotation?.connected(uri);
      port.post({ type: 'connect', relay: uri });
    });
    live.on('disconnect', (reason) => {
      port.post({ type: 'disconnect', reason });
      if (reason === SERVER_CLOSED_REASON) {
        // The relay closed the link (shutting down for a rolling restart): go to the next one.
        moveToNextRelay();
        clearTimeout(reconnectTimer);
        reconnectTimer = setTimeout(() => {
          if (!stopped) live.connect();
        }, RECONNECT_DELAY_MS);
      }
    });
    live.on('connect_error', (error: Error & { data?: unknown }) => {
      port.post({ type: 'connect-error', message: error.message, data: error.data ?? null });
      if (!isLoadRefusal(error)) return;
      // The relay is busy (too many clients connecting, or full): Socket.IO does not retry a
      // refusal by itself, so come back after the relay's hint, backing off while it lasts.
      loadRefusalsInRow++;
      moveToNextRelay();
      clearTimeout(loadRetryTimer);
      loadRetryTimer = setTimeout(
        () => {
          if (!stopped) live.connect();
        },
        loadRetryDelayMs(loadRefusalsInRow, error.data.retryAfterMs),
      );
    });
    for (const event of LINK_SERVER_EVENTS) {
      live.on(event, (...args: unknown[]) => {
        // A position frame's buffer is handed over, not copied: nothing here reads it again.
        const transfer = args.filter((arg): arg is ArrayBuffer => arg instanceof ArrayBuffer);
        port.post({ type: 'event', event, args }, transfer);
      });
    }
  };

  const emit = (message: Extract<PageToLink, { type: 'emit' }>): void => {
    const { requestId, event, args, timeoutMs } = message;
    if (socket === null || !socket.connected) {
      port.post({ type: 'ack', requestId, ok: false, reason: 'not-connected' });
      return;
    }
    if (timeoutMs === null) {
      // Fire and forget, but with an acknowledgement function, as the relay's handlers expect.
      socket.emit(event, ...args, () => undefined);
      return;
    }
    socket
      .timeout(timeoutMs)
      .emitWithAck(event, ...args)
      .then(
        (result: unknown) => port.post({ type: 'ack', requestId, ok: true, result }),
        () => port.post({ type: 'ack', requestId, ok: false, reason: 'timeout' }),
      );
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unlisten();
    clearTimeout(loadRetryTimer);
    clearTimeout(reconnectTimer);
    pendingAuth.clear();
    socket?.removeAllListeners();
    socket?.io.removeAllListeners();
    socket?.disconnect();
    onStopped();
  };

  const unlisten = port.listen((message) => {
    switch (message.type) {
      case 'start':
        start(message.relays);
        break;
      case 'auth': {
        const send = pendingAuth.get(message.requestId);
        pendingAuth.delete(message.requestId);
        send?.(message.auth ?? {});
        break;
      }
      case 'emit':
        emit(message);
        break;
      case 'stop':
        stop();
        break;
    }
  });
  return stop;
}
