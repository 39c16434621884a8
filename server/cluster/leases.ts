/**
 * Leases for work that must happen once among many relays (DESIGN §12): the TCS worker, the alert
 * escalation sweep, the interlock overdue check, retention. A lease is a row in `relay_lease`
 * (MariaDB); a relay takes or renews it with one conditional UPDATE — "mine, or expired" — on the
 * database's clock, so relays whose clocks drift apart still agree who holds it.
 *
 * Each relay tries every lease every RENEW_INTERVAL_MS. A holder that stops renewing (killed,
 * frozen, cut off from the database) loses the lease after LEASE_TTL_MS, and another relay takes
 * it at its next try: at most TTL + interval (13 s) after the crash. The holder itself stops the
 * work a safety margin before its lease could expire if it cannot renew, so two relays never both
 * believe they hold it (what slips through a frozen process is made harmless by the work's own
 * idempotency: the TCS idempotency key, version checks on every change).
 *
 * A relay that shuts down cleanly gives its leases back at once, so a rolling restart moves the
 * work within one interval. The embedded relay (SQLite) is always alone: it holds every lease.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema';

/** The work that runs under a lease, by name (the row's key; shown in /healthz). */
export const LEASE_NAMES = [
  'tcs-worker',
  'alert-sweeps',
  'interlock-overdue',
  'retention',
  /** Recording live frames for replay, and pruning them (server/replay/): one writer among many. */
  'replay-frames',
] as const;
export type LeaseName = (typeof LEASE_NAMES)[number];

/** A lease not renewed for this long is free for another relay. */
export const LEASE_TTL_MS = 10_000;
/** How often a relay renews what it holds and tries to take what is free. */
export const RENEW_INTERVAL_MS = 3_000;
/**
 * A holder that could not renew stops the work this long before its lease could expire
 * elsewhere: covers the renew statement's own travel time and a little clock jitter.
 */
export const LEASE_SAFETY_MS = 2_000;

export type LeaseListener = (name: LeaseName, held: boolean) => void;

/** How a lease is taken or renewed, and given back (one statement each). */
export interface LeaseStore {
  /** Takes or renews `name` for `holder` for `ttlMs`; true when `holder` holds it afterwards. */
  tryAcquire(name: LeaseName, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives `name` back if `holder` holds it. */
  release(name: LeaseName, holder: string): Promise<void>;
}

export interface LeaseState {
  held: boolean;
  /** Epoch ms (this relay's clock) after which the lease is no longer counted as held here. */
  validUntilMs: number;
  holder: string | null;
}

/** The MariaDB lease table. */
export function sqlLeaseStore(db: Kysely<Database>): LeaseStore {
  // The database's clock in epoch ms: one clock for every relay.
  const dbNowMs = sql<number>`CAST(ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS SIGNED)`;
  return {
    async tryAcquire(name, holder, ttlMs) {
      // The row exists once; a duplicate insert by another relay at the same moment is fine.
      await sql`INSERT IGNORE INTO relay_lease (name, holder, expires_at) VALUES (${name}, '', 0)`.execute(
        db,
      );
      const result = await db
        .updateTable('relay_lease')
        .set({ holder, expires_at: sql<number>`${dbNowMs} + ${ttlMs}` })
        .where('name', '=', name)
        .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', dbNowMs)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async release(name, holder) {
      await db
        .updateTable('relay_lease')
        .set({ expires_at: 0 })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .execute();
    },
  };
}

export interface LeaseManagerOptions {
  holder: string;
  /** null: the embedded relay, alone by design — every lease is held, nothing is stored. */
  store: LeaseStore | null;
  names?: readonly LeaseName[];
  ttlMs?: number;
  renewIntervalMs?: number;
  safetyMs?: number;
  now?: () => number;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}

export class LeaseManager {
  private readonly states = new Map<LeaseName, LeaseState>();
  private readonly listeners = new Set<LeaseListener>();
  private readonly names: readonly LeaseName[];
  private readonly ttlMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private expiryTimers = new Map<LeaseName, NodeJS.Timeout>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: LeaseManagerOptions) {
    this.names = options.names ?? LEASE_NAMES;
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.now = options.now ?? Date.now;
    for (const name of this.names) {
      this.states.set(name, {
        held: options.store === null,
        validUntilMs: options.store === null ? Number.POSITIVE_INFINITY : 0,
        holder: options.store === null ? options.holder : null,
      });
    }
  }

