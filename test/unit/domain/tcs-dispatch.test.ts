import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  classifyTcsResponse,
  DEFAULT_DISPATCH_POLICY,
  dispatchStats,
  idempotencyKeyOf,
  IDEMPOTENCY_KEY_SCOPE,
  isContentRejection,
  isDue,
  linkVerdict,
  newDispatch,
  retryDelayMs,
  transition,
  violationStatusFor,
  type DispatchPolicy,
  type DispatchTransition,
} from '../../../server/domain/tcs-dispatch';
import {
  isFreshTimestamp,
  MAX_TIMESTAMP_SKEW_MS,
  signTcsRequest,
  verifyTcsSignature,
} from '../../../server/tcs/tcs-signature';
import { DISPATCH_STATES, type Dispatch, type DispatchState } from '../../../shared/interlock';

const T = Date.UTC(2025, 11, 9, 5, 30);
const POLICY: DispatchPolicy = { maxAttempts: 3, retryBaseMs: 1000, retryCapMs: 60_000 };

function dispatch(state: DispatchState, over: Partial<Dispatch> = {}): Dispatch {
  return {
    ...newDispatch({
      violationId: 7,
      violationSourceKey: 'alcohol_start:E1',
      requestedBy: 'op1',
      note: null,
      policy: POLICY,
      nowMs: T,
    }),
    id: 1,
    state,
    ...over,
  };
}

const takeover: DispatchTransition = {
  type: 'takeover',
  by: 'sup1',
  outcome: 'filed_manually',
  caseNumber: 'TCS-PHONE-1',
  note: 'filed by phone',
};
const ALL: Record<DispatchTransition['type'], DispatchTransition> = {
  approve: { type: 'approve', by: 'sup1' },
  claim: { type: 'claim' },
  accepted: { type: 'accepted', caseNumber: 'TCS-1', httpStatus: 201 },
  rejected: { type: 'rejected', error: 'HTTP 422', httpStatus: 422 },
  failed: { type: 'failed', error: 'HTTP 503', httpStatus: 503, random: 0.5 },
  interrupted: { type: 'interrupted', error: 'relay stopped' },
  retry: { type: 'retry', by: 'sup1' },
  takeover,
};

