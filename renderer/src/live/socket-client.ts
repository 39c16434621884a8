/**
 * The page's side of the one connection to the relay. The Socket.IO socket itself lives on the
 * relay link's worker thread (relay-link.ts), which reads the WebSocket there (at 50,000 vehicles
 * ~850 KB of position frames a second, ~7 ms of a thread per frame) and hands every event over in
 * order. Here each event lands: position frames straight into the FleetBuffer (no React state
 * per frame); the vehicle table, health, changes and link state into the store. Every handshake
 * carries the login token and the highest change seq seen, so a reconnect catches up.
 */
import type { SocketAuth } from '../../../shared/auth';
import type { ServerToClientEvents } from '../../../shared/events';
import { decodePositionFrame, FrameDecodeError, isHeartbeat } from '../../../shared/frames';
import { isLoadRefusal } from '../../../shared/socket-admission';
import { setActiveRelay, setRelayList } from './relay-origin';
import { relaysForPage } from './relay-rotation';
import { markUpdateApplied, markUpdateArrived } from '../map/map-status';
import type { AppStore } from '../store';
import { LinkRequestError, type AlertCommandChannel, type CommandLink } from './alert-commands';
import type { FleetBuffer } from './fleet-buffer';
import { portOver, type LinkPort, type LinkToPage, type PageToLink } from './relay-link-protocol';

/** What the relay wants in the handshake: the login token (and the catch-up point). */
export type AuthPayload = SocketAuth;

/** The page's end of the link, and how to end the link for good. */
export interface RelayLinkHandle {
  port: LinkPort<PageToLink, LinkToPage>;
  /** Called after `stop` was posted: stop listening (a worker ends itself once its socket closed). */
  close(): void;
}

export interface SocketClientOptions {
  fleet: FleetBuffer;
  store: AppStore;
  /** Called on every (re)connect attempt, so a refreshed token is always the one sent. */
  getAuth?: () => AuthPayload | undefined;
  /** The relay refused the token (expired, disabled user): the session is over. */
  onAuthRefused?: (message: string) => void;
  /** Sends alert commands over this connection while it runs. */
  commands?: AlertCommandChannel;
  /** Monotonic clock; the same one the draw loop uses. */
  now?: () => number;
  /**
   * Relay origins to move between when the link is lost (DESIGN §12); default the page's
   * `?relays=` list, else the page's own origin (the relay or load balancer that served it).
   */
  relays?: readonly string[];
  /** Where the link runs; default its own worker thread. Tests run it in-thread. */
  openLink?: () => RelayLinkHandle;
}

/** A table-version gap asks the relay for a snapshot at most this often. */
const SNAPSHOT_REQUEST_MIN_INTERVAL_MS = 10_000;
/** The relay's handshake refusals (SOCKET_AUTH_ERRORS) all start with this. */
const AUTH_REFUSED_PREFIX = 'unauthorized';

/** The relay link on its own worker thread (relay-link.worker.ts). */
export function openWorkerLink(): RelayLinkHandle {
  const worker = new Worker(new URL('./relay-link.worker.ts', import.meta.url), {
    type: 'module',
    name: 'relay-link',
  });
  // A worker that cannot start (a build or policy fault) would leave the map silently empty.
  worker.addEventListener('error', (event) =>
    console.error(`relay link worker failed: ${event.message || 'could not start'}`),
  );
  return {
    port: portOver(worker),
    // Not terminate(): the worker ends itself after closing the socket properly (on `stop`).
    close: () => undefined,
  };
}

