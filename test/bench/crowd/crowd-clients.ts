/**
 * A crowd of Socket.IO clients that connect to the relay at once, as a wall of displays and a
 * shift of operators do after a relay restart. Each client logs in with the same token, counts
 * the position frames it receives, and — when the relay refuses it for load (`connect_error` with
 * `data.code === 'overloaded'`) — waits the hint the relay gave and tries again, as the product's
 * client does. Used by the crowd benchmark, the reliability test and profiling runs.
 */
import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../../shared/events';
import { isLoadRefusal } from '../../../shared/socket-admission';

type CrowdSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A refusal without a hint is retried after this long (the relay always sends one). */
const DEFAULT_RETRY_MS = 1_000;
/** Socket.IO's own connect timeout for one attempt (its default is 20 s). */
const ATTEMPT_TIMEOUT_MS = 20_000;

export interface CrowdClientState {
  /** Epoch ms when the client first tried; when it connected (the last time), or null. */
  startedMs: number;
  connectedMs: number | null;
  /** Load refusals (retried) and other connect errors (Socket.IO retries those itself). */
  refusals: number;
  errors: number;
  lastError: string | null;
  /** Position frames received, and when the first and the latest arrived. */
  frames: number;
  firstFrameMs: number | null;
  lastFrameMs: number | null;
  /** Frames received since the last `resetWindow`. */
  windowFrames: number;
}

export interface CrowdOptions {
  url: string;
  token: string;
  clients: number;
  /** Retry after a load refusal (default true); false leaves the refused client refused. */
  retryRefusals?: boolean;
  /**
   * `websocket` (the product's first choice, default) or `polling-first` (Socket.IO's own default:
   * long-polling, then an upgrade), which is what a plain socket.io-client script does.
   */
  transport?: 'websocket' | 'polling-first';
}

export class CrowdClients {
  readonly states: CrowdClientState[] = [];
  private readonly sockets: CrowdSocket[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private windowStartMs = Date.now();
  private closed = false;

  constructor(private readonly options: CrowdOptions) {}

  /** Opens every client at once (no stagger) and returns without waiting for them. */
  start(): void {
    for (let c = 0; c < this.options.clients; c++) this.open(c);
  }

  get connected(): number {
    return this.sockets.filter((s) => s.connected).length;
  }

  /** Clients that are connected and have received at least one frame. */
  get receiving(): number {
    return this.states.filter((s, i) => this.sockets[i]!.connected && s.frames > 0).length;
  }

  get refusals(): number {
    return this.states.reduce((sum, s) => sum + s.refusals, 0);
  }

  /** Clients refused at least once before they connected (or still refused). */
  get refusedClients(): number {
    return this.states.filter((s) => s.refusals > 0).length;
  }

  get errors(): number {
    return this.states.reduce((sum, s) => sum + s.errors, 0);
  }

  resetWindow(): void {
    this.windowStartMs = Date.now();
    for (const s of this.states) s.windowFrames = 0;
  }

  /** Frames per second each connected client received since `resetWindow`. */
  framesPerClientPerSecond(): number[] {
    const seconds = (Date.now() - this.windowStartMs) / 1000;
    return this.states
      .filter((_, i) => this.sockets[i]!.connected)
      .map((s) => (seconds > 0 ? s.windowFrames / seconds : Number.NaN));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const socket of this.sockets) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  private open(c: number): void {
    const state: CrowdClientState = {
      startedMs: Date.now(),
      connectedMs: null,
      refusals: 0,
      errors: 0,
      lastError: null,
      frames: 0,
      firstFrameMs: null,
      lastFrameMs: null,
      windowFrames: 0,
    };
    this.states[c] = state;
    const socket: CrowdSocket = io(this.options.url, {
      path: SOCKET_PATH,
      transports:
        this.options.transport === 'polling-first' ? ['polling', 'websocket'] : ['websocket'],
      auth: { token: this.options.token },
      forceNew: true,
      timeout: ATTEMPT_TIMEOUT_MS,
      // Transport failures (a refused or reset TCP connection) are retried by Socket.IO itself.
      reconnectionDelay: DEFAULT_RETRY_MS,
      reconnectionDelayMax: DEFAULT_RETRY_MS * 5,
    });
    this.sockets[c] = socket;
    socket.on('connect', () => {
      state.connectedMs = Date.now();
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      state.lastError = error.message;
      if (!isLoadRefusal(error)) {
        state.errors++;
        return;
      }
      state.refusals++;
      if (this.options.retryRefusals === false) return;
      // A refusal by the relay's middleware is not retried by Socket.IO: follow the relay's hint.
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        if (!this.closed) socket.connect();
      }, error.data.retryAfterMs);
      this.retryTimers.add(timer);
    });
    socket.on('positions', () => {
      const now = Date.now();
      state.frames++;
      state.windowFrames++;
      state.firstFrameMs ??= now;
      state.lastFrameMs = now;
    });
  }
}

/** Times one GET /healthz; resolves with its latency in ms, or NaN when it failed or timed out. */
export async function timeHealth(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  try {
    const response = await fetch(new URL('/healthz', url), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok ? performance.now() - started : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Polls /healthz back to back (one in flight at a time) until stopped; keeps every latency. */
export class HealthProbe {
  readonly latenciesMs: number[] = [];
  failures = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const ms = await timeHealth(this.url, this.timeoutMs);
        if (Number.isNaN(ms)) this.failures++;
        else this.latenciesMs.push(ms);
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