describe('TCS hand-off transitions', () => {
  // Which transitions each state allows (everything else is 409 illegal_transition).
  const legal: Record<DispatchState, DispatchTransition['type'][]> = {
    requested: ['approve', 'takeover'],
    queued: ['claim', 'takeover'],
    sending: ['accepted', 'rejected', 'failed', 'interrupted'],
    retry_wait: ['claim', 'retry', 'takeover'],
    accepted: [],
    rejected: ['retry', 'takeover'],
    manual: ['retry', 'takeover'],
  };
  const cases = DISPATCH_STATES.flatMap((state) =>
    Object.keys(ALL).map((type) => [state, type as DispatchTransition['type']] as const),
  );
  it.each(cases)('%s + %s', (state, type) => {
    // retry_wait is due (its time has come) so a claim is legal there.
    const d = dispatch(state, { attempts: 1, nextAttemptMs: T });
    const result = transition(d, ALL[type], POLICY, T + 1000);
    if (legal[state].includes(type)) {
      expect(result.ok, `${state} + ${type}`).toBe(true);
      if (result.ok) {
        expect(result.value.version).toBe(d.version + 1);
        expect(result.value.updatedMs).toBe(T + 1000);
      }
    } else {
      expect(result).toMatchObject({
        ok: false,
        error: { status: 409, code: 'illegal_transition' },
      });
    }
  });

  it('walks the happy path: requested → queued → sending → accepted', () => {
    let d = dispatch('requested');
    const step = (t: DispatchTransition, at: number) => {
      const r = transition(d, t, POLICY, at);
      if (!r.ok) throw new Error(r.error.message);
      d = r.value;
    };
    step({ type: 'approve', by: 'sup1' }, T + 1);
    expect(d).toMatchObject({ state: 'queued', approvedBy: 'sup1', approvedMs: T + 1 });
    expect(isDue(d, T + 1)).toBe(true);
    step({ type: 'claim' }, T + 2);
    expect(d).toMatchObject({ state: 'sending', attempts: 1, nextAttemptMs: null });
    step({ type: 'accepted', caseNumber: 'TCS-20251209-000001', httpStatus: 201 }, T + 3);
    expect(d).toMatchObject({
      state: 'accepted',
      caseNumber: 'TCS-20251209-000001',
      version: 4,
      awaitingPerson: false,
    });
    expect(violationStatusFor(d)).toBe('dispatched');
  });

  it('waits with backoff after a failure, and goes to a person when attempts run out', () => {
    let d = dispatch('queued');
    const at = T + 10_000;
    const fail = (random: number) => {
      const claimed = transition(d, { type: 'claim' }, POLICY, at);
      if (!claimed.ok) throw new Error(claimed.error.message);
      const r = transition(
        claimed.value,
        { type: 'failed', error: 'HTTP 503', httpStatus: 503, random },
        POLICY,
        at,
      );
      if (!r.ok) throw new Error(r.error.message);
      d = { ...r.value, nextAttemptMs: at };
    };
    fail(0);
    expect(d).toMatchObject({ state: 'retry_wait', attempts: 1, lastHttpStatus: 503 });
    fail(0.99);
    expect(d).toMatchObject({ state: 'retry_wait', attempts: 2 });
    fail(0.5);
    expect(d).toMatchObject({
      state: 'manual',
      attempts: 3,
      manualOutcome: null,
      awaitingPerson: true,
      lastError: 'HTTP 503',
    });
    expect(violationStatusFor(d)).toBe('dispatching');
    // A person's retry starts a new round of attempts.
    const retried = transition(d, { type: 'retry', by: 'sup1' }, POLICY, at);
    expect(retried).toMatchObject({
      ok: true,
      value: { state: 'queued', attemptLimit: 6, nextAttemptMs: at, awaitingPerson: false },
    });
  });

  it('schedules the next attempt inside the jittered backoff window', () => {
    const d = dispatch('sending', { attempts: 2 });
    const r = transition(
      d,
      { type: 'failed', error: 'timeout', httpStatus: null, random: 0.25 },
      POLICY,
      T,
    );
    // Attempt 2 failed: ceiling 2 s, half fixed + a quarter of the other half.
    expect(r).toMatchObject({ ok: true, value: { nextAttemptMs: T + 1250 } });
  });

  it('leaves a rejected hand-off to a person', () => {
    const r = transition(
      dispatch('sending', { attempts: 1 }),
      { type: 'rejected', error: 'HTTP 422: invalid case', httpStatus: 422 },
      POLICY,
      T,
    );
    expect(r).toMatchObject({
      ok: true,
      value: { state: 'rejected', awaitingPerson: true, lastError: 'HTTP 422: invalid case' },
    });
  });

  it('sends an interrupted attempt again at once, with the same key', () => {
    const d = dispatch('sending', { attempts: 1 });
    const r = transition(d, { type: 'interrupted', error: 'relay stopped' }, POLICY, T);
    expect(r).toMatchObject({ ok: true, value: { state: 'retry_wait', nextAttemptMs: T } });
    if (r.ok) expect(r.value.idempotencyKey).toBe(d.idempotencyKey);
  });

  it('refuses (403) an approval by the one who requested it: four eyes', () => {
    const own = transition(dispatch('requested', { requestedBy: 'sup1' }), ALL.approve, POLICY, T);
    expect(own).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    if (!own.ok) expect(own.error.message).toMatch(/requested by sup1.*another supervisor/);
    // Nobody approves their own request, whatever their role (the domain is not told the role).
    const mine = dispatch('requested', { requestedBy: 'admin' });
    const byAdmin = transition(mine, { type: 'approve', by: 'admin' }, POLICY, T);
    expect(byAdmin).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    expect(transition(mine, { type: 'approve', by: 'sup2' }, POLICY, T)).toMatchObject({
      ok: true,
      value: { state: 'queued', approvedBy: 'sup2' },
    });
  });

  it('refuses a second approval, naming who approved', () => {
    const approved = transition(dispatch('requested'), ALL.approve, POLICY, T);
    if (!approved.ok) throw new Error('approve failed');
    const again = transition(approved.value, { type: 'approve', by: 'sup2' }, POLICY, T);
    expect(again).toMatchObject({ ok: false, error: { status: 409 } });
    if (!again.ok) expect(again.error.message).toContain('sup1');
  });

  it('records a takeover and closes the violation; refuses one while sending or accepted', () => {
    const r = transition(dispatch('rejected'), takeover, POLICY, T);
    expect(r).toMatchObject({
      ok: true,
      value: {
        state: 'manual',
        manualOutcome: 'filed_manually',
        manualBy: 'sup1',
        manualNote: 'filed by phone',
        caseNumber: 'TCS-PHONE-1',
        awaitingPerson: false,
      },
    });
    if (r.ok) {
      expect(violationStatusFor(r.value)).toBe('handled');
      expect(transition(r.value, takeover, POLICY, T).ok).toBe(false);
      expect(transition(r.value, ALL.retry, POLICY, T).ok).toBe(false);
    }
    expect(transition(dispatch('sending'), takeover, POLICY, T).ok).toBe(false);
    expect(transition(dispatch('accepted'), takeover, POLICY, T).ok).toBe(false);
  });

  it('does not claim a waiting hand-off before its time', () => {
    const d = dispatch('retry_wait', { nextAttemptMs: T + 5000 });
    expect(isDue(d, T)).toBe(false);
    expect(transition(d, ALL.claim, POLICY, T).ok).toBe(false);
    expect(isDue(d, T + 5000)).toBe(true);
  });
});

