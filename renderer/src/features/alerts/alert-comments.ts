/**
 * The comments of the alert on screen. Alerts carry only a `commentCount` (issue 14: carrying the
 * history made every change grow with it); the history comes page by page from
 * `GET /api/alerts/:id/comments`, and new comments arrive live as `alertComment` events. These pure
 * functions merge the two; the store keeps one view, for the selected alert only.
 */
import type { AlertComment, AlertCommentPage } from '../../../../shared/alerts';

export interface AlertCommentsView {
  alertId: number;
  /** Oldest first, each id once. */
  comments: AlertComment[];
  /** Older comments exist than the first one held (the relay pages them). */
  hasOlder: boolean;
  /** The alert's comments as far as this view knows: the page's total plus live ones since. */
  total: number;
}

const byId = (a: AlertComment, b: AlertComment): number => a.id - b.id;

/**
 * The newest page, replacing what was held. Live comments that arrived while the page was being
 * read and are newer than its newest are kept, and counted on top of its total.
 */
export function fromNewestPage(
  alertId: number,
  page: AlertCommentPage,
  held: AlertCommentsView | null,
): AlertCommentsView {
  const newestId = page.comments.at(-1)?.id ?? 0;
  const later = held?.alertId === alertId ? held.comments.filter((c) => c.id > newestId) : [];
  return {
    alertId,
    comments: [...page.comments, ...later],
    hasOlder: page.hasOlder,
    total: page.total + later.length,
  };
}

/** An older page, put before what is held. */
export function withOlderPage(view: AlertCommentsView, page: AlertCommentPage): AlertCommentsView {
  const known = new Set(view.comments.map((c) => c.id));
  const older = page.comments.filter((c) => !known.has(c.id));
  return {
    ...view,
    comments: [...older, ...view.comments].sort(byId),
    hasOlder: page.hasOlder,
  };
}

/** A live comment: added (and counted) when it belongs to this alert and is not held yet. */
export function withLiveComment(view: AlertCommentsView, comment: AlertComment): AlertCommentsView {
  if (comment.alertId !== view.alertId || view.comments.some((c) => c.id === comment.id)) {
    return view;
  }
  return {
    ...view,
    comments: [...view.comments, comment].sort(byId),
    total: view.total + 1,
  };
}

/**
 * Whether the alert counts comments this view never got (a live one lost while the link was
 * down): then the newest page is read again.
 */
export function missesComments(view: AlertCommentsView, commentCount: number): boolean {
  return commentCount > view.total;
}
