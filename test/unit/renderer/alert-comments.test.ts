/**
 * The selected alert's comments in the client: the newest page, older pages, live comments (each
 * once), and when to read again because the alert counts more than is held.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  fromNewestPage,
  missesComments,
  withLiveComment,
  withOlderPage,
} from '../../../renderer/src/features/alerts/alert-comments';
import { useAppStore } from '../../../renderer/src/store';
import type { AlertComment } from '../../../shared/alerts';
import { T0 } from './alert-fixtures';

const comment = (id: number, alertId = 7): AlertComment => ({
  id,
  alertId,
  by: 'op1',
  atMs: T0 + id,
  text: `메모 ${id}`,
});
const ids = (list: AlertComment[]) => list.map((c) => c.id);

describe('alert comments view', () => {
  it('keeps live comments newer than a page that was read meanwhile, and counts them', () => {
    const held = fromNewestPage(7, { comments: [comment(1)], hasOlder: false, total: 1 }, null);
    const live = withLiveComment(withLiveComment(held, comment(3)), comment(4));
    const page = { comments: [comment(2), comment(3)], hasOlder: true, total: 3 };
    const view = fromNewestPage(7, page, live);
    expect(ids(view.comments)).toEqual([2, 3, 4]);
    expect(view).toMatchObject({ hasOlder: true, total: 4 });
  });

  it('adds a live comment once, only to its own alert', () => {
    const view = fromNewestPage(7, { comments: [comment(1)], hasOlder: false, total: 1 }, null);
    const once = withLiveComment(view, comment(2));
    expect(withLiveComment(once, comment(2))).toBe(once);
    expect(withLiveComment(once, comment(9, 8))).toBe(once);
    expect(once.total).toBe(2);
  });

  it('puts older pages first, in id order', () => {
    const view = fromNewestPage(
      7,
      { comments: [comment(5), comment(6)], hasOlder: true, total: 6 },
      null,
    );
    const older = withOlderPage(view, {
      comments: [comment(3), comment(4), comment(5)],
      hasOlder: true,
      total: 6,
    });
    expect(ids(older.comments)).toEqual([3, 4, 5, 6]);
    expect(older.hasOlder).toBe(true);
  });

  it('reads again only when the alert counts more than the view knows', () => {
    const view = fromNewestPage(7, { comments: [comment(1)], hasOlder: false, total: 1 }, null);
    expect(missesComments(view, 1)).toBe(false);
    expect(missesComments(view, 0)).toBe(false);
    expect(missesComments(view, 2)).toBe(true);
  });
});

describe('alerts slice: comments of the selected alert', () => {
  beforeEach(() => useAppStore.getState().clearAlerts());

  it('holds a page only for the selected alert and forgets it on another selection', () => {
    const state = () => useAppStore.getState();
    state().showAlertComments(7, { comments: [comment(1)], hasOlder: false, total: 1 });
    expect(state().alertComments).toBeNull();
    state().selectAlert(7);
    state().showAlertComments(7, { comments: [comment(1)], hasOlder: false, total: 1 });
    state().addAlertComment(comment(2));
    state().addAlertComment(comment(3, 8));
    expect(ids(state().alertComments!.comments)).toEqual([1, 2]);
    state().selectAlert(8);
    expect(state().alertComments).toBeNull();
    state().addAlertComment(comment(4, 8));
    expect(state().alertComments).toBeNull();
  });
});