describe('backoff with jitter', () => {
  it.each([1, 2, 3, 4, 5, 6, 10, 30])('attempt %i stays within [ceiling/2, ceiling]', (n) => {
    const policy = DEFAULT_DISPATCH_POLICY;
    const ceiling = Math.min(policy.retryCapMs, policy.retryBaseMs * 2 ** (n - 1));
    const low = retryDelayMs(n, policy, 0);
    const high = retryDelayMs(n, policy, 0.999_999);
    expect(low).toBe(Math.round(ceiling / 2));
    expect(high).toBeLessThanOrEqual(ceiling);
    expect(high).toBeGreaterThan(low - 1);
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(n, policy, Math.random());
      expect(d).toBeGreaterThanOrEqual(Math.round(ceiling / 2));
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });

  it('grows exponentially and is capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, POLICY, 0.999_999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(retryDelayMs(20, POLICY, 0.999_999)).toBe(POLICY.retryCapMs);
    // Out-of-range randomness cannot escape the window.
    expect(retryDelayMs(1, POLICY, 7)).toBe(1000);
    expect(retryDelayMs(1, POLICY, -1)).toBe(500);
  });
});

describe('what TCS answered', () => {
  it.each([
    [201, { caseNumber: 'TCS-1' }, 'accepted'],
    [200, { caseNumber: ' TCS-1 ', duplicate: true }, 'accepted'],
    [200, {}, 'retryable'],
    [202, 'ok', 'retryable'],
    [400, { error: { message: 'bad' } }, 'rejected'],
    [401, { error: { code: 'bad_signature' } }, 'rejected'],
    [409, null, 'rejected'],
    [422, { error: { code: 'invalid_case', message: 'no subject' } }, 'rejected'],
    [408, null, 'retryable'],
    [429, null, 'retryable'],
    [500, 'oops', 'retryable'],
    [503, { error: { message: 'down' } }, 'retryable'],
  ])('HTTP %i %j → %s', (status, body, kind) => {
    expect(classifyTcsResponse(status, body).kind).toBe(kind);
  });

  it('keeps the reason', () => {
    expect(classifyTcsResponse(422, { error: { message: 'no subject' } })).toEqual({
      kind: 'rejected',
      error: 'HTTP 422: no subject',
    });
    expect(classifyTcsResponse(201, { caseNumber: ' TCS-9 ' })).toEqual({
      kind: 'accepted',
      caseNumber: 'TCS-9',
    });
  });
});

