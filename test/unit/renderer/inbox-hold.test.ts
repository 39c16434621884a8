/** The inbox holds still under the pointer: arrivals wait in the bar, rows keep their places. */
import { describe, expect, it } from 'vitest';
import {
  holdList,
  stepThrough,
  visibleAlerts,
  NO_FILTERS,
} from '../../../renderer/src/features/alerts/alert-list';
import type { Alert } from '../../../shared/alerts';
import { makeAlert, T0 } from './alert-fixtures';

const byId = (...alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));
const ids = (alerts: readonly Alert[]) => alerts.map((a) => a.id);

describe('holdList', () => {
  const a = makeAlert({ id: 1, severity: 'medium', lastSeenMs: T0 });
  const b = makeAlert({ id: 2, severity: 'low', lastSeenMs: T0 + 1 });

  it('keeps the rows in the order shown and holds a more urgent arrival back', () => {
    const shown = ids(visibleAlerts(byId(a, b), NO_FILTERS));
    expect(shown).toEqual([1, 2]);
    const critical = makeAlert({ id: 3, severity: 'critical', lastSeenMs: T0 + 5 });
    const sorted = visibleAlerts(byId(a, b, critical), NO_FILTERS);
    expect(ids(sorted)).toEqual([3, 1, 2]);
    const held = holdList(shown, sorted);
    expect(ids(held.rows)).toEqual([1, 2]);
    expect(ids(held.arrivals)).toEqual([3]);
  });

  it('shows a held row with its current content, even when that would move it', () => {
    // A merged repeat makes the low alert newer and worse: it would jump to the top.
    const worse = { ...b, severity: 'high' as const, version: 2, count: 2 };
    const held = holdList([1, 2], visibleAlerts(byId(a, worse), NO_FILTERS));
    expect(ids(held.rows)).toEqual([1, 2]);
    expect(held.rows[1]?.severity).toBe('high');
    expect(held.arrivals).toEqual([]);
  });

  it('drops a row that left the list', () => {
    const held = holdList([1, 2], visibleAlerts(byId(a), NO_FILTERS));
    expect(ids(held.rows)).toEqual([1]);
  });
});

describe('stepThrough', () => {
  const rows = [makeAlert({ id: 5 }), makeAlert({ id: 6 }), makeAlert({ id: 7 })];
  it('moves one row at a time and stops at the ends', () => {
    expect(stepThrough(rows, null, 1)?.id).toBe(5);
    expect(stepThrough(rows, 5, 1)?.id).toBe(6);
    expect(stepThrough(rows, 7, 1)?.id).toBe(7);
    expect(stepThrough(rows, 5, -1)?.id).toBe(5);
    expect(stepThrough(rows, 99, -1)?.id).toBe(5);
    expect(stepThrough([], 5, 1)).toBeNull();
  });
});
