import { describe, expect, it } from 'vitest';
import {
  Admission,
  FULL_RETRY_MS,
  HANDSHAKE_RETRY_MS,
} from '../../../../server/realtime/admission';

const noJitter = () => 0;

describe('Admission', () => {
  it('admits handshakes up to the limit, then refuses with a retry hint until one is released', () => {
    const admission = new Admission({ maxClients: 100, maxHandshakes: 2 }, noJitter);
    expect(admission.admit(0)).toEqual({ ok: true });
    expect(admission.admit(0)).toEqual({ ok: true });
    expect(admission.admit(0)).toEqual({
      ok: false,
      reason: 'handshakes',
      retryAfterMs: HANDSHAKE_RETRY_MS,
    });
    admission.release();
    expect(admission.admit(0)).toEqual({ ok: true });
    expect(admission.handshakesInFlight).toBe(2);
  });

  it('counts handshakes in flight against the client limit', () => {
    const admission = new Admission({ maxClients: 3, maxHandshakes: 10 }, noJitter);
    expect(admission.admit(2)).toEqual({ ok: true });
    expect(admission.admit(2)).toEqual({
      ok: false,
      reason: 'clients',
      retryAfterMs: FULL_RETRY_MS,
    });
  });

  it('spreads retries with up to as much again of jitter', () => {
    const admission = new Admission({ maxClients: 1, maxHandshakes: 1 }, () => 0.5);
    const refused = admission.admit(1);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBe(FULL_RETRY_MS * 1.5);
  });

  it('never goes below zero when released too often', () => {
    const admission = new Admission({ maxClients: 10, maxHandshakes: 1 });
    admission.release();
    expect(admission.handshakesInFlight).toBe(0);
    expect(admission.admit(0).ok).toBe(true);
    expect(admission.admit(0).ok).toBe(false);
  });
});

describe('Admission backlog', () => {
  it('refuses new sockets while too much is queued for the connected ones', () => {
    const admission = new Admission(
      { maxClients: 100, maxHandshakes: 10, maxQueuedBytes: 1000 },
      noJitter,
    );
    expect(admission.admit(5, 1001)).toEqual({
      ok: false,
      reason: 'backlog',
      retryAfterMs: HANDSHAKE_RETRY_MS,
    });
    expect(admission.admit(5, 1000)).toEqual({ ok: true });
  });
});
