import { beforeEach, describe, expect, it } from 'vitest';
import {
  compareAlerts,
  countByStatus,
  isNewerAlert,
  NO_FILTERS,
  visibleAlerts,
} from '../../../renderer/src/features/alerts/alert-list';
import { useAppStore } from '../../../renderer/src/store';
import { makeAlert, T0 } from './alert-fixtures';

const store = useAppStore;

beforeEach(() => {
  store.getState().clearAlerts();
  store.setState({ alertFilters: NO_FILTERS });
});

describe('alerts slice: upsert by version', () => {
  it('adds a new alert', () => {
    store.getState().upsertAlert(makeAlert({ id: 1, seq: 10 }));
    store.getState().upsertAlert(makeAlert({ id: 2, seq: 12 }));
    expect(Object.keys(store.getState().alertsById)).toEqual(['1', '2']);
  });

  it('replaces an alert with a newer version', () => {
    store.getState().upsertAlert(makeAlert({ id: 1, version: 1, seq: 10 }));
    store
      .getState()
      .upsertAlert(
        makeAlert({ id: 1, version: 2, seq: 11, status: 'acknowledged', acknowledgedBy: 'kim' }),
      );
    expect(store.getState().alertsById[1]?.status).toBe('acknowledged');
    expect(store.getState().alertsById[1]?.acknowledgedBy).toBe('kim');
  });

  it('never lets an older version overwrite a newer one (out-of-order delivery)', () => {
    store.getState().upsertAlert(makeAlert({ id: 1, version: 3, seq: 20, status: 'dispatched' }));
    store.getState().upsertAlert(makeAlert({ id: 1, version: 2, seq: 15, status: 'acknowledged' }));
    expect(store.getState().alertsById[1]?.status).toBe('dispatched');
    expect(store.getState().alertsById[1]?.version).toBe(3);
  });

  it('ignores a repeat of the same version without waking subscribers', () => {
    const alert = makeAlert({ id: 1, version: 2, seq: 5 });
    store.getState().upsertAlert(alert);
    const before = store.getState().alertsById;
    let changes = 0;
    const unsubscribe = store.subscribe(() => changes++);
    store.getState().upsertAlert({ ...alert });
    unsubscribe();
    expect(store.getState().alertsById).toBe(before);
    expect(changes).toBe(0);
  });

  it('breaks a version tie by seq', () => {
    expect(
      isNewerAlert(
        makeAlert({ id: 1, version: 2, seq: 9 }),
        makeAlert({ id: 1, version: 2, seq: 8 }),
      ),
    ).toBe(true);
    expect(
      isNewerAlert(
        makeAlert({ id: 1, version: 2, seq: 8 }),
        makeAlert({ id: 1, version: 2, seq: 9 }),
      ),
    ).toBe(false);
    expect(isNewerAlert(makeAlert({ id: 1 }), undefined)).toBe(true);
  });
});

describe('alerts slice: snapshot merge', () => {
  it('marks the inbox loaded and merges by version, keeping newer copies it already has', () => {
    store.getState().upsertAlert(makeAlert({ id: 1, version: 4, seq: 40, status: 'resolved' }));
    store
      .getState()
      .mergeAlertSnapshot([
        makeAlert({ id: 1, version: 3, seq: 30, status: 'acknowledged' }),
        makeAlert({ id: 2, version: 1, seq: 31 }),
        makeAlert({ id: 3, version: 2, seq: 45 }),
      ]);
    const { alertsById, alertsLoaded } = store.getState();
    expect(alertsLoaded).toBe(true);
    expect(alertsById[1]?.status).toBe('resolved');
    expect(alertsById[1]?.version).toBe(4);
    expect(Object.keys(alertsById).sort()).toEqual(['1', '2', '3']);
  });

  it('keeps alerts the catch-up snapshot does not repeat (a reconnect does not empty the inbox)', () => {
    store.getState().mergeAlertSnapshot([makeAlert({ id: 1 }), makeAlert({ id: 2 })]);
    store.getState().mergeAlertSnapshot([makeAlert({ id: 2, version: 2, seq: 9 })]);
    expect(Object.keys(store.getState().alertsById)).toEqual(['1', '2']);
    expect(store.getState().alertsById[2]?.version).toBe(2);
  });

  it('keeps only what a full snapshot names, and newer copies of those', () => {
    store.getState().upsertAlert(makeAlert({ id: 1, version: 5, seq: 50 }));
    store.getState().upsertAlert(makeAlert({ id: 2, version: 1, seq: 20 }));
    store.getState().mergeAlertSnapshot([makeAlert({ id: 1, version: 4, seq: 40 })], true);
    expect(Object.keys(store.getState().alertsById)).toEqual(['1']);
    expect(store.getState().alertsById[1]?.version).toBe(5);
  });

  it('forgets everything on logout', () => {
    store.getState().mergeAlertSnapshot([makeAlert({ id: 1, seq: 7 })]);
    store.getState().selectAlert(1);
    store.getState().clearAlerts();
    const state = store.getState();
    expect(state.alertsById).toEqual({});
    expect(state.alertsLoaded).toBe(false);
    expect(state.selectedAlertId).toBeNull();
  });
});