/** Requests over the link (commands, snapshot requests), answered by the link's `ack`s. */
class LinkRequests implements CommandLink {
  connected = false;
  private nextRequestId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly port: LinkPort<PageToLink, LinkToPage>) {}

  request(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const requestId = ++this.nextRequestId;
      this.pending.set(requestId, { resolve, reject });
      this.port.post({ type: 'emit', requestId, event, args: [payload], timeoutMs });
    });
  }

  /** Emits without waiting for the relay's answer. */
  send(event: string): void {
    this.port.post({
      type: 'emit',
      requestId: ++this.nextRequestId,
      event,
      args: [],
      timeoutMs: null,
    });
  }

  settle(ack: Extract<LinkToPage, { type: 'ack' }>): void {
    const waiting = this.pending.get(ack.requestId);
    if (!waiting) return;
    this.pending.delete(ack.requestId);
    if (ack.ok) waiting.resolve(ack.result);
    else waiting.reject(new LinkRequestError(ack.reason));
  }

  /** The link is gone: nobody will answer the requests still waiting. */
  abandon(): void {
    for (const { reject } of this.pending.values()) reject(new LinkRequestError('not-connected'));
    this.pending.clear();
    this.connected = false;
  }
}

/** Starts the link, wires every event, and returns a function that disconnects. */
export function startSocketClient(options: SocketClientOptions): () => void {
  const { fleet, store } = options;
  const now = options.now ?? (() => performance.now());

  // The page's own relay (it serves this page; in Electron too) unless a list of relays is given:
  // then the first, and the next one each time the link is lost. Auth carries the token.
  const relayList =
    options.relays ?? relaysForPage(globalThis.location?.href ?? 'http://localhost/');
  // REST follows the socket's relay (relay-origin.ts), so it must know the same list.
  setRelayList(relayList);
  const link = (options.openLink ?? openWorkerLink)();
  const requests = new LinkRequests(link.port);
  options.commands?.attach(requests);

  let lastSnapshotRequestAt = -Infinity;
  let decodeErrors = 0;

  const requestSnapshot = (): void => {
    const at = now();
    if (at - lastSnapshotRequestAt < SNAPSHOT_REQUEST_MIN_INTERVAL_MS) return;
    lastSnapshotRequestAt = at;
    requests.send('snapshot:request');
  };

  const onPositions = (data: ArrayBuffer): void => {
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
  };

  /** Each server event, typed by its name (the link hands them over as they came). */
  const onEvent: { [E in keyof ServerToClientEvents]: ServerToClientEvents[E] } = {
    positions: onPositions,
    vehicles: (update) => store.getState().applyVehicleTable(update),
    health: (health) => store.getState().setHealth(health),
    // Alerts, violations, hand-offs (every entity): a catch-up on each connect, then each change.
    changes: (catchUp) => store.getState().applyCatchUp(catchUp),
    change: (change) => store.getState().applyChange(change),
    alertComment: ({ comment }) => store.getState().addAlertComment(comment),
  };

  const unlisten = link.port.listen((message) => {
    switch (message.type) {
      case 'event':
        (onEvent[message.event] as (...args: readonly unknown[]) => void)(...message.args);
        break;
      case 'connect':
        requests.connected = true;
        setActiveRelay(message.relay);
        store.getState().setConnected();
        break;
      case 'disconnect':
        requests.connected = false;
        store.getState().setDisconnected(now(), message.reason);
        break;
      case 'connect-error':
        requests.connected = false;
        store.getState().setDisconnected(now(), message.message);
        // A refused handshake is not retried by Socket.IO, and retrying with the same token is
        // futile (a load refusal is retried by the link after the relay's hint).
        if (!isLoadRefusal(message) && message.message.startsWith(AUTH_REFUSED_PREFIX)) {
          options.onAuthRefused?.(message.message);
        }
        break;
      case 'auth-request':
        link.port.post({
          type: 'auth',
          requestId: message.requestId,
          auth: options.getAuth?.() ?? null,
        });
        break;
      case 'ack':
        requests.settle(message);
        break;
    }
  });
  link.port.post({ type: 'start', relays: relayList });

  return () => {
    options.commands?.detach(requests);
    unlisten();
    link.port.post({ type: 'stop' });
    requests.abandon();
    link.close();
  };
}
