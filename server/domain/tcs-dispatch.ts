/**
 * The TCS hand-off state machine (DESIGN §5): `requested → queued → sending → accepted |
 * rejected | retry_wait → … → manual`, with exponential backoff and jitter between attempts, a
 * bounded number of attempts, and a circuit breaker so a TCS that is down is not hammered.
 *
 * Pure: time and randomness come in as arguments. Every change returns a new dispatch with
 * `version + 1`; a refused change says why (409 for a state that does not allow it).
 */
import { createHash } from 'node:crypto';
import type {
  Dispatch,
  DispatchState,
  DispatchStats,
  ManualOutcome,
  TcsStatus,
  ViolationStatus,
} from '../../shared/interlock';
import { PENDING_DISPATCH_STATES, TCS_SUCCESS_RATE_TARGET } from '../../shared/interlock';
import { fail, HTTP, ok, type Outcome } from './outcome';

export interface DispatchPolicy {
  /** Attempts per round before the hand-off goes to `manual`. */
  maxAttempts: number;
  /** The first retry waits about this long; each further one twice as long. */
  retryBaseMs: number;
  /** No retry waits longer than this. */
  retryCapMs: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  maxAttempts: 6,
  retryBaseMs: 2 * SECOND_MS,
  retryCapMs: 5 * MINUTE_MS,
};

/**
 * Mixed into every key, so keys are ours alone and a change of the scheme is one new constant
 * (v2) rather than keys that collide with old ones.
 */
export const IDEMPOTENCY_KEY_SCOPE = 'busan-control-room/interlock-tcs/v1';

/**
 * The `Idempotency-Key` of a violation's hand-off: SHA-256 (hex) of the scope and the
 * violation's natural key (its rule and evidence, e.g. `alcohol_start:<event_id>`), not the row
 * id, so the same violation gets the same key on any relay and after a database restore. Every
 * attempt sends it; TCS files at most one case per key.
 */
export function idempotencyKeyOf(violationSourceKey: string): string {
  return createHash('sha256')
    .update(`${IDEMPOTENCY_KEY_SCOPE}\n${violationSourceKey}`)
    .digest('hex');
}

/**
 * The wait before the next attempt after `attempt` failed: exponential (base · 2^(attempt−1),
 * capped), with "equal jitter": half of it fixed, half random, so relays that failed together
 * do not retry together, yet the wait never collapses to nothing. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: DispatchPolicy, random: number): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.retryCapMs, policy.retryBaseMs * 2 ** exponent);
  const unit = Math.min(Math.max(random, 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * unit);
}

// ── What TCS answered ──────────────────────────────────────────────────────────────────────────

export type TcsAnswer =
  | { kind: 'accepted'; caseNumber: string }
  /** A 4xx: TCS understood and refused; sending it again would not help. A person decides. */
  | { kind: 'rejected'; error: string }
  /** A 5xx, time-out, network error, or an answer we cannot read: try again later. */
  | { kind: 'retryable'; error: string };

/** Statuses that mean "later" although they are 4xx: time-out, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 425, 429]);
const MAX_ERROR_TEXT = 500;

/**
 * Classifies an HTTP answer. A 2xx without a readable case number is retried: the same
 * idempotency key makes TCS answer with the case it filed, so nothing is filed twice.
 */
export function classifyTcsResponse(status: number, body: unknown): TcsAnswer {
  if (status >= 200 && status < 300) {
    const caseNumber =
      body !== null && typeof body === 'object' && 'caseNumber' in body
        ? (body as { caseNumber: unknown }).caseNumber
        : undefined;
    if (typeof caseNumber === 'string' && caseNumber.trim() !== '') {
      return { kind: 'accepted', caseNumber: caseNumber.trim().slice(0, 64) };
    }
    return { kind: 'retryable', error: `HTTP ${status} without a case number` };
  }
  const detail = errorDetail(body);
  const error = `HTTP ${status}${detail ? `: ${detail}` : ''}`.slice(0, MAX_ERROR_TEXT);
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
    return { kind: 'rejected', error };
  }
  return { kind: 'retryable', error };
}

