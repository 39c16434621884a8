/**
 * TCS hand-offs on the relay: people's commands (request, approve, retry, take over) and the
 * worker that sends approved hand-offs to TCS, each change through the pure state machine
 * (server/domain/tcs-dispatch.ts), version-guarded and written through the change feed
 * (server/changes/change-feed.ts), which audits, delivers and catches clients up.
 *
 * The state lives in the store, so a restarted relay carries on where it stopped: an attempt that
 * was in flight when it stopped is found in `sending` once it must have timed out, and is sent
 * again with the same idempotency key (TCS answers with the case it may have filed already).
 *
 * Changes are feed transactions; the HTTP attempt itself runs outside them, so a slow TCS never
 * holds up a person's command. Several relays on one database stay safe because
 * every write names the version it was made against.
 */
import type { Kysely } from 'kysely';
import type { AuditAction } from '../../shared/audit';
import { SYSTEM_ACTOR } from '../../shared/audit';
import {
  dispatchVersionSchema,
  MAX_ATTEMPT_LOG,
  PENDING_DISPATCH_STATES,
  requestDispatchSchema,
  takeoverSchema,
  type Dispatch,
  type DispatchAttempt,
  type DispatchListQuery,
  type DispatchStats,
  type RequestDispatchResponse,
  type TcsStatus,
} from '../../shared/interlock';
import {
  ConcurrentChangeError,
  type ChangeFeed,
  type ChangeTransaction,
} from '../changes/change-feed';
import type { FollowedDispatch } from '../domain/alert-follows-dispatch';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import { authorize, type Actor } from '../domain/permissions';
import {
  CircuitBreaker,
  dispatchStats,
  newDispatch,
  transition,
  violationStatusFor,
  type DispatchPolicy,
  type DispatchTransition,
} from '../domain/tcs-dispatch';
import { violationAuditView } from '../interlock/interlock-service';
import {
  countDispatchOutcomes,
  findDispatch,
  findDispatches,
  findDispatchOfViolation,
  insertAttempt,
  insertDispatch,
  listDispatches,
  listDueDispatches,
  listStaleSending,
  updateDispatch,
} from '../store/dispatch-repository';
import { findViolation, updateViolationStatus } from '../store/interlock-repository';
import type { Database } from '../store/schema';
import { caseBodyOf, type TcsAttemptResult, type TcsClient } from './tcs-client';

/** How often the worker looks for due hand-offs (approvals and retries also wake it at once). */
export const WORKER_POLL_MS = 1000;
/** Attempts per worker run at most, so one run never monopolises the event loop. */
const MAX_ATTEMPTS_PER_RUN = 20;
/** A `sending` row this much past its time-out belongs to an attempt that will never report. */
const STALE_SENDING_GRACE_MS = 2000;
/** A snapshot holds the newest this many hand-offs, plus every unfinished one. */
export const SNAPSHOT_NEWEST_DISPATCHES = 200;
const SNAPSHOT_UNFINISHED_MAX = 5000;

const SYSTEM = { username: SYSTEM_ACTOR, role: 'system' as const };
type ChangeActor = { username: string; role: Actor['role'] | 'system' };

export interface DispatchServiceOptions {
  db: Kysely<Database>;
  /** Every change is written through it; the service defines the `dispatch` entity on it. */
  feed: ChangeFeed;
  policy: DispatchPolicy;
  /** null without TCS_URL: approved hand-offs wait in `queued`. */
  client: TcsClient | null;
  breaker: CircuitBreaker;
  /** The client's time-out: a `sending` row older than this (plus a grace) is stale. */
  timeoutMs: number;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
    error: (obj: object, msg: string) => void;
  };
  onAttempt?: (outcome: DispatchAttempt['outcome']) => void;
  /**
   * The inbox: a violation's INTERLOCK alert follows every change of its hand-off, in the same
   * transaction (absent in tests of the hand-off alone).
   */
  alerts?: AlertFollower;
  /** Many relays: whether this one sends now (holds the TCS lease); absent, always. */
  mayWork?: () => boolean;
  random?: () => number;
  now?: () => number;
}

