/**
 * Admission control for sockets: at most so many handshakes in flight (a socket holds its slot
 * from its handshake until its first snapshot is sent) and at most so many clients.
 * Pure (randomness passed in), so it is tested without sockets.
 *
 * Why: each new socket costs a token check, an alert and interlock snapshot read from the store,
 * and a vehicle table of several MB to write out. 500 at once queued all of that at the same
 * moment; a refusal with a retry hint spreads the crowd over a few seconds instead.
 */
import type { SocketLoadReason } from '../../shared/socket-admission';

/** A refused handshake is told to come back after about this long, plus jitter of as much again. */
export const HANDSHAKE_RETRY_MS = 1_000;
/** A client refused because the relay is full waits longer: slots free only as others leave. */
export const FULL_RETRY_MS = 5_000;

/**
 * Bytes queued for all sockets together above which new sockets wait. Each new socket's snapshot
 * (the vehicle table: ~3 MB at 20,000 vehicles) is queued for it; long-polling clients have it
 * copied per socket when their poll is answered. 500 polling clients let in as fast as handshakes
 * finished took the relay past its 1 GB heap and it died (crowd probe, issue 14 §3).
 */
export const MAX_QUEUED_TOTAL_BYTES = 256 * 1024 * 1024;

export interface AdmissionLimits {
  maxClients: number;
  maxHandshakes: number;
  maxQueuedBytes?: number;
}

export type AdmissionDecision =
  { ok: true } | { ok: false; reason: SocketLoadReason; retryAfterMs: number };

export class Admission {
  private handshakes = 0;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly random: () => number = Math.random,
  ) {}

  get handshakesInFlight(): number {
    return this.handshakes;
  }

  /**
   * Takes a handshake slot, or says why not; `clients` counts sockets already connected and
   * `queuedBytes` what is queued for all of them.
   */
  admit(clients: number, queuedBytes = 0): AdmissionDecision {
    if (clients + this.handshakes >= this.limits.maxClients) {
      return { ok: false, reason: 'clients', retryAfterMs: this.jittered(FULL_RETRY_MS) };
    }
    if (queuedBytes > (this.limits.maxQueuedBytes ?? MAX_QUEUED_TOTAL_BYTES)) {
      return { ok: false, reason: 'backlog', retryAfterMs: this.jittered(HANDSHAKE_RETRY_MS) };
    }
    if (this.handshakes >= this.limits.maxHandshakes) {
      return { ok: false, reason: 'handshakes', retryAfterMs: this.jittered(HANDSHAKE_RETRY_MS) };
    }
    this.handshakes++;
    return { ok: true };
  }

  /** Gives a slot back (once per admitted handshake). */
  release(): void {
    if (this.handshakes > 0) this.handshakes--;
  }

  private jittered(baseMs: number): number {
    return Math.round(baseMs * (1 + this.random()));
  }
}