describe('idempotency key', () => {
  it('is the SHA-256 of the scope and the violation’s natural key, the same every time', () => {
    const key = idempotencyKeyOf('alcohol_start:E1');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).toBe(
      createHash('sha256').update(`${IDEMPOTENCY_KEY_SCOPE}\nalcohol_start:E1`).digest('hex'),
    );
    expect(idempotencyKeyOf('alcohol_start:E1')).toBe(key);
    expect(idempotencyKeyOf('alcohol_start:E2')).not.toBe(key);
    expect(dispatch('requested').idempotencyKey).toBe(key);
  });
});

describe('stats', () => {
  const tcs = { configured: true, breaker: 'closed' as const };
  type Group = Parameters<typeof dispatchStats>[0][number];
  const group = (
    state: DispatchState,
    count: number,
    over: Partial<Omit<Group, 'state' | 'count'>> = {},
  ): Group => ({
    state,
    count,
    manualOutcome: null,
    lastHttpStatus: state === 'accepted' ? 201 : state === 'rejected' ? 422 : null,
    attempts: state === 'requested' || state === 'queued' ? 0 : 1,
    ...over,
  });

  it('says what each hand-off tells about the link, for every way it can end', () => {
    for (const state of ['requested', 'queued', 'sending', 'retry_wait'] as const) {
      expect(linkVerdict(group(state, 1)), state).toBeNull();
    }
    expect(linkVerdict(group('accepted', 1))).toBe('answered');
    // A content rejection is an answer: the link worked.
    expect(linkVerdict(group('rejected', 1))).toBe('answered');
    // Attempts ran out on 5xx / time-outs: the link failed.
    expect(linkVerdict(group('manual', 1, { lastHttpStatus: 503 }))).toBe('failed');
    expect(linkVerdict(group('manual', 1, { lastHttpStatus: null }))).toBe('failed');
    expect(linkVerdict(group('manual', 1, { lastHttpStatus: 429 }))).toBe('failed');
    // Filed by phone: after a rejection the link had worked, after failures it had not.
    const filed = { manualOutcome: 'filed_manually' } as const;
    expect(linkVerdict(group('manual', 1, { ...filed, lastHttpStatus: 422 }))).toBe('answered');
    expect(linkVerdict(group('manual', 1, { ...filed, lastHttpStatus: 503 }))).toBe('failed');
    expect(linkVerdict(group('manual', 1, { ...filed, attempts: 0 }))).toBeNull();
    // Taken back by a person: not the link's doing either way.
    for (const manualOutcome of ['withdrawn', 'duplicate'] as const) {
      for (const lastHttpStatus of [null, 422, 503]) {
        expect(linkVerdict(group('manual', 1, { manualOutcome, lastHttpStatus }))).toBeNull();
      }
    }
    expect(isContentRejection(422)).toBe(true);
    expect(isContentRejection(408)).toBe(false);
    expect(isContentRejection(500)).toBe(false);
  });

  it('keeps takeovers and content rejections out of link failures; counts cases apart', () => {
    const stats = dispatchStats(
      [
        group('accepted', 90),
        group('rejected', 2),
        group('manual', 3, { manualOutcome: 'withdrawn', lastHttpStatus: 422 }),
        group('manual', 2, { manualOutcome: 'duplicate', attempts: 0 }),
        group('manual', 2, { manualOutcome: 'filed_manually', lastHttpStatus: 503 }),
        group('manual', 1, { lastHttpStatus: 503 }),
        group('queued', 2),
        group('sending', 1),
        group('requested', 3),
      ],
      tcs,
    );
    expect(stats).toEqual({
      accepted: 90,
      rejected: 2,
      manual: 8,
      pending: 6,
      filedManually: 2,
      takenBack: 5,
      linkAnswered: 92,
      linkFailed: 3,
      successRate: 92 / 95,
      caseRate: 92 / 100,
      target: 0.99,
      tcs,
    });
    // Before anything finished, neither rate exists.
    expect(dispatchStats([group('queued', 4)], tcs)).toMatchObject({
      successRate: null,
      caseRate: null,
    });
    // Only withdrawals: no case, and nothing said about the link.
    expect(
      dispatchStats([group('manual', 2, { manualOutcome: 'withdrawn', attempts: 0 })], tcs),
    ).toMatchObject({ successRate: null, caseRate: 0 });
  });
});

