/**
 * Limits on people's commands (issue 14: one operator flooding 3,000 comments took the relay down).
 * Every alert command, over REST or a socket, is admitted here first:
 *
 * - per socket: a steady rate plus a burst, and at most a few commands waiting for their answer
 *   (what a flooding client can make the relay hold at once);
 * - per user, across all their sockets and REST calls: a higher rate plus a burst.
 *
 * A refusal is the relay's error shape with status 429 and code `rate_limited`, and says when to
 * try again; the socket stays connected. The counters live in a store chosen by configuration:
 * memory (one relay) or Redis (shared by every relay, so a user's limit holds whichever relay the
 * load balancer picks).
 */
import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../shared/errors';

/**
 * The largest message a client may send over its socket (Socket.IO's `maxHttpBufferSize`; bigger
 * ones close the connection before they are parsed). The largest legitimate one is a comment or a
 * note of 2,000 characters: at most 12 KB even with every character escaped in JSON.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

export interface CommandLimits {
  /** Commands one socket may send per second, steadily. */
  socketPerSecond: number;
  /** Extra commands one socket may send at once, on top of the rate, per BURST_WINDOW_S. */
  socketBurst: number;
  /** Commands one user may send per second over all their sockets and REST, steadily. */
  userPerSecond: number;
  /** Extra commands one user may send at once, per BURST_WINDOW_S. */
  userBurst: number;
  /** Commands one socket may have waiting for their answer; more are refused at once. */
  inFlightPerSocket: number;
}

/**
 * A person clicks a few times a second at most; a burst of about 20 covers a quick series of
 * actions (and a client catching up after a stall), the steady rates refuse a script.
 */
export const DEFAULT_COMMAND_LIMITS: Readonly<CommandLimits> = {
  socketPerSecond: 5,
  socketBurst: 15,
  userPerSecond: 10,
  userBurst: 30,
  inFlightPerSocket: 8,
};

/** The window in which a burst is spent and refilled. */
export const BURST_WINDOW_S = 10;
const RATE_WINDOW_S = 1;
/** A socket over its in-flight cap may try again about this much later. */
const IN_FLIGHT_RETRY_MS = 1000;
const MS_PER_S = 1000;

/** Where the counters live: this relay's memory, or Redis shared by every relay. */
export type LimiterStore = { kind: 'memory' } | { kind: 'redis'; client: Redis };
export const LIMITER_STORE_KINDS = [
  'memory',
  'redis',
] as const satisfies readonly LimiterStore['kind'][];
/** Keys in a shared Redis start with this, so they never meet another application's. */
const REDIS_KEY_PREFIX = 'bcr:limit';

/** The one place a limiter's store is chosen. */
export function createRateLimiter(
  store: LimiterStore,
  options: { keyPrefix: string; points: number; duration: number },
): RateLimiterAbstract {
  switch (store.kind) {
    case 'memory':
      return new RateLimiterMemory(options);
    case 'redis':
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `${REDIS_KEY_PREFIX}:${options.keyPrefix}`,
        storeClient: store.client,
        // Redis away: each relay counts on its own until it is back, rather than refusing (or
        // waiting on) every command of a control room in the middle of an incident.
        insuranceLimiter: new RateLimiterMemory(options),
      });
  }
}

/** A steady rate with a burst on top: the burst is drawn only once the rate is spent. */
function burstyLimiter(
  store: LimiterStore,
  name: string,
  perSecond: number,
  burst: number,
): BurstyRateLimiter {
  return new BurstyRateLimiter(
    createRateLimiter(store, { keyPrefix: name, points: perSecond, duration: RATE_WINDOW_S }),
    createRateLimiter(store, {
      keyPrefix: `${name}-burst`,
      points: burst,
      duration: BURST_WINDOW_S,
    }),
  );
}

export type CommandAdmission =
  | {
      ok: true;
      /** Call once the command is answered (frees its in-flight place). */ release(): void;
    }
  | { ok: false; error: ApiError; retryAfterMs: number };

export interface CommandSource {
  username: string;
  /** The socket the command came on; absent for REST. */
  socketId?: string;
}

export const RATE_LIMITED_STATUS = 429;

function refusal(message: string, retryAfterMs: number): CommandAdmission {
  return {
    ok: false,
    error: { status: RATE_LIMITED_STATUS, code: 'rate_limited', message },
    retryAfterMs,
  };
}

/** Whole seconds to wait, at least one (for messages and the Retry-After header). */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / MS_PER_S));

export class CommandLimiter {
  private readonly perSocket: BurstyRateLimiter;
  private readonly perUser: BurstyRateLimiter;
  /** Commands waiting for their answer, by socket id; a socket at zero has no entry. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly limits: Readonly<CommandLimits> = DEFAULT_COMMAND_LIMITS,
    store: LimiterStore = { kind: 'memory' },
  ) {
    this.perSocket = burstyLimiter(
      store,
      'command-socket',
      limits.socketPerSecond,
      limits.socketBurst,
    );
    this.perUser = burstyLimiter(store, 'command-user', limits.userPerSecond, limits.userBurst);
  }

  /** Commands of this socket waiting for their answer. */
  inFlightOf(socketId: string): number {
    return this.inFlight.get(socketId) ?? 0;
  }

  /**
   * Admits a command or refuses it (429 `rate_limited`). An admitted command from a socket holds
   * one of its in-flight places until `release`.
   */
  async admit(source: CommandSource): Promise<CommandAdmission> {
    const { socketId } = source;
    if (socketId !== undefined) {
      // Counted before the first await, so a burst arriving in one tick cannot overshoot the cap.
      const waiting = this.inFlightOf(socketId);
      if (waiting >= this.limits.inFlightPerSocket) {
        return refusal(
          `too many commands waiting for an answer on this connection (at most ${this.limits.inFlightPerSocket}): wait for them, then try again`,
          IN_FLIGHT_RETRY_MS,
        );
      }
      this.inFlight.set(socketId, waiting + 1);
    }
    let released = false;
    const release = () => {
      if (released || socketId === undefined) return;
      released = true;
      const left = this.inFlightOf(socketId) - 1;
      if (left > 0) this.inFlight.set(socketId, left);
      else this.inFlight.delete(socketId);
    };
    try {
      if (socketId !== undefined) await this.perSocket.consume(socketId);
      await this.perUser.consume(source.username);
    } catch (rejection) {
      release();
      // The limiter rejects with its result when the points are spent; anything else is a store
      // failure, which the caller answers as such.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const waitMs = rejection.msBeforeNext;
      return refusal(
        `too many commands: at most ${this.limits.socketPerSecond} a second per connection and ` +
          `${this.limits.userPerSecond} per user (after a burst); try again in ${retryAfterSeconds(waitMs)} s`,
        waitMs,
      );
    }
    return { ok: true, release };
  }
}

/**
 * A Fastify preHandler that admits a REST command through the limiter (after the permission check,
 * before the body is used): refused with 429 `rate_limited` and `Retry-After`. Every state-changing
 * route uses it — alert, violation and dispatch commands, unmasks — so no command path is unlimited.
 */
export function restCommandAdmission(limiter: () => CommandLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const username = request.user?.username;
    if (username === undefined) return;
    const admission = await limiter().admit({ username });
    if (admission.ok) return;
    await reply
      .code(admission.error.status)
      .header('Retry-After', String(retryAfterSeconds(admission.retryAfterMs)))
      .send({ error: { code: admission.error.code, message: admission.error.message } });
  };
}