describe('inbox order', () => {
  it('lists unresolved first, then the most severe, then the most recently seen', () => {
    const alerts = [
      makeAlert({ id: 1, severity: 'critical', status: 'resolved', lastSeenMs: T0 + 9000 }),
      makeAlert({ id: 2, severity: 'low', lastSeenMs: T0 + 8000 }),
      makeAlert({ id: 3, severity: 'high', lastSeenMs: T0 + 1000 }),
      makeAlert({ id: 4, severity: 'high', lastSeenMs: T0 + 5000, status: 'acknowledged' }),
      makeAlert({ id: 5, severity: 'critical', lastSeenMs: T0 }),
      makeAlert({ id: 6, severity: 'low', status: 'resolved', lastSeenMs: T0 + 9500 }),
    ];
    expect([...alerts].sort(compareAlerts).map((a) => a.id)).toEqual([5, 4, 3, 2, 1, 6]);
  });

  it('is total: equal alerts fall back to the newest id', () => {
    const a = makeAlert({ id: 7 });
    const b = makeAlert({ id: 8 });
    expect([a, b].sort(compareAlerts).map((x) => x.id)).toEqual([8, 7]);
  });
});

describe('filters and counts per status', () => {
  const byId = Object.fromEntries(
    [
      makeAlert({ id: 1, type: 'DROWSY', severity: 'high', status: 'new', districtCode: '21050' }),
      makeAlert({
        id: 2,
        type: 'ARREARS_HIT',
        severity: 'medium',
        status: 'acknowledged',
        districtCode: '21090',
      }),
      makeAlert({
        id: 3,
        type: 'ARREARS_HIT',
        severity: 'low',
        status: 'resolved',
        districtCode: '21090',
      }),
      makeAlert({
        id: 4,
        type: 'MISSING_PERSON_HIT',
        severity: 'critical',
        status: 'dispatched',
        districtCode: '21050',
      }),
      makeAlert({ id: 5, type: 'DROWSY', severity: 'high', status: 'new', districtCode: null }),
    ].map((a) => [a.id, a]),
  );
  const ids = (filters: Partial<typeof NO_FILTERS>) =>
    visibleAlerts(byId, { ...NO_FILTERS, ...filters })
      .map((a) => a.id)
      .sort();

  it('filters by type, severity, status (and "open") and district', () => {
    expect(ids({})).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ type: 'ARREARS_HIT' })).toEqual([2, 3]);
    expect(ids({ severity: 'high' })).toEqual([1, 5]);
    expect(ids({ status: 'resolved' })).toEqual([3]);
    expect(ids({ status: 'open' })).toEqual([1, 2, 4, 5]);
    expect(ids({ district: '21090' })).toEqual([2, 3]);
    expect(ids({ type: 'DROWSY', district: '21050' })).toEqual([1]);
  });

  it('counts every status, under the other filters but not the status filter', () => {
    expect(countByStatus(byId)).toEqual({ new: 2, acknowledged: 1, dispatched: 1, resolved: 1 });
    expect(countByStatus(byId, { ...NO_FILTERS, type: 'ARREARS_HIT', status: 'new' })).toEqual({
      new: 0,
      acknowledged: 1,
      dispatched: 0,
      resolved: 1,
    });
  });

  it('the slice keeps the filters, one field at a time', () => {
    store.getState().setAlertFilter('type', 'DROWSY');
    store.getState().setAlertFilter('district', '21050');
    expect(store.getState().alertFilters).toEqual({
      ...NO_FILTERS,
      type: 'DROWSY',
      district: '21050',
    });
  });
});
