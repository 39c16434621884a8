import { describe, expect, it } from 'vitest';
import {
  DISPATCH_STATES,
  MANUAL_OUTCOMES,
  VIOLATION_GRADES,
  VIOLATION_RULES,
  VIOLATION_STATUSES,
  type Dispatch,
} from '../../../shared/interlock';
import {
  evidenceEntries,
  handoffSteps,
} from '../../../renderer/src/features/interlock/violation-evidence';
import {
  dispatchAttention,
  violationStatusLabel,
} from '../../../renderer/src/features/interlock/interlock-labels';
import { violationPlace } from '../../../renderer/src/features/interlock/violation-place';
import { en } from '../../../renderer/src/i18n/en';
import { ko } from '../../../renderer/src/i18n/ko';
import { makeDispatch, makeViolation, T0 } from './interlock-fixtures';

describe('TCS state labels', () => {
  it('names every hand-off state in Korean as the control room says it', () => {
    expect(ko.tcs.state).toEqual({
      requested: '요청됨',
      queued: '대기',
      sending: '전송 중',
      retry_wait: '재시도 대기',
      accepted: '접수됨',
      rejected: '반려',
      manual: '수동 처리',
    });
  });

  it('has an English label for every state, and no two states share one', () => {
    for (const language of [ko, en]) {
      const labels = DISPATCH_STATES.map((s) => language.tcs.state[s]);
      expect(labels.every((l) => typeof l === 'string' && l.length > 0)).toBe(true);
      expect(new Set(labels).size).toBe(DISPATCH_STATES.length);
    }
    expect(en.tcs.state.accepted).toBe('Accepted');
    expect(en.tcs.state.retry_wait).toBe('Waiting to retry');
  });

  it('labels every grade, violation status, rule and takeover outcome in both languages', () => {
    for (const language of [ko, en]) {
      for (const g of VIOLATION_GRADES) expect(language.interlock.grade[g]).toBeTruthy();
      for (const s of VIOLATION_STATUSES) expect(language.interlock.status[s]).toBeTruthy();
      for (const r of VIOLATION_RULES) expect(language.interlock.rule[r]).toBeTruthy();
      for (const o of MANUAL_OUTCOMES) expect(language.tcs.outcome[o]).toBeTruthy();
    }
    expect(ko.interlock.grade).toEqual({ minor: '경미', major: '중대' });
    expect(ko.interlock.title).toBe('음주운전 방지장치 위반');
    expect(ko.interlock.detail.request).toBe('TCS 이관 요청');
    expect(en.interlock.detail.request).toBe('Request TCS hand-off');
    expect(ko.tcs.title).toBe('경찰청 TCS 이관');
  });
});

describe('evidence timeline', () => {
  it('rebuilds the device event of an alcohol violation: start test, the reading, over the limit', () => {
    expect(evidenceEntries(makeViolation({ id: 1, bac: 0.05, evidenceEventIds: ['E-9'] }))).toEqual(
      [{ eventId: 'E-9', atMs: T0, kind: 'start_test', bac: 0.05, result: 'overLimit' }],
    );
    expect(
      evidenceEntries(makeViolation({ id: 2, rule: 'alcohol_retest', bac: null })).map((e) => [
        e.kind,
        e.result,
      ]),
    ).toEqual([['rolling_retest', 'fail']]);
    expect(
      evidenceEntries(
        makeViolation({ id: 3, rule: 'retest_missed', grade: 'minor', bac: null }),
      )[0],
    ).toMatchObject({ kind: 'rolling_retest', result: 'missed' });
    expect(
      evidenceEntries(makeViolation({ id: 4, rule: 'power_cut', bac: null }))[0],
    ).toMatchObject({ kind: 'power_cut', result: 'detected' });
  });

  it('shows an overdue violation as its due date, with no device event', () => {
    expect(
      evidenceEntries(
        makeViolation({
          id: 5,
          rule: 'log_overdue',
          grade: 'minor',
          bac: null,
          evidenceEventIds: [],
        }),
      ),
    ).toEqual([{ eventId: null, atMs: T0, kind: 'log_overdue', bac: null, result: 'overdue' }]);
  });

  it('lists a hand-off’s steps oldest first: request, approval, attempts, takeover', () => {
    const d: Dispatch = makeDispatch({
      id: 1,
      state: 'manual',
      requestedMs: T0,
      requestNote: '0.081%',
      approvedBy: 'sv.lee',
      approvedMs: T0 + 1000,
      attemptLog: [
        {
          attemptNo: 1,
          startedMs: T0 + 2000,
          durationMs: 30,
          httpStatus: 503,
          outcome: 'failed',
          error: 'unavailable',
          caseNumber: null,
        },
        {
          attemptNo: 2,
          startedMs: T0 + 4000,
          durationMs: 30,
          httpStatus: 422,
          outcome: 'rejected',
          error: 'invalid',
          caseNumber: null,
        },
      ],
      manualOutcome: 'filed_manually',
      manualBy: 'sv.lee',
      manualMs: T0 + 9000,
      manualNote: 'phoned it in',
    });
    expect(handoffSteps(d).map((s) => [s.kind, s.atMs - T0])).toEqual([
      ['requested', 0],
      ['approved', 1000],
      ['attempt', 2000],
      ['attempt', 4000],
      ['manual', 9000],
    ]);
    expect(handoffSteps(makeDispatch({ id: 2 })).map((s) => s.kind)).toEqual(['requested']);
  });
});

