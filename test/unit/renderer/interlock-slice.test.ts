import { beforeEach, describe, expect, it } from 'vitest';
import {
  compareDispatches,
  compareViolations,
  countNeedingSupervisor,
  countOpenMajor,
  dispatchOfViolation,
  formatRate,
  mergeByVersion,
  NO_VIOLATION_FILTERS,
  possibleCommands,
  sortedDispatches,
  visibleViolations,
} from '../../../renderer/src/features/interlock/interlock-list';
import { useAppStore } from '../../../renderer/src/store';
import { makeDispatch, makeViolation, T0 } from './interlock-fixtures';

const store = useAppStore;

beforeEach(() => {
  store.getState().clearInterlock();
  store.setState({ violationFilters: NO_VIOLATION_FILTERS });
});

describe('interlock slice: upsert by version', () => {
  it('adds violations and replaces one with a newer version', () => {
    store.getState().upsertViolation(makeViolation({ id: 1 }));
    store.getState().upsertViolation(makeViolation({ id: 2 }));
    store
      .getState()
      .upsertViolation(makeViolation({ id: 1, version: 2, status: 'dispatching', dispatchId: 7 }));
    expect(Object.keys(store.getState().violationsById)).toEqual(['1', '2']);
    expect(store.getState().violationsById[1]).toMatchObject({
      version: 2,
      status: 'dispatching',
      dispatchId: 7,
    });
  });

  it('never lets an older version overwrite a newer one (out-of-order delivery)', () => {
    store.getState().upsertViolation(makeViolation({ id: 1, version: 3, status: 'dispatched' }));
    store.getState().upsertViolation(makeViolation({ id: 1, version: 2, status: 'dispatching' }));
    expect(store.getState().violationsById[1]).toMatchObject({ version: 3, status: 'dispatched' });

    store.getState().upsertDispatch(makeDispatch({ id: 5, version: 4, state: 'accepted' }));
    store.getState().upsertDispatch(makeDispatch({ id: 5, version: 3, state: 'sending' }));
    expect(store.getState().dispatchesById[5]).toMatchObject({ version: 4, state: 'accepted' });
  });

  it('ignores a repeat of the same version without waking subscribers', () => {
    const dispatch = makeDispatch({ id: 5, version: 2, state: 'queued' });
    store.getState().upsertDispatch(dispatch);
    const violation = makeViolation({ id: 1, version: 2 });
    store.getState().upsertViolation(violation);
    let changes = 0;
    const unsubscribe = store.subscribe(() => changes++);
    // Equal is not newer: a copy with other content at the same version is not taken either.
    store.getState().upsertDispatch({ ...dispatch, state: 'sending' });
    store.getState().upsertViolation({ ...violation });
    unsubscribe();
    expect(changes).toBe(0);
    expect(store.getState().dispatchesById[5]?.state).toBe('queued');
  });

  it('returns the same map when a merge changes nothing', () => {
    const current = mergeByVersion({}, [makeDispatch({ id: 1, version: 2 })]);
    expect(mergeByVersion(current, [makeDispatch({ id: 1, version: 1 })])).toBe(current);
    expect(mergeByVersion(current, [])).toBe(current);
  });
});

describe('interlock slice: snapshot merge', () => {
  it('marks each list loaded and keeps newer copies it already holds', () => {
    expect(store.getState().violationsLoaded).toBe(false);
    expect(store.getState().dispatchesLoaded).toBe(false);
    // A live event arrived before the (re)connect snapshot, which still holds an older copy.
    store.getState().upsertViolation(makeViolation({ id: 1, version: 3, status: 'dispatched' }));
    store.getState().upsertDispatch(makeDispatch({ id: 9, version: 5, state: 'accepted' }));
    store
      .getState()
      .mergeViolationSnapshot([
        makeViolation({ id: 1, version: 2, status: 'dispatching' }),
        makeViolation({ id: 2, version: 1, grade: 'minor', status: 'monitoring' }),
      ]);
    store
      .getState()
      .mergeDispatchSnapshot([
        makeDispatch({ id: 9, version: 4, state: 'sending' }),
        makeDispatch({ id: 10, version: 1 }),
      ]);
    const state = store.getState();
    expect(state.violationsLoaded).toBe(true);
    expect(state.dispatchesLoaded).toBe(true);
    expect(state.violationsById[1]).toMatchObject({ version: 3, status: 'dispatched' });
    expect(state.violationsById[2]?.status).toBe('monitoring');
    expect(state.dispatchesById[9]).toMatchObject({ version: 5, state: 'accepted' });
    expect(Object.keys(state.dispatchesById)).toEqual(['9', '10']);
  });

  it('an empty snapshot still says "loaded" (none, not loading)', () => {
    store.getState().mergeViolationSnapshot([]);
    expect(store.getState().violationsLoaded).toBe(true);
    expect(store.getState().violationsById).toEqual({});
  });

  it('clears everything of the session on logout', () => {
    store.getState().upsertViolation(makeViolation({ id: 1 }));
    store.getState().mergeDispatchSnapshot([makeDispatch({ id: 1 })]);
    store.getState().setInterlockPanel('tcs');
    store.getState().selectViolation(1);
    store.getState().highlightDispatch(1);
    store.getState().clearInterlock();
    const state = store.getState();
    expect(state.violationsById).toEqual({});
    expect(state.dispatchesById).toEqual({});
    expect(state.dispatchesLoaded).toBe(false);
    expect(state.interlockPanel).toBeNull();
    expect(state.selectedViolationId).toBeNull();
    expect(state.highlightedDispatchId).toBeNull();
  });
});

