/**
 * Per-client frame budgets. Position frames are broadcast once (one encode for every socket), but
 * each socket drains at its own pace: a client that stops reading would have every later frame
 * queued for it, and the relay's memory would grow with it. Before each broadcast the relay asks
 * the budget about each socket's backlog (bytes queued and not yet taken by the kernel):
 *
 * - over budget → the socket leaves the live room: the frames it would get are dropped, not queued;
 * - once such a socket has drained → it gets a fresh snapshot (table and key frame) and rejoins.
 *
 * - behind for longer than MAX_BEHIND_MS → disconnected: alert changes and health still go to
 *   it, and a client that never reads again must not hold them (it reconnects and catches up).
 *
 * A snapshot just sent counts on top of the budget until it has drained, so a client on a slow
 * link is not pushed out by its own snapshot. Pure: the backlog and the time are passed in.
 */

/** Bytes a live socket may have queued beyond its snapshot before it stops getting frames. */
export const FRAME_BUDGET_BYTES = 4 * 1024 * 1024;
/** A socket that fell behind gets its snapshot once its backlog is below this. */
export const DRAINED_BYTES = 64 * 1024;
/** A socket behind for this long without draining is disconnected. */
export const MAX_BEHIND_MS = 60_000;

export type BudgetVerdict =
  /** Send it this tick's frame. */
  | 'send'
  /** Over budget: take it out of the live room now. */
  | 'drop'
  /** Behind and not drained yet: nothing to do, its frames are being dropped. */
  | 'wait'
  /** Behind and drained: send a fresh snapshot, after which it is live again. */
  | 'resync'
  /** Behind for too long: disconnect it. */
  | 'evict';

export class FrameBudget<K> {
  /** Sockets taken out of the live room, waiting to drain. */
  private readonly behind = new Map<K, number>();
  /** Bytes of the snapshot last sent to a socket, while it has not drained. */
  private readonly snapshotBytes = new Map<K, number>();

  constructor(
    private readonly budgetBytes = FRAME_BUDGET_BYTES,
    private readonly drainedBytes = DRAINED_BYTES,
    private readonly maxBehindMs = MAX_BEHIND_MS,
  ) {}

  get behindCount(): number {
    return this.behind.size;
  }

  isBehind(key: K): boolean {
    return this.behind.has(key);
  }

  /** A snapshot of this many bytes was queued for the socket; it is live again. */
  snapshotSent(key: K, bytes: number): void {
    this.behind.delete(key);
    this.snapshotBytes.set(key, bytes);
  }

  /** What to do with a socket whose backlog is `queuedBytes` before this tick's frame. */
  check(key: K, queuedBytes: number, nowMs: number): BudgetVerdict {
    if (queuedBytes <= this.drainedBytes) this.snapshotBytes.delete(key);
    const behindSinceMs = this.behind.get(key);
    if (behindSinceMs !== undefined) {
      if (queuedBytes <= this.drainedBytes) return 'resync';
      return nowMs - behindSinceMs >= this.maxBehindMs ? 'evict' : 'wait';
    }
    if (queuedBytes > this.budgetBytes + (this.snapshotBytes.get(key) ?? 0)) {
      this.behind.set(key, nowMs);
      this.snapshotBytes.delete(key);
      return 'drop';
    }
    return 'send';
  }

  /** A resync was asked for: stop asking again until its snapshot is sent. */
  resyncRequested(key: K): void {
    this.behind.delete(key);
  }

  forget(key: K): void {
    this.behind.delete(key);
    this.snapshotBytes.delete(key);
  }
}