describe('violation place', () => {
  it('reads district then neighbourhood, both romanised in English (issue 19)', () => {
    const v = { districtName: '부산진구', dongName: '부전1동' };
    expect(violationPlace(v, 'ko')).toBe('부산진구 부전1동');
    expect(violationPlace(v, 'en')).toBe('Busanjin-gu Bujeon 1(il)-dong');
    expect(violationPlace({ districtName: null, dongName: null }, 'en')).toBe('');
  });
});

describe('status words that agree (issue 17)', () => {
  it('does not call a violation "being handed to TCS" before a supervisor approved it', () => {
    expect(violationStatusLabel('dispatching', makeDispatch({ id: 1, state: 'requested' }))).toBe(
      'awaiting_approval',
    );
    // The hand-off not at hand yet: only the request is known.
    expect(violationStatusLabel('dispatching', undefined)).toBe('awaiting_approval');
    for (const state of DISPATCH_STATES.filter((s) => s !== 'requested')) {
      expect(violationStatusLabel('dispatching', makeDispatch({ id: 1, state })), state).toBe(
        'dispatching',
      );
    }
    for (const status of VIOLATION_STATUSES.filter((s) => s !== 'dispatching')) {
      expect(violationStatusLabel(status, undefined)).toBe(status);
    }
    expect(ko.interlock.status.awaiting_approval).toBe('TCS 이관 승인 대기');
    expect(ko.interlock.status.dispatching).toBe('TCS 이관 중');
    expect(en.interlock.status.awaiting_approval).toBeTruthy();
  });

  it('asks for action only from a role that may act; others see who it waits for', () => {
    const requested = makeDispatch({ id: 1, state: 'requested' });
    const rejected = makeDispatch({ id: 2, state: 'rejected', awaitingPerson: true });
    const exhausted = makeDispatch({ id: 3, state: 'manual', awaitingPerson: true });
    for (const d of [requested, rejected, exhausted])
      expect(dispatchAttention(d, true)).toBe('act');
    expect(dispatchAttention(requested, false)).toBe('awaiting_approval');
    expect(dispatchAttention(rejected, false)).toBe('awaiting_supervisor');
    expect(dispatchAttention(exhausted, false)).toBe('awaiting_supervisor');
    for (const state of ['queued', 'sending', 'retry_wait', 'accepted'] as const) {
      const d = makeDispatch({ id: 4, state, awaitingPerson: false });
      expect(dispatchAttention(d, true), state).toBeNull();
      expect(dispatchAttention(d, false), state).toBeNull();
    }
    expect(ko.tcs.attention).toEqual({
      act: '조치 필요',
      awaiting_approval: '감독자 승인 대기',
      awaiting_supervisor: '감독자 조치 대기',
    });
    expect(Object.keys(en.tcs.attention)).toEqual(Object.keys(ko.tcs.attention));
  });
});