function errorDetail(body: unknown): string | null {
  if (typeof body === 'string') return body.trim() || null;
  if (body === null || typeof body !== 'object') return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error !== null && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : null;
}

// ── Transitions ────────────────────────────────────────────────────────────────────────────────

export type DispatchTransition =
  /**
   * Four eyes binds every role, admins included: an admin could make a second account, but that
   * account and its approval would be audited under another name, which is the point of the rule.
   */
  | { type: 'approve'; by: string }
  /** The worker takes a due hand-off to send it. */
  | { type: 'claim' }
  | { type: 'accepted'; caseNumber: string; httpStatus: number }
  | { type: 'rejected'; error: string; httpStatus: number | null }
  /** `random` in [0, 1) for the jitter. */
  | { type: 'failed'; error: string; httpStatus: number | null; random: number }
  /** The attempt never finished (the relay stopped or crashed while sending): send again now. */
  | { type: 'interrupted'; error: string }
  | { type: 'retry'; by: string }
  | {
      type: 'takeover';
      by: string;
      outcome: ManualOutcome;
      caseNumber: string | null;
      note: string;
    };

export type DispatchTransitionType = DispatchTransition['type'];

const illegal = <T>(message: string): Outcome<T> =>
  fail<T>(HTTP.conflict, 'illegal_transition', message);

export function isAwaitingPerson(state: DispatchState, outcome: ManualOutcome | null): boolean {
  return state === 'rejected' || (state === 'manual' && outcome === null);
}

/** Whether the worker may send it now. */
export function isDue(d: Pick<Dispatch, 'state' | 'nextAttemptMs'>, nowMs: number): boolean {
  if (d.state === 'queued') return true;
  return d.state === 'retry_wait' && (d.nextAttemptMs ?? 0) <= nowMs;
}

export function transition(
  d: Dispatch,
  t: DispatchTransition,
  policy: DispatchPolicy,
  nowMs: number,
): Outcome<Dispatch> {
  const next = (changes: Partial<Dispatch>): Outcome<Dispatch> => {
    const changed: Dispatch = { ...d, ...changes, version: d.version + 1, updatedMs: nowMs };
    changed.awaitingPerson = isAwaitingPerson(changed.state, changed.manualOutcome);
    return ok(changed);
  };
  switch (t.type) {
    case 'approve':
      if (d.state !== 'requested') {
        return illegal(
          d.approvedBy
            ? `dispatch ${d.id} was approved already by ${d.approvedBy} (it is ${d.state})`
            : `dispatch ${d.id} is ${d.state}: only a requested dispatch can be approved`,
        );
      }
      if (t.by === d.requestedBy) {
        // Four eyes (seed 001): filing a police case needs a second person's decision.
        return fail(
          HTTP.forbidden,
          'forbidden',
          `dispatch ${d.id} was requested by ${d.requestedBy}: another supervisor must approve it (four eyes)`,
        );
      }
      return next({ state: 'queued', approvedBy: t.by, approvedMs: nowMs, nextAttemptMs: nowMs });
    case 'claim':
      if (!isDue(d, nowMs)) return illegal(`dispatch ${d.id} is ${d.state}: not due for sending`);
      return next({ state: 'sending', attempts: d.attempts + 1, nextAttemptMs: null });
    case 'accepted':
      if (d.state !== 'sending') return illegal(`dispatch ${d.id} is ${d.state}, not sending`);
      return next({
        state: 'accepted',
        caseNumber: t.caseNumber,
        lastHttpStatus: t.httpStatus,
        lastError: null,
      });
    case 'rejected':
      if (d.state !== 'sending') return illegal(`dispatch ${d.id} is ${d.state}, not sending`);
      return next({ state: 'rejected', lastError: t.error, lastHttpStatus: t.httpStatus });
    case 'failed': {
      if (d.state !== 'sending') return illegal(`dispatch ${d.id} is ${d.state}, not sending`);
      const failed = { lastError: t.error, lastHttpStatus: t.httpStatus };
      if (d.attempts >= d.attemptLimit) {
        return next({ ...failed, state: 'manual', nextAttemptMs: null });
      }
      const wait = retryDelayMs(d.attempts, policy, t.random);
      return next({ ...failed, state: 'retry_wait', nextAttemptMs: nowMs + wait });
    }
    case 'interrupted':
      if (d.state !== 'sending') return illegal(`dispatch ${d.id} is ${d.state}, not sending`);
      return next({
        state: 'retry_wait',
        nextAttemptMs: nowMs,
        lastError: t.error,
        lastHttpStatus: null,
      });
    case 'retry': {
      const exhausted = d.state === 'manual' && d.manualOutcome === null;
      if (d.state !== 'retry_wait' && d.state !== 'rejected' && !exhausted) {
        return illegal(
          `dispatch ${d.id} is ${d.state}: only a waiting, rejected or exhausted dispatch can be retried`,
        );
      }
      // A person's retry after a refusal or after the attempts ran out starts a new round.
      const attemptLimit =
        d.state === 'retry_wait' ? d.attemptLimit : d.attempts + policy.maxAttempts;
      return next({ state: 'queued', nextAttemptMs: nowMs, attemptLimit });
    }
    case 'takeover':
      if (d.state === 'sending') {
        // The answer may still file a case: taking over now could file it a second time.
        return illegal(`dispatch ${d.id} is being sent right now: try again in a few seconds`);
      }
      if (d.state === 'accepted') {
        return illegal(`dispatch ${d.id} was accepted by TCS as case ${d.caseNumber}`);
      }
      if (d.state === 'manual' && d.manualOutcome !== null) {
        return illegal(`dispatch ${d.id} was taken over already by ${d.manualBy}`);
      }
      return next({
        state: 'manual',
        nextAttemptMs: null,
        manualOutcome: t.outcome,
        manualBy: t.by,
        manualMs: nowMs,
        manualNote: t.note,
        caseNumber: t.caseNumber ?? d.caseNumber,
      });
  }
}

