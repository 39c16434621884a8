/**
 * The one change feed (DESIGN §11): every change to an entity the relay owns — alert, violation,
 * dispatch, and any new one — is written, ordered, delivered and caught up through here.
 *
 * Writing: `feed.transact(async (tx) => { …read, check the version, write…; await tx.audit(…) })`.
 * The change and its audit event commit in one transaction; the audit event's id is the change's
 * global seq. Transactions of one process run one at a time (a read-check-write cannot interleave
 * with another in this relay; between relays the version guards of the writes decide).
 *
 * Delivering: the feed reads the audit log after the last seq it delivered (`nudge()` after every
 * local commit, and a light poll every POLL_MS for what other relays commit on the same database),
 * loads each changed record as it is now, and tells `onChange` listeners — every change of every
 * relay, in seq order, unmasked. Ids are handed out when a transaction inserts its audit event,
 * not when it commits, so a smaller seq can become visible after a larger one: the feed never
 * delivers past a hole in the ids until it knows the hole was rolled back (MariaDB: a NOWAIT
 * locking read; SQLite has one writer, so it never has a running hole). The delivered stream is
 * therefore complete and in order, and "the highest seq seen" is a safe place to catch up from.
 *
 * Catching up: `catchUp(lastSeq, deliver)` runs between deliveries, so nothing falls between the
 * catch-up and the live stream: it hands `deliver` every record changed after `lastSeq` (or a full
 * snapshot, flagged, when there is no seq or the first missed change is older than the retention
 * window) up to the delivered seq; the caller subscribes the client inside `deliver`.
 *
 * API (the whole of it): `define`, `transact` (with `tx.audit`, `tx.remember`), `onChange`,
 * `catchUp`, `mask`, `visible`, `nudge`, `start`, `stop`, `drain`, `seq`.
 *
 * Records on delivery: a change this relay committed is sent with the record as that change left
 * it (`tx.remember`), so its clients see every step (requested → queued → sending → accepted); a
 * change another relay committed is sent with the record read at delivery, which may already
 * include later changes (each later change is delivered too; clients keep the highest version).
 *
 * Many relays: each relay's feed reads every committed change from the store and sends it to its
 * own sockets only (`io.local`), so changes need not cross a socket adapter; a message from another
 * relay ("I committed") only has to call `nudge()` to cut the poll's latency.
 *
 * A new entity type plugs in without copying anything:
 * 1. add its record type to `ChangeRecords` in shared/changes.ts and its name to
 *    AUDIT_ENTITY_TYPES (shared/audit.ts);
 * 2. in its service, `feed.define('thing', { load, snapshot, mask })`: read records by id, the
 *    records a client starts from, and what a role may see of one;
 * 3. write every change inside `feed.transact` with `tx.audit({ entityType: 'thing', … })`.
 * The socket message, ordering, catch-up, snapshot and the client's handler come with it. (A new
 * kind of alert — the pipeline-health system alerts — is an alert: nothing to do at all.)
 */
import { sql, type Kysely } from 'kysely';
import type { AuditAction } from '../../shared/audit';
import type { Change, ChangeCatchUp, ChangeEntity, ChangeRecords } from '../../shared/changes';
import type { StoreKind } from '../../shared/events';
import type { Role } from '../../shared/roles';
import {
  catchUpKind,
  contiguousRun,
  latestPerRecord,
  type SeqGap,
} from '../domain/change-sequence';
import { appendAudit, type AuditRecord } from '../store/audit-repository';
import {
  changedRecordsBetween,
  firstEventAfter,
  headSeq,
  lastSeqOfRecords,
  probeGap,
  readEventsAfter,
  type AuditChangeEvent,
} from '../store/change-repository';
import type { Database } from '../store/schema';

/** How often the audit log is read for changes other relays committed (local ones nudge it). */
export const CHANGE_POLL_MS = 250;
/**
 * A client away longer than this (its first missed change older) gets a full snapshot instead of
 * every change since: the same day the alert snapshot keeps resolved alerts for.
 */
