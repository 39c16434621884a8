import { beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/changes';
import { nextLastSeq, retainNamed, splitChanges } from '../../../renderer/src/live/change-apply';
import { endSession } from '../../../renderer/src/auth/end-session';
import { useAppStore } from '../../../renderer/src/store';
import { makeAlert } from './alert-fixtures';
import { makeDispatch, makeViolation } from './interlock-fixtures';

const store = useAppStore;

beforeEach(() => {
  const state = store.getState();
  state.clearAlerts();
  state.clearInterlock();
  state.clearChanges();
});

describe('change-apply (pure)', () => {
  it('splits a catch-up by entity, in order, and leaves entities it does not know', () => {
    const changes = [
      { entity: 'violation', record: makeViolation({ id: 4 }), seq: 10 },
      { entity: 'alert', record: makeAlert({ id: 1 }), seq: 11 },
      { entity: 'pipeline_alarm', record: { id: 9 }, seq: 12 },
      { entity: 'dispatch', record: makeDispatch({ id: 2, violationId: 4 }), seq: 13 },
      { entity: 'alert', record: makeAlert({ id: 3 }), seq: 14 },
    ] as unknown as Change[];
    const split = splitChanges(changes);
    expect(split.alert.map((a) => a.id)).toEqual([1, 3]);
    expect(split.violation.map((v) => v.id)).toEqual([4]);
    expect(split.dispatch.map((d) => d.id)).toEqual([2]);
  });

  it('catches up from the highest seq; a full snapshot sets it', () => {
    expect(nextLastSeq(40, { seq: 45 })).toBe(45);
    expect(nextLastSeq(40, { seq: 30 })).toBe(40);
    expect(nextLastSeq(400, { full: true, seq: 30 })).toBe(30);
  });

  it('keeps of the held records only those a full snapshot names', () => {
    const held = { 1: makeAlert({ id: 1 }), 2: makeAlert({ id: 2 }) };
    expect(Object.keys(retainNamed(held, [makeAlert({ id: 2 }), makeAlert({ id: 5 })]))).toEqual([
      '2',
    ]);
  });
});

describe('changes slice: one handler for every entity', () => {
  it('feeds a catch-up into the alert, violation and hand-off slices and keeps its seq', () => {
    store.getState().applyCatchUp({
      full: false,
      seq: 30,
      changes: [
        { entity: 'alert', record: makeAlert({ id: 1, seq: 21 }), seq: 21 },
        { entity: 'violation', record: makeViolation({ id: 7 }), seq: 22 },
        { entity: 'dispatch', record: makeDispatch({ id: 3, violationId: 7 }), seq: 25 },
      ],
    });
    const state = store.getState();
    expect(Object.keys(state.alertsById)).toEqual(['1']);
    expect(Object.keys(state.violationsById)).toEqual(['7']);
    expect(Object.keys(state.dispatchesById)).toEqual(['3']);
    expect(state.alertsLoaded && state.violationsLoaded && state.dispatchesLoaded).toBe(true);
    expect(state.lastSeq).toBe(30);
  });

  it('turns a hand-off held as pending into the accepted one a reconnect brings', () => {
    store.getState().applyChange({
      entity: 'dispatch',
      record: makeDispatch({ id: 3, violationId: 7, state: 'sending', version: 3 }),
      seq: 40,
    });
    store.getState().applyCatchUp({
      full: false,
      seq: 60,
      changes: [
        {
          entity: 'dispatch',
          record: makeDispatch({ id: 3, violationId: 7, state: 'accepted', version: 4 }),
          seq: 55,
        },
      ],
    });
    expect(store.getState().dispatchesById[3]?.state).toBe('accepted');
    expect(store.getState().lastSeq).toBe(60);
  });

  it('a full snapshot replaces what was held (merging by version)', () => {
    store.getState().applyChange({ entity: 'alert', record: makeAlert({ id: 1 }), seq: 5 });
    store.getState().applyChange({
      entity: 'violation',
      record: makeViolation({ id: 8 }),
      seq: 6,
    });
    store.getState().applyCatchUp({
      full: true,
      seq: 3,
      changes: [{ entity: 'alert', record: makeAlert({ id: 2 }), seq: 2 }],
    });
    const state = store.getState();
    expect(Object.keys(state.alertsById)).toEqual(['2']);
    expect(state.violationsById).toEqual({});
    expect(state.lastSeq).toBe(3);
  });

  it('applies each change by version and keeps the highest seq, even of an unknown entity', () => {
    const apply = store.getState().applyChange;
    apply({ entity: 'alert', record: makeAlert({ id: 1, version: 2, seq: 9 }), seq: 9 });
    apply({ entity: 'alert', record: makeAlert({ id: 1, version: 1, seq: 4 }), seq: 4 });
    apply({ entity: 'pipeline_alarm', record: { id: 1 }, seq: 12 } as unknown as Change);
    expect(store.getState().alertsById[1]?.version).toBe(2);
    expect(store.getState().lastSeq).toBe(12);
  });

  it('forgets the seq on logout, so the next user starts from a full snapshot', () => {
    store.getState().applyChange({ entity: 'alert', record: makeAlert({ id: 1 }), seq: 5 });
    endSession(store, 'loggedOut');
    expect(store.getState().lastSeq).toBe(0);
  });
});