describe('circuit breaker', () => {
  const policy = { failureThreshold: 3, cooldownMs: 10_000 };

  it('opens after consecutive failures and holds attempts back for the cool-down', () => {
    const b = new CircuitBreaker(policy);
    expect(b.state(T)).toBe('closed');
    b.recordFailure(T);
    b.recordFailure(T);
    expect(b.tryAcquire(T)).toBe(true);
    b.recordFailure(T);
    expect(b.state(T)).toBe('open');
    expect(b.tryAcquire(T + 9_999)).toBe(false);
    expect(b.state(T + 10_000)).toBe('half_open');
  });

  it('lets one trial through when half-open; success closes it', () => {
    const b = new CircuitBreaker(policy);
    for (let i = 0; i < 3; i++) b.recordFailure(T);
    expect(b.tryAcquire(T + 10_000)).toBe(true);
    expect(b.tryAcquire(T + 10_001)).toBe(false);
    b.recordSuccess();
    expect(b.state(T + 10_002)).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
    expect(b.tryAcquire(T + 10_002)).toBe(true);
  });

  it('a failed trial opens it for another cool-down', () => {
    const b = new CircuitBreaker(policy);
    for (let i = 0; i < 3; i++) b.recordFailure(T);
    expect(b.tryAcquire(T + 10_000)).toBe(true);
    b.recordFailure(T + 10_500);
    expect(b.state(T + 10_500)).toBe('open');
    expect(b.tryAcquire(T + 20_000)).toBe(false);
    expect(b.tryAcquire(T + 20_500)).toBe(true);
  });

  it('a success resets the count; a released trial can be tried again', () => {
    const b = new CircuitBreaker(policy);
    b.recordFailure(T);
    b.recordFailure(T);
    b.recordSuccess();
    b.recordFailure(T);
    b.recordFailure(T);
    expect(b.state(T)).toBe('closed');
    b.recordFailure(T);
    expect(b.tryAcquire(T + 10_000)).toBe(true);
    b.release();
    expect(b.state(T + 10_000)).toBe('half_open');
    expect(b.tryAcquire(T + 10_000)).toBe(true);
  });
});

describe('request signature', () => {
  const secret = 'tcs-shared-secret-0123';
  const body = JSON.stringify({ violation: { id: 1, rule: 'alcohol_start' }, 이름: '김민수' });

  it('is HMAC-SHA256 hex of timestamp.body', () => {
    // Computed independently: printf '%s' '1765258200000.{"a":1}' | openssl dgst -sha256 -hmac …
    expect(signTcsRequest(secret, '1765258200000', '{"a":1}')).toBe(
      '73285a9b2d2e6d62613e0f874d99956c25dbc8b0878f04b507296b6f6e30830e',
    );
  });

  it('verifies what was signed and nothing else', () => {
    const ts = String(T);
    const signature = signTcsRequest(secret, ts, body);
    expect(verifyTcsSignature(secret, ts, body, signature)).toBe(true);
    expect(verifyTcsSignature(secret, ts, body, signature.toUpperCase())).toBe(true);
    expect(verifyTcsSignature(secret, String(T + 1), body, signature)).toBe(false);
    expect(verifyTcsSignature(secret, ts, `${body} `, signature)).toBe(false);
    expect(verifyTcsSignature('another-secret-0123', ts, body, signature)).toBe(false);
    expect(verifyTcsSignature(secret, ts, body, signature.slice(0, 63))).toBe(false);
    expect(verifyTcsSignature(secret, ts, body, 'zz'.repeat(32))).toBe(false);
  });

  it('accepts only fresh epoch-millisecond timestamps', () => {
    expect(isFreshTimestamp(String(T), T)).toBe(true);
    expect(isFreshTimestamp(String(T - MAX_TIMESTAMP_SKEW_MS), T)).toBe(true);
    expect(isFreshTimestamp(String(T - MAX_TIMESTAMP_SKEW_MS - 1), T)).toBe(false);
    expect(isFreshTimestamp(String(T + MAX_TIMESTAMP_SKEW_MS + 1), T)).toBe(false);
    expect(isFreshTimestamp('2025-12-09T14:30:00', T)).toBe(false);
    expect(isFreshTimestamp('', T)).toBe(false);
  });
});