/** A new hand-off, as an operator's request creates it (the store assigns the id). */
export function newDispatch(input: {
  violationId: number;
  violationSourceKey: string;
  requestedBy: string;
  note: string | null;
  policy: DispatchPolicy;
  nowMs: number;
}): Dispatch {
  return {
    id: 0,
    violationId: input.violationId,
    idempotencyKey: idempotencyKeyOf(input.violationSourceKey),
    state: 'requested',
    version: 1,
    attempts: 0,
    attemptLimit: input.policy.maxAttempts,
    nextAttemptMs: null,
    lastError: null,
    lastHttpStatus: null,
    caseNumber: null,
    awaitingPerson: false,
    requestedBy: input.requestedBy,
    requestedMs: input.nowMs,
    requestNote: input.note,
    approvedBy: null,
    approvedMs: null,
    manualOutcome: null,
    manualBy: null,
    manualMs: null,
    manualNote: null,
    createdMs: input.nowMs,
    updatedMs: input.nowMs,
    attemptLog: [],
  };
}

/** The violation's status while its hand-off is in this state. */
export function violationStatusFor(d: Pick<Dispatch, 'state' | 'manualOutcome'>): ViolationStatus {
  if (d.state === 'accepted') return 'dispatched';
  if (d.state === 'manual' && d.manualOutcome !== null) return 'handled';
  return 'dispatching';
}

// ── Stats ──────────────────────────────────────────────────────────────────────────────────────

/** What a hand-off's stats need of it (the store counts them grouped by these). */
export type DispatchOutcomeFacts = Pick<
  Dispatch,
  'state' | 'manualOutcome' | 'lastHttpStatus' | 'attempts'
>;

/** A 4xx TCS means: it understood and refused the content (the link worked). */
export function isContentRejection(httpStatus: number | null): boolean {
  return (
    httpStatus !== null && httpStatus >= 400 && httpStatus < 500 && !RETRYABLE_4XX.has(httpStatus)
  );
}