/** What the hand-off needs of the inbox (server/alerts/alert-service.ts implements it). */
export interface AlertFollower {
  followDispatch(
    tx: ChangeTransaction,
    alertId: number,
    dispatch: FollowedDispatch,
    nowMs: number,
  ): Promise<unknown>;
}

const TRANSITION_AUDIT: Readonly<Record<DispatchTransition['type'], AuditAction>> = {
  approve: 'dispatch.approve',
  claim: 'dispatch.send',
  accepted: 'dispatch.accept',
  rejected: 'dispatch.reject',
  failed: 'dispatch.fail',
  interrupted: 'dispatch.interrupt',
  retry: 'dispatch.retry',
  takeover: 'dispatch.takeover',
};

/** What an audit event keeps of a hand-off (the attempt log has its own table). */
function dispatchAuditView(d: Dispatch) {
  const { attemptLog: _log, ...view } = d;
  return view;
}

export class DispatchService {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: DispatchServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    options.feed.define('dispatch', {
      load: (db, ids) => findDispatches(db, ids),
      snapshot: async (db) => [
        ...(await listDispatches(db, { limit: SNAPSHOT_NEWEST_DISPATCHES })),
        ...(
          await listDispatches(db, {
            state: [...PENDING_DISPATCH_STATES, 'rejected', 'manual'],
            limit: SNAPSHOT_UNFINISHED_MAX,
          })
        ).filter((d) => PENDING_DISPATCH_STATES.includes(d.state) || d.awaitingPerson),
      ],
      // A hand-off carries no personal data (the violation's is masked on its own).
      mask: (dispatch) => dispatch,
    });
  }

  status(): TcsStatus {
    return {
      configured: this.options.client !== null,
      breaker: this.options.breaker.state(this.now()),
    };
  }

  async stats(): Promise<DispatchStats> {
    return dispatchStats(await countDispatchOutcomes(this.db), this.status());
  }

  get(id: number): Promise<Dispatch | undefined> {
    return findDispatch(this.db, id);
  }

  list(query: DispatchListQuery): Promise<Dispatch[]> {
    return listDispatches(this.db, query);
  }

  // ── People's commands ────────────────────────────────────────────────────────────────────────

  /**
   * An operator asks for a major violation to go to TCS. One hand-off per violation: a second
   * request is 409 (the existing one is named), as is a minor or already handled violation.
   */
  async request(
    actor: Actor,
    violationId: number,
    body: unknown,
  ): Promise<Outcome<RequestDispatchResponse>> {
    const refused = authorize(actor.role, 'dispatch.request');
    if (refused) return { ok: false, error: refused };
    const parsed = requestDispatchSchema.safeParse(body ?? {});
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const command = parsed.data;
    try {
      return await this.options.feed.transact(
        async (tx): Promise<Outcome<RequestDispatchResponse>> => {
          const nowMs = this.now();
          const stored = await findViolation(tx.db, violationId);
          if (!stored) return fail(HTTP.notFound, 'not_found', `no violation ${violationId}`);
          const violation = stored.violation;
          if (command.version !== undefined && command.version !== violation.version) {
            return fail(
              HTTP.conflict,
              'stale_version',
              `violation ${violationId} is at version ${violation.version}, not ${command.version}: reload and try again`,
            );
          }
          if (violation.grade !== 'major') {
            return fail(
              HTTP.conflict,
              'illegal_transition',
              `violation ${violationId} is minor (monitoring): only major violations go to TCS`,
            );
          }
          const existing = await findDispatchOfViolation(tx.db, violationId);
          if (existing) {
            return fail(
              HTTP.conflict,
              'conflict',
              `violation ${violationId} has dispatch ${existing.id} already (${existing.state})`,
            );
          }
          if (violation.status !== 'open') {
            return fail(
              HTTP.conflict,
              'illegal_transition',
              `violation ${violationId} is ${violation.status}, not open`,
            );
          }
          const draft = newDispatch({
            violationId,
            violationSourceKey: stored.sourceKey,
            requestedBy: actor.username,
            note: command.note ? command.note : null,
            policy: this.options.policy,
            nowMs,
          });
          let id: number;
          try {
            id = await insertDispatch(tx.db, draft);
          } catch {
            // The unique violation_id: another relay asked at the same moment.
            throw new ConcurrentChangeError();
          }
          const dispatch = { ...draft, id };
          const seq = await tx.audit({
            atMs: nowMs,
            actor: actor.username,
            actorRole: actor.role,
            action: 'dispatch.request',
            entityType: 'dispatch',
            entityId: String(id),
            after: { ...dispatchAuditView(dispatch), violationId },
          });
          tx.remember({ entity: 'dispatch', record: dispatch, seq });
          await this.moveViolation(tx, dispatch, actor, nowMs);
          await this.moveAlert(tx, dispatch, violation.alertId, nowMs);
          const after = await findViolation(tx.db, violationId);
          return ok({ dispatch, violation: after?.violation ?? violation });
        },
      );
    } catch (error) {
      if (error instanceof ConcurrentChangeError) {
        return fail(
          HTTP.conflict,
          'conflict',
          `violation ${violationId} was changed at the same time: reload and try again`,
        );
      }
      throw error;
    }
  }

  /**
   * A supervisor approves a requested hand-off; the worker sends it at once. A second approval
   * is 409 (naming who approved): approving is a decision, and a silent no-op would hide that
   * someone else made it.
   */
  async approve(actor: Actor, id: number, body: unknown): Promise<Outcome<Dispatch>> {
    const refused = authorize(actor.role, 'dispatch.approve');
    if (refused) return { ok: false, error: refused };
    const parsed = dispatchVersionSchema.safeParse(body ?? {});
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const result = await this.command(id, parsed.data.version, actor, {
      type: 'approve',
      by: actor.username,
    });
    if (result.ok) this.kick();
    return result;
  }

  /** Sends a waiting, rejected or exhausted hand-off again now (a new round of attempts). */
  async retry(actor: Actor, id: number, body: unknown): Promise<Outcome<Dispatch>> {
    const refused = authorize(actor.role, 'dispatch.approve');
    if (refused) return { ok: false, error: refused };
    const parsed = dispatchVersionSchema.safeParse(body ?? {});
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const result = await this.command(id, parsed.data.version, actor, {
      type: 'retry',
      by: actor.username,
    });
    if (result.ok) this.kick();
    return result;
  }

  /** A person takes the hand-off over and records what became of it. */
  async takeover(actor: Actor, id: number, body: unknown): Promise<Outcome<Dispatch>> {
    const refused = authorize(actor.role, 'dispatch.approve');
    if (refused) return { ok: false, error: refused };
    const parsed = takeoverSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const c = parsed.data;
    return this.command(id, c.version, actor, {
      type: 'takeover',
      by: actor.username,
      outcome: c.outcome,
      caseNumber: c.caseNumber ?? null,
      note: c.note,
    });
  }

  private async command(
    id: number,
    version: number | undefined,
    actor: Actor,
    t: DispatchTransition,
  ): Promise<Outcome<Dispatch>> {
    try {
      return await this.options.feed.transact(async (tx): Promise<Outcome<Dispatch>> => {
        const current = await findDispatch(tx.db, id);
        if (!current) return fail<Dispatch>(HTTP.notFound, 'not_found', `no dispatch ${id}`);
        if (version !== undefined && version !== current.version) {
          return fail<Dispatch>(
            HTTP.conflict,
            'stale_version',
            `dispatch ${id} is at version ${current.version}, not ${version}: reload and try again`,
          );
        }
        return ok(await this.change(tx, current, t, actor, this.now()));
      });
    } catch (error) {
      if (error instanceof RefusedTransition) return { ok: false, error: error.refusal };
      if (error instanceof ConcurrentChangeError) {
        return fail<Dispatch>(
          HTTP.conflict,
          'stale_version',
          `dispatch ${id} was changed at the same time: reload and try again`,
        );
      }
      throw error;
    }
  }

  /**
   * Applies one transition in the caller's feed transaction: the hand-off, its audit event, the
   * violation's status (when it follows), and the attempt record.
   */
  private async change(
    tx: ChangeTransaction,
    current: Dispatch,
    t: DispatchTransition,
    actor: ChangeActor,
    nowMs: number,
    attempt?: DispatchAttempt,
  ): Promise<Dispatch> {
    const outcome = transition(current, t, this.options.policy, nowMs);
    if (!outcome.ok) throw new RefusedTransition(outcome.error);
    const next = attempt
      ? { ...outcome.value, attemptLog: [...current.attemptLog, attempt].slice(-MAX_ATTEMPT_LOG) }
      : outcome.value;
    if (!(await updateDispatch(tx.db, next, current.version))) throw new ConcurrentChangeError();
    if (attempt) await insertAttempt(tx.db, current.id, attempt);
    const extra: Record<string, unknown> = {};
    if (t.type === 'takeover') extra.note = t.note;
    if (attempt) extra.attempt = attempt;
    const seq = await tx.audit({
      atMs: nowMs,
      actor: actor.username,
      actorRole: actor.role,
      action: TRANSITION_AUDIT[t.type],
      entityType: 'dispatch',
      entityId: String(current.id),
      before: dispatchAuditView(current),
      after: { ...dispatchAuditView(next), ...extra },
    });
    tx.remember({ entity: 'dispatch', record: next, seq });
    const violation = await this.moveViolation(tx, next, actor, nowMs);
    await this.moveAlert(tx, next, violation?.alertId ?? null, nowMs);
    return next;
  }

  /** Moves the violation's INTERLOCK alert along with its hand-off (a change by `system`). */
  private async moveAlert(
    tx: ChangeTransaction,
    d: Dispatch,
    alertId: number | null,
    nowMs: number,
  ): Promise<void> {
    if (alertId === null || !this.options.alerts) return;
    await this.options.alerts.followDispatch(tx, alertId, d, nowMs);
  }

  /** Moves the violation's status along with its hand-off; returns the violation as it now is. */
  private async moveViolation(
    tx: ChangeTransaction,
    d: Dispatch,
    actor: ChangeActor,
    nowMs: number,
  ): Promise<{ alertId: number | null } | null> {
    const stored = await findViolation(tx.db, d.violationId);
    if (!stored) return null;
    const before = stored.violation;
    const status = violationStatusFor(d);
    if (before.status === status) return before;
    if (!(await updateViolationStatus(tx.db, before.id, status, before.version, nowMs))) {
      throw new ConcurrentChangeError();
    }
    const seq = await tx.audit({
      atMs: nowMs,
      actor: actor.username,
      actorRole: actor.role,
      action: 'violation.status',
      entityType: 'violation',
      entityId: String(before.id),
      before: violationAuditView(before),
      after: {
        ...violationAuditView({ ...before, status, version: before.version + 1 }),
        dispatchId: d.id,
      },
    });
    const moved = await findViolation(tx.db, before.id);
    if (moved) tx.remember({ entity: 'violation', record: moved.violation, seq });
    return moved?.violation ?? before;
  }

  // ── The worker ───────────────────────────────────────────────────────────────────────────────

  /** Starts polling for due hand-offs (no-op without a TCS client). */
  start(): void {
    if (!this.options.client || this.timer) return;
    this.timer = setInterval(() => this.kick(), WORKER_POLL_MS);
    this.kick();
  }

  /** Stops the worker: an attempt in flight is cancelled and recorded as interrupted. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.running;
    await this.options.feed.drain();
  }

  /** Runs the worker now (or right after the run under way). */
  kick(): void {
    if (!this.options.client || this.stopping || this.options.mayWork?.() === false) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.runOnce()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'TCS worker run failed'))
      .finally(() => {
        this.running = null;
        if (this.rerun && !this.stopping) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  /** One pass: recover attempts that never reported, then send what is due. */
  async runOnce(): Promise<void> {
    const client = this.options.client;
    if (!client) return;
    await this.recoverStale();
    for (
      let i = 0;
      i < MAX_ATTEMPTS_PER_RUN && !this.stopping && this.options.mayWork?.() !== false;
      i++
    ) {
      const nowMs = this.now();
      const [due] = await listDueDispatches(this.db, nowMs, 1);
      if (!due) return;
      // While TCS is considered down nothing is sent; the hand-offs keep their attempts.
      if (!this.options.breaker.tryAcquire(nowMs)) return;
      const claimed = await this.workerChange(due.id, { type: 'claim' });
      if (!claimed) {
        this.options.breaker.release();
        continue;
      }
      await this.attempt(client, claimed);
    }
  }

  private async attempt(client: TcsClient, claimed: Dispatch): Promise<void> {
    const startedMs = this.now();
    const stored = await findViolation(this.db, claimed.violationId);
    let result: TcsAttemptResult;
    if (!stored) {
      result = {
        httpStatus: null,
        durationMs: 0,
        answer: { kind: 'rejected', error: `violation ${claimed.violationId} is gone` },
      };
    } else {
      result = await client.fileCase(caseBodyOf(stored.violation, claimed), this.abort.signal);
    }
    const { answer } = result;
    const breaker = this.options.breaker;
    let t: DispatchTransition;
    let outcome: DispatchAttempt['outcome'];
    switch (answer.kind) {
      case 'accepted':
        breaker.recordSuccess();
        t = { type: 'accepted', caseNumber: answer.caseNumber, httpStatus: result.httpStatus ?? 0 };
        outcome = 'accepted';
        break;
      case 'rejected':
        // TCS answered: it is up, whatever it thought of this case.
        breaker.recordSuccess();
        t = { type: 'rejected', error: answer.error, httpStatus: result.httpStatus };
        outcome = 'rejected';
        break;
      case 'retryable':
        breaker.recordFailure(this.now());
        t = {
          type: 'failed',
          error: answer.error,
          httpStatus: result.httpStatus,
          random: this.random(),
        };
        outcome = 'failed';
        break;
      case 'aborted':
        breaker.release();
        t = { type: 'interrupted', error: answer.error };
        outcome = 'interrupted';
        break;
    }
    const attempt: DispatchAttempt = {
      attemptNo: claimed.attempts,
      startedMs,
      durationMs: result.durationMs,
      httpStatus: result.httpStatus,
      outcome,
      error: answer.kind === 'accepted' ? null : answer.error,
      caseNumber: answer.kind === 'accepted' ? answer.caseNumber : null,
    };
    this.options.onAttempt?.(outcome);
    const saved = await this.workerChange(claimed.id, t, attempt);
    const log = outcome === 'accepted' ? this.options.log.info : this.options.log.warn;
    log.call(
      this.options.log,
      {
        dispatch: claimed.id,
        attempt: claimed.attempts,
        outcome,
        httpStatus: result.httpStatus,
        error: attempt.error,
        state: saved?.state,
      },
      'TCS attempt',
    );
  }

  /** An attempt left in `sending` by a relay that stopped or crashed: send it again now. */
  private async recoverStale(): Promise<void> {
    const olderThan = this.now() - this.options.timeoutMs - STALE_SENDING_GRACE_MS;
    for (const stale of await listStaleSending(this.db, olderThan)) {
      const error = 'the relay stopped during this attempt; sending again with the same key';
      const saved = await this.workerChange(
        stale.id,
        { type: 'interrupted', error },
        {
          attemptNo: stale.attempts,
          startedMs: stale.updatedMs,
          durationMs: Math.max(0, this.now() - stale.updatedMs),
          httpStatus: null,
          outcome: 'interrupted',
          error,
          caseNumber: null,
        },
      );
      if (saved)
        this.options.log.warn({ dispatch: stale.id }, 'TCS attempt recovered after a stop');
    }
  }

  /** A change the relay makes itself; null when the hand-off moved on meanwhile. */
  private async workerChange(
    id: number,
    t: DispatchTransition,
    attempt?: DispatchAttempt,
  ): Promise<Dispatch | null> {
    try {
      return await this.options.feed.transact(async (tx) => {
        const current = await findDispatch(tx.db, id);
        if (!current) return null;
        return this.change(tx, current, t, SYSTEM, this.now(), attempt);
      });
    } catch (error) {
      if (error instanceof RefusedTransition || error instanceof ConcurrentChangeError) {
        return null;
      }
      throw error;
    }
  }
}

class RefusedTransition extends Error {
  constructor(readonly refusal: NonNullable<Extract<Outcome<never>, { ok: false }>['error']>) {
    super(refusal.message);
  }
}