  get holder(): string {
    return this.options.holder;
  }

  /** Whether this relay holds `name` now (the embedded relay always does). */
  holds(name: LeaseName): boolean {
    const state = this.states.get(name);
    return state !== undefined && state.held && this.now() < state.validUntilMs;
  }

  /** name → held, for /healthz. */
  snapshot(): Record<LeaseName, boolean> {
    return Object.fromEntries(this.names.map((n) => [n, this.holds(n)])) as Record<
      LeaseName,
      boolean
    >;
  }

  /** Told when a lease is taken (true) or lost or given back (false); and at once for held ones. */
  onChange(listener: LeaseListener): () => void {
    this.listeners.add(listener);
    for (const name of this.names) if (this.holds(name)) listener(name, true);
    return () => this.listeners.delete(listener);
  }

  /** Tries every lease now, then every renew interval. */
  async start(): Promise<void> {
    if (this.options.store === null || this.timer) return;
    this.stopped = false;
    await this.round();
    this.timer = setInterval(
      () => void this.round(),
      this.options.renewIntervalMs ?? RENEW_INTERVAL_MS,
    );
    this.timer.unref();
  }

  /** Stops renewing and gives back what it holds (so another relay takes it at its next try). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    const store = this.options.store;
    if (store === null) return;
    for (const name of this.names) {
      clearTimeout(this.expiryTimers.get(name));
      if (!this.states.get(name)?.held) continue;
      this.set(name, { held: false, validUntilMs: 0, holder: null });
      await store.release(name, this.options.holder).catch((error: unknown) => {
        this.options.log.warn({ err: error, lease: name }, 'lease not given back: it expires');
      });
    }
  }

  /** One try at every lease (exposed for tests). */
  round(): Promise<void> {
    this.running ??= this.tryAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async tryAll(): Promise<void> {
    const store = this.options.store;
    if (store === null) return;
    for (const name of this.names) {
      if (this.stopped) return;
      const startedMs = this.now();
      let held: boolean;
      try {
        held = await store.tryAcquire(name, this.options.holder, this.ttlMs);
      } catch (error) {
        // The database is away: keep what we hold until the safety margin, then let go.
        if (this.states.get(name)?.held) {
          this.options.log.warn({ err: error, lease: name }, 'lease not renewed');
        }
        continue;
      }
      if (this.stopped) return;
      // Counted from before the statement was sent: the row's expiry is at least this late.
      const validUntilMs = startedMs + this.ttlMs - (this.options.safetyMs ?? LEASE_SAFETY_MS);
      this.set(
        name,
        held
          ? { held, validUntilMs, holder: this.options.holder }
          : { held, validUntilMs: 0, holder: null },
      );
    }
  }

  private set(name: LeaseName, next: LeaseState): void {
    const before = this.states.get(name);
    this.states.set(name, next);
    clearTimeout(this.expiryTimers.get(name));
    if (next.held && Number.isFinite(next.validUntilMs)) {
      // Not renewed in time: the work stops here, before another relay can take it.
      const timer = setTimeout(
        () => this.expire(name),
        Math.max(0, next.validUntilMs - this.now()),
      );
      timer.unref();
      this.expiryTimers.set(name, timer);
    }
    if (before?.held !== next.held) {
      this.options.log.info(
        { lease: name, holder: this.options.holder },
        next.held ? 'lease taken' : 'lease lost',
      );
      for (const listener of this.listeners) listener(name, next.held);
    }
  }

  private expire(name: LeaseName): void {
    const state = this.states.get(name);
    if (!state?.held) return;
    const leftMs = state.validUntilMs - this.now();
    if (leftMs > 0) {
      // A timer may fire a millisecond before the wall clock reaches its time (timers run on a
      // monotonic clock): wait out the rest, or the work would never stop.
      const timer = setTimeout(() => this.expire(name), leftMs);
      timer.unref();
      this.expiryTimers.set(name, timer);
      return;
    }
    this.set(name, { held: false, validUntilMs: 0, holder: null });
  }
}