describe('violations: filters and order', () => {
  const violations = [
    makeViolation({
      id: 1,
      grade: 'minor',
      status: 'monitoring',
      rule: 'retest_missed',
      occurredMs: T0 + 5000,
      bac: null,
    }),
    makeViolation({ id: 2, status: 'dispatched', occurredMs: T0 + 4000 }),
    makeViolation({ id: 3, status: 'open', occurredMs: T0 + 1000 }),
    makeViolation({
      id: 4,
      status: 'dispatching',
      rule: 'tamper',
      occurredMs: T0 + 3000,
      bac: null,
    }),
    makeViolation({ id: 5, status: 'open', rule: 'alcohol_retest', occurredMs: T0 + 2000 }),
    makeViolation({
      id: 6,
      grade: 'minor',
      status: 'monitoring',
      rule: 'calibration_overdue',
      occurredMs: T0 + 2000,
      bac: null,
      evidenceEventIds: [],
    }),
  ];
  const byId = mergeByVersion({}, violations);
  const ids = (list: { id: number }[]) => list.map((v) => v.id);

  it('lists open majors first, then those being handed over, then the rest, newest first', () => {
    expect(ids(visibleViolations(byId, NO_VIOLATION_FILTERS))).toEqual([5, 3, 4, 1, 2, 6]);
  });

  it('breaks a tie in time by the newest id, so the order is total', () => {
    const a = makeViolation({ id: 10, status: 'monitoring', grade: 'minor' });
    const b = makeViolation({ id: 11, status: 'monitoring', grade: 'minor' });
    expect([a, b].sort(compareViolations).map((v) => v.id)).toEqual([11, 10]);
  });

  it('filters by grade, status and rule, each alone and together', () => {
    expect(ids(visibleViolations(byId, { ...NO_VIOLATION_FILTERS, grade: 'minor' }))).toEqual([
      1, 6,
    ]);
    expect(ids(visibleViolations(byId, { ...NO_VIOLATION_FILTERS, status: 'open' }))).toEqual([
      5, 3,
    ]);
    expect(ids(visibleViolations(byId, { ...NO_VIOLATION_FILTERS, rule: 'tamper' }))).toEqual([4]);
    expect(visibleViolations(byId, { grade: 'minor', status: 'open', rule: null })).toEqual([]);
    expect(
      ids(visibleViolations(byId, { grade: 'major', status: null, rule: 'alcohol_start' })),
    ).toEqual([3, 2]);
  });

  it('counts major violations nobody has asked TCS about', () => {
    expect(countOpenMajor(byId)).toBe(2);
  });

  it('the slice filter setter changes one filter at a time', () => {
    store.getState().setViolationFilter('grade', 'major');
    store.getState().setViolationFilter('rule', 'tamper');
    expect(store.getState().violationFilters).toEqual({
      grade: 'major',
      status: null,
      rule: 'tamper',
    });
  });
});

describe('hand-offs: order, counts and commands', () => {
  const dispatches = [
    makeDispatch({ id: 1, state: 'accepted', caseNumber: 'TCS-1', requestedMs: T0 + 9000 }),
    makeDispatch({ id: 2, state: 'retry_wait', requestedMs: T0 + 1000 }),
    makeDispatch({ id: 3, state: 'rejected', awaitingPerson: true, requestedMs: T0 + 2000 }),
    makeDispatch({ id: 4, state: 'requested', requestedMs: T0 + 3000 }),
    makeDispatch({ id: 5, state: 'manual', manualOutcome: 'withdrawn', requestedMs: T0 + 8000 }),
    makeDispatch({ id: 6, state: 'sending', requestedMs: T0 + 4000 }),
  ];
  const byId = mergeByVersion({}, dispatches);

  it('puts those waiting for a person first, then those under way, then the finished', () => {
    expect(sortedDispatches(byId).map((d) => d.id)).toEqual([4, 3, 6, 2, 1, 5]);
    expect(compareDispatches(dispatches[0]!, dispatches[0]!)).toBe(0);
  });

  it('counts approvals and hand-offs handed back to people', () => {
    expect(countNeedingSupervisor(byId)).toBe(2);
  });

  it('offers the commands the relay accepts in each state', () => {
    const commands = (d: Parameters<typeof possibleCommands>[0]) => possibleCommands(d);
    expect(commands({ state: 'requested', manualOutcome: null })).toEqual(['approve', 'takeover']);
    expect(commands({ state: 'queued', manualOutcome: null })).toEqual(['takeover']);
    expect(commands({ state: 'sending', manualOutcome: null })).toEqual([]);
    expect(commands({ state: 'retry_wait', manualOutcome: null })).toEqual(['retry', 'takeover']);
    expect(commands({ state: 'rejected', manualOutcome: null })).toEqual(['retry', 'takeover']);
    expect(commands({ state: 'manual', manualOutcome: null })).toEqual(['retry', 'takeover']);
    expect(commands({ state: 'manual', manualOutcome: 'duplicate' })).toEqual([]);
    expect(commands({ state: 'accepted', manualOutcome: null })).toEqual([]);
  });

  it('finds a violation’s hand-off by its id, or by the violation id before the update came', () => {
    expect(dispatchOfViolation(byId, { id: 3, dispatchId: 3 })?.id).toBe(3);
    expect(dispatchOfViolation(byId, { id: 4, dispatchId: null })?.id).toBe(4);
    expect(dispatchOfViolation(byId, { id: 99, dispatchId: null })).toBeUndefined();
  });
});

describe('numbers', () => {
  it('shows the success rate with one decimal, never rounded up to the target it missed', () => {
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0.99)).toBe('99.0%');
    expect(formatRate(0.9896)).toBe('98.9%');
    expect(formatRate(0.995)).toBe('99.5%');
    expect(formatRate(0)).toBe('0.0%');
  });
});