export const CHANGE_RETENTION_MS = 24 * 60 * 60_000;
/** Audit events read per step. */
const READ_BATCH = 1000;
/**
 * A hole in the ids is looked into only once it is this old: an id is taken a moment before its
 * row exists, and in that moment it looks rolled back.
 */
const GAP_GRACE_MS = 100;
/** While a hole's transaction runs, it is looked at again this often. */
const GAP_RECHECK_MS = 25;
/** A hole held longer than this is logged (deliveries wait behind it). */
const GAP_WARN_MS = 10_000;
/** Audit events that record a read, not a change: nothing to send for them. */
const READ_ACTIONS: readonly AuditAction[] = ['pii.unmask', 'alert.photo', 'export.csv'];

type AnyRecord = ChangeRecords[ChangeEntity];

/** What the feed needs to know about an entity type (see the header). */
export interface ChangeEntityDefinition<E extends ChangeEntity> {
  /** The records with these ids as they are now, unmasked; missing ones are left out. */
  load(db: Kysely<Database>, ids: readonly number[]): Promise<ChangeRecords[E][]>;
  /** What a client without a usable seq starts from (duplicates are dropped by the feed). */
  snapshot(db: Kysely<Database>, nowMs: number): Promise<ChangeRecords[E][]>;
  /** The record as `role` may see it. */
  mask(record: ChangeRecords[E], role: Role): ChangeRecords[E];
  /** Whether `role` sees this entity at all (default: every role). */
  visibleTo?: (role: Role) => boolean;
}

/** The transaction a change is written in. */
export interface ChangeTransaction {
  /** Every read and write of the change goes through this (the transaction). */
  readonly db: Kysely<Database>;
  /** Writes the change's audit event in this transaction; returns its seq. */
  audit(event: AuditRecord & { entityType: ChangeEntity }): Promise<number>;
  /**
   * The record as the change with this seq left it: delivered as is once committed (saves a read,
   * and keeps each step). Optional: without it the record is read at delivery.
   */
  remember(change: Change): void;
}

export type ChangeListener = (change: Change) => void;

/**
 * A record's version moved between a command's read and its conditional write: another relay (or
 * a worker of this one) changed it first. Thrown inside `transact` to roll the change back; the
 * service answers it as 409 `stale_version` or tries again.
 */
export class ConcurrentChangeError extends Error {}

export interface ChangeFeedOptions {
  db: Kysely<Database>;
  kind: StoreKind;
  pollMs?: number;
  retentionMs?: number;
  log?: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  now?: () => number;
}

export class ChangeFeed {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;
  private readonly definitions = new Map<ChangeEntity, ChangeEntityDefinition<ChangeEntity>>();
  private readonly listeners = new Set<ChangeListener>();
  /** One writer per process. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Deliveries and catch-ups, one at a time. */
  private pump: Promise<unknown> = Promise.resolve();
  private delivered = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private pollQueued = false;
  private readFailing = false;
  private gapSeen: { from: number; sinceMs: number; warned: boolean } | null = null;
  /** Committed, not yet delivered records of this relay's changes, by seq. */
  private readonly remembered = new Map<number, Change>();

  constructor(private readonly options: ChangeFeedOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
  }

  /** Every change up to this seq has been delivered (or was rolled back). */
  get seq(): number {
    return this.delivered;
  }

  define<E extends ChangeEntity>(entity: E, definition: ChangeEntityDefinition<E>): void {
    if (this.definitions.has(entity)) throw new Error(`change entity ${entity} defined twice`);
    this.definitions.set(entity, definition as unknown as ChangeEntityDefinition<ChangeEntity>);
  }

  /**
   * Runs `work` in one transaction (after this process's earlier ones); its audit events are the
   * changes' seqs. Delivery follows the commit.
   */
  transact<T>(work: (tx: ChangeTransaction) => Promise<T>): Promise<T> {
    const run = this.writes.then(async () => {
      const kept: Change[] = [];
      const result = await this.inTransaction((trx) =>
        work({
          db: trx,
          audit: (event) => appendAudit(trx, event),
          remember: (change) => void kept.push(change),
        }),
      );
      // Committed: worth keeping only if it is not delivered yet (a read may have been faster).
      if (this.running) {
        for (const change of kept) {
          if (change.seq > this.delivered) this.remembered.set(change.seq, change);
        }
      }
      return result;
    });
    // One failed change must not block the ones after it.
    this.writes = run.catch(() => undefined);
    return run.finally(() => this.nudge());
  }