/**
 * What a hand-off says about the TCS link: `answered` (TCS accepted it or refused its content),
 * `failed` (its attempts failed on the link, whatever a person did after), or null when the
 * link did not decide it (still pending, never sent, or taken back as withdrawn or duplicate).
 */
export function linkVerdict(d: DispatchOutcomeFacts): 'answered' | 'failed' | null {
  if (PENDING_DISPATCH_STATES.includes(d.state) || d.attempts === 0) return null;
  if (d.state === 'accepted' || d.state === 'rejected') return 'answered';
  if (d.manualOutcome === 'withdrawn' || d.manualOutcome === 'duplicate') return null;
  return isContentRejection(d.lastHttpStatus) ? 'answered' : 'failed';
}

/**
 * The KPIs (seed 001 §10): the link's success rate (TCS 연계 성공률, against its target) and the
 * share of finished hand-offs that ended in a case — see DispatchStats for why these differ.
 */
export function dispatchStats(
  groups: readonly (DispatchOutcomeFacts & { count: number })[],
  tcs: TcsStatus,
): DispatchStats {
  const stats = {
    accepted: 0,
    rejected: 0,
    manual: 0,
    pending: 0,
    filedManually: 0,
    takenBack: 0,
    linkAnswered: 0,
    linkFailed: 0,
  };
  for (const g of groups) {
    if (PENDING_DISPATCH_STATES.includes(g.state)) stats.pending += g.count;
    else if (g.state === 'accepted') stats.accepted += g.count;
    else if (g.state === 'rejected') stats.rejected += g.count;
    else stats.manual += g.count;
    if (g.state === 'manual' && g.manualOutcome === 'filed_manually') {
      stats.filedManually += g.count;
    }
    if (g.manualOutcome === 'withdrawn' || g.manualOutcome === 'duplicate') {
      stats.takenBack += g.count;
    }
    const verdict = linkVerdict(g);
    if (verdict === 'answered') stats.linkAnswered += g.count;
    if (verdict === 'failed') stats.linkFailed += g.count;
  }
  const decided = stats.linkAnswered + stats.linkFailed;
  const finished = stats.accepted + stats.rejected + stats.manual;
  return {
    ...stats,
    successRate: decided === 0 ? null : stats.linkAnswered / decided,
    caseRate: finished === 0 ? null : (stats.accepted + stats.filedManually) / finished,
    target: TCS_SUCCESS_RATE_TARGET,
    tcs,
  };
}

// ── Circuit breaker ────────────────────────────────────────────────────────────────────────────

export interface BreakerPolicy {
  /** Consecutive failed attempts that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one trial attempt is let through (half-open). */
  cooldownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  failureThreshold: 5,
  cooldownMs: 30 * SECOND_MS,
};

export type BreakerState = TcsStatus['breaker'];

/**
 * Closed: attempts go through. After `failureThreshold` consecutive failures it opens: nothing is
 * sent (the hand-offs wait, their attempts not spent) until `cooldownMs` passed; then it is
 * half-open and lets exactly one trial through. The trial's success closes it, its failure
 * opens it for another cool-down. Rejections (4xx) are answers, not failures: TCS is up.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAtMs: number | null = null;
  private trialInFlight = false;

  constructor(private readonly policy: BreakerPolicy = DEFAULT_BREAKER_POLICY) {}

  state(nowMs: number): BreakerState {
    if (this.openedAtMs === null) return 'closed';
    return nowMs - this.openedAtMs >= this.policy.cooldownMs ? 'half_open' : 'open';
  }

  /** Whether an attempt may start now; in half-open, only the one trial. */
  tryAcquire(nowMs: number): boolean {
    const state = this.state(nowMs);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAtMs = null;
    this.trialInFlight = false;
  }

  recordFailure(nowMs: number): void {
    this.failures++;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || this.failures >= this.policy.failureThreshold) this.openedAtMs = nowMs;
  }

  /** An attempt that ended without an answer about TCS (relay shutdown): no verdict either way. */
  release(): void {
    this.trialInFlight = false;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
