/**
 * The relay's link to Redis (REDIS_URL, many relays): the clients the Socket.IO Redis Streams
 * adapter and the shared rate limits use, and whether Redis answers.
 *
 * Redis is never on a client's critical path:
 * - The command client does not queue while Redis is away (`enableOfflineQueue: false`): a
 *   broadcast's XADD fails at once and the adapter still delivers to this relay's own clients
 *   (socket.io-adapter awaits the publish before its local broadcast — with a queue, every change
 *   would wait for Redis to return). Rate limits fall back to per-relay counting.
 * - The adapter's stream readers and its pub/sub client are duplicates that do queue and wait
 *   (`maxRetriesPerRequest: null`): with fail-fast readers its poll loop would spin on errors.
 *   They resume from their last stream offset when Redis returns; new entries of a restarted,
 *   empty Redis get later ids, so they are read too.
 * What crossed no relay while Redis was away is caught up from the store (the change feed's seq).
 */
import { Redis, type RedisOptions } from 'ioredis';

/** The longest pause between reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;
const RECONNECT_STEP_MS = 200;
/** A connect attempt without an answer for this long fails (and is retried). */
const CONNECT_TIMEOUT_MS = 2_000;

export interface RedisState {
  up: boolean;
  /** The last error while down (e.g. ECONNREFUSED), null while up. */
  reason: string | null;
  /** Epoch ms of the last change between up and down. */
  sinceMs: number;
}

export type RedisStateListener = (state: RedisState) => void;

const retryStrategy = (times: number) =>
  Math.min(times * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS);

export class RedisLink {
  /** Commands: fail fast while Redis is away. */
  readonly client: Redis;
  private readonly duplicates = new Set<Redis>();
  private current: RedisState;
  private lastError: string | null = null;
  private readonly listeners = new Set<RedisStateListener>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly now: () => number = Date.now,
  ) {
    this.current = { up: false, reason: 'connecting', sinceMs: now() };
    this.client = new Redis(
      url,
      this.options({ enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    );
    // The adapter duplicates the client it is given for its readers: those must wait, not fail.
    this.client.duplicate = () => this.duplicate();
    // The adapter sends server-side events with PUBLISH and drops the promise: while Redis is away
    // it rejects at once, and an unhandled rejection would end the relay. Marked handled here.
    const publish = this.client.publish.bind(this.client) as (
      ...args: unknown[]
    ) => Promise<number>;
    this.client.publish = ((...args: unknown[]) => {
      const sent = publish(...args);
      sent.catch(() => undefined);
      return sent;
    }) as Redis['publish'];
    this.client.on('ready', () => this.set(true, null));
    this.client.on('error', (error: Error & { code?: string }) => {
      this.lastError = error.code ?? error.message;
    });
    this.client.on('close', () => this.set(false, this.lastError ?? 'connection closed'));
  }

  state(): RedisState {
    return { ...this.current };
  }

  /** Told on every change between up and down. */
  onChange(listener: RedisStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when Redis answers, or after `timeoutMs` (false) — a relay starts either way. */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.current.up) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, timeoutMs);
      const stop = this.onChange((state) => {
        if (!state.up) return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of [this.client, ...this.duplicates]) client.disconnect();
    this.duplicates.clear();
  }

  private duplicate(): Redis {
    const copy = new Redis(this.url, this.options({ maxRetriesPerRequest: null }));
    copy.on('error', () => undefined); // state is read from the command client
    this.duplicates.add(copy);
    if (this.closed) copy.disconnect();
    return copy;
  }

  private options(overrides: RedisOptions): RedisOptions {
    return {
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy,
      // Never give up: a relay outlives any Redis outage.
      reconnectOnError: () => true,
      ...overrides,
    };
  }

  private set(up: boolean, reason: string | null): void {
    if (this.current.up === up && up) return;
    if (!up && !this.current.up && this.current.reason === reason) return;
    const changed = this.current.up !== up;
    this.current = { up, reason, sinceMs: changed ? this.now() : this.current.sinceMs };
    if (up) this.lastError = null;
    if (changed) for (const listener of this.listeners) listener(this.state());
  }
}