  /** Called with every change (of every relay on this store) in seq order, unmasked. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The change as `role` may see it. */
  mask(change: Change, role: Role): Change {
    const definition = this.definitions.get(change.entity);
    if (!definition) return change;
    return { ...change, record: definition.mask(change.record, role) } as Change;
  }

  visible(entity: ChangeEntity, role: Role): boolean {
    return this.definitions.get(entity)?.visibleTo?.(role) ?? true;
  }

  /**
   * Hands `deliver` what a client with `lastSeq` missed (or a full snapshot), unmasked, between
   * two deliveries: subscribe the client to `onChange`'s stream inside `deliver` and it misses
   * nothing and gets nothing twice.
   */
  catchUp(lastSeq: number | null, deliver: (catchUp: ChangeCatchUp) => void): Promise<void> {
    return this.onPump(async () => {
      await this.deliverAvailable();
      const watermark = this.delivered;
      const nowMs = this.now();
      const firstMissed =
        lastSeq === null || lastSeq >= watermark ? null : await firstEventAfter(this.db, lastSeq);
      const kind = catchUpKind({
        afterSeq: lastSeq,
        watermark,
        firstMissed,
        nowMs,
        retentionMs: this.options.retentionMs ?? CHANGE_RETENTION_MS,
      });
      let changes: Change[] = [];
      if (kind === 'changes') changes = await this.changedBetween(lastSeq ?? 0, watermark);
      else if (kind === 'full') changes = await this.snapshot(watermark, nowMs);
      deliver({ full: kind === 'full', changes, seq: watermark });
    });
  }

  /** Something was committed (here, or another relay says so): read the log now. */
  nudge(): void {
    if (!this.running || this.pollQueued) return;
    this.pollQueued = true;
    setImmediate(() => {
      this.pollQueued = false;
      void this.onPump(() => this.deliverAvailable()).then(
        () => {
          if (this.readFailing) this.options.log?.warn({}, 'change feed reads the store again');
          this.readFailing = false;
        },
        (error: unknown) => {
          // Once per outage, not once per poll: the store's own health reports the rest.
          if (!this.readFailing) this.options.log?.error({ err: error }, 'change feed read failed');
          this.readFailing = true;
        },
      );
    });
  }

  /** Starts delivering from the store's newest seq (what came before is catch-up). */
  async start(): Promise<void> {
    if (this.running) return;
    this.delivered = await headSeq(this.db);
    this.running = true;
    this.timer = setInterval(() => this.nudge(), this.options.pollMs ?? CHANGE_POLL_MS);
  }

  /** Waits for this process's writes and delivers everything committed so far. */
  async drain(): Promise<void> {
    await this.writes;
    if (this.running) await this.onPump(() => this.deliverAvailable());
  }

  async stop(): Promise<void> {
    // A store already gone at shutdown must not fail the close: the clients catch up elsewhere.
    await this.drain().catch(() => undefined);
    this.running = false;
    clearInterval(this.timer);
    clearTimeout(this.recheckTimer);
    await this.pump;
  }

  /**
   * SQLite: BEGIN IMMEDIATE. A deferred transaction that reads first (is this detection known?)
   * and writes after fails at once with "database is locked" when another connection (the seed
   * writer's worker thread) wrote in between; taking the write lock first waits (busy_timeout).
   */
  private inTransaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.options.kind !== 'sqlite') return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  private onPump<T>(task: () => Promise<T>): Promise<T> {
    const run = this.pump.then(task);
    this.pump = run.catch(() => undefined);
    return run;
  }

  /** Delivers what is committed after the delivered seq, up to the first running hole. */
  private async deliverAvailable(): Promise<void> {
    for (;;) {
      const events = await readEventsAfter(this.db, this.delivered, READ_BATCH);
      if (events.length === 0) {
        this.gapSeen = null;
        return;
      }
      const { count, gap } = contiguousRun(
        this.delivered,
        events.map((e) => e.seq),
      );
      if (count > 0) {
        await this.deliver(events.slice(0, count));
        this.delivered = events[count - 1]!.seq;
        for (const seq of this.remembered.keys())
          if (seq <= this.delivered) this.remembered.delete(seq);
      }
      if (gap) {
        const verdict = await this.lookInto(gap);
        if (verdict === 'running') return;
        if (verdict === 'empty') this.delivered = gap.to;
        continue; // committed meanwhile, or skipped: read on
      }
      if (events.length < READ_BATCH) return;
    }
  }

  private async lookInto(gap: SeqGap): Promise<'running' | 'committed' | 'empty'> {
    const nowMs = Date.now();
    if (this.gapSeen?.from !== gap.from)
      this.gapSeen = { from: gap.from, sinceMs: nowMs, warned: false };
    const seen = this.gapSeen;
    const verdict =
      nowMs - seen.sinceMs < GAP_GRACE_MS
        ? 'running'
        : await probeGap(this.db, this.options.kind, gap);
    if (verdict !== 'running') {
      this.gapSeen = null;
      return verdict;
    }
    if (!seen.warned && nowMs - seen.sinceMs > GAP_WARN_MS) {
      seen.warned = true;
      this.options.log?.warn({ gap }, 'changes wait for a transaction that has not committed');
    }
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => this.nudge(), GAP_RECHECK_MS);
    return 'running';
  }

  private async deliver(events: readonly AuditChangeEvent[]): Promise<void> {
    const relevant = events.filter(
      (e) =>
        this.definitions.has(e.entity as ChangeEntity) &&
        !(READ_ACTIONS as readonly string[]).includes(e.action),
    );
    const kept = relevant.flatMap((e) => {
      const change = this.remembered.get(e.seq);
      return change ? [change] : [];
    });
    const read = await this.load(
      latestPerRecord(relevant.filter((e) => !this.remembered.has(e.seq))),
    );
    const changes = [...kept, ...read].sort((a, b) => a.seq - b.seq);
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.options.log?.error({ err: error }, 'change listener failed');
        }
      }
    }
  }

  /** The records of these events as they are now, as changes in the events' seq order. */
  private async load(
    events: readonly { seq: number; entity: string; entityId: string }[],
  ): Promise<Change[]> {
    const byEntity = new Map<ChangeEntity, number[]>();
    for (const e of events) {
      const ids = byEntity.get(e.entity as ChangeEntity) ?? [];
      ids.push(Number(e.entityId));
      byEntity.set(e.entity as ChangeEntity, ids);
    }
    const records = new Map<string, AnyRecord>();
    for (const [entity, ids] of byEntity) {
      const definition = this.definitions.get(entity);
      if (!definition) continue;
      for (const record of await definition.load(this.db, ids)) {
        records.set(`${entity}:${record.id}`, record);
      }
    }
    const changes: Change[] = [];
    for (const e of events) {
      const record = records.get(`${e.entity}:${Number(e.entityId)}`);
      if (record) changes.push({ entity: e.entity, record, seq: e.seq } as Change);
    }
    return changes;
  }

  private async changedBetween(afterSeq: number, upTo: number): Promise<Change[]> {
    const events = await changedRecordsBetween(
      this.db,
      afterSeq,
      upTo,
      [...this.definitions.keys()],
      READ_ACTIONS,
    );
    return this.load(events);
  }

  private async snapshot(upTo: number, nowMs: number): Promise<Change[]> {
    const changes: Change[] = [];
    for (const [entity, definition] of this.definitions) {
      const byId = new Map<number, AnyRecord>();
      for (const record of await definition.snapshot(this.db, nowMs)) byId.set(record.id, record);
      const seqs = await lastSeqOfRecords(this.db, entity, [...byId.keys()].map(String), upTo);
      for (const [id, record] of byId) {
        changes.push({ entity, record, seq: seqs.get(String(id)) ?? 0 } as Change);
      }
    }
    return changes.sort((a, b) => a.seq - b.seq);
  }
}
