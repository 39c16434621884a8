/**
 * The comments of the alert on screen: the newest page read from the relay when the alert opens,
 * older pages on request, new comments as they arrive live (AlertComments, in the panel's body);
 * and the comment box with its limits (AlertCommentBox, pinned at the panel's foot so its button
 * is always in view: a character counter; the per-alert cap shown before the relay refuses). The
 * alert itself only counts its comments: when that count runs ahead of what is held (a live
 * comment lost while the link was down), the newest page is read again.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_COMMENT_LENGTH,
  MAX_COMMENTS_PER_ALERT,
  type Alert,
  type AlertCommentPage,
} from '../../../../shared/alerts';
import { api } from '../../auth/api';
import { relayErrorText } from '../../lib/relay-error-text';
import { useRelayError } from '../../lib/use-relay-error';
import { useAppStore } from '../../store';
import { CommentForm } from '../detail/CommentForm';
import { missesComments } from './alert-comments';
import './alert-comments.css';
import { useAlertCommand } from './use-alert-command';

export function AlertComments({
  alert,
  at,
}: {
  alert: Alert;
  /** A moment as the detail panel shows times. */
  at: (ms: number) => string;
}) {
  const { t } = useTranslation();
  const view = useAppStore((state) =>
    state.alertComments?.alertId === alert.id ? state.alertComments : null,
  );
  // A read that failed while the link was down clears itself when it is back (and is retried).
  const {
    error: loadError,
    showRelayError: showLoadError,
    setError: setLoadError,
  } = useRelayError();
  const connected = useAppStore((state) => state.connected);
  /** The comment count at which reading the newest page failed: not retried until it changes. */
  const [failedAtCount, setFailedAtCount] = useState<number | null>(null);
  /** Counts finished reads, so the check below runs again after each one. */
  const [reads, setReads] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const reading = useRef(false);

  useEffect(() => {
    // Back on the link: read again what failed, instead of waiting for the next comment.
    if (connected) setFailedAtCount(null);
  }, [connected]);

  const stale = view === null || missesComments(view, alert.commentCount);
  useEffect(() => {
    if (!stale || reading.current || failedAtCount === alert.commentCount) return;
    reading.current = true;
    const countWhenAsked = alert.commentCount;
    // The store keeps the page only while this alert is still selected.
    void api
      .json<AlertCommentPage>(`/api/alerts/${alert.id}/comments`)
      .then((result) => {
        if (result.ok) {
          setLoadError(null);
          setFailedAtCount(null);
          useAppStore.getState().showAlertComments(alert.id, result.value);
        } else {
          showLoadError(relayErrorText(t, result.error), result.error);
          setFailedAtCount(countWhenAsked);
        }
      })
      .finally(() => {
        reading.current = false;
        setReads((n) => n + 1);
      });
  }, [alert.id, alert.commentCount, stale, failedAtCount, reads, t, setLoadError, showLoadError]);

  const loadOlder = async (): Promise<void> => {
    const oldest = view?.comments[0];
    if (oldest === undefined) return;
    setLoadingOlder(true);
    const result = await api.json<AlertCommentPage>(
      `/api/alerts/${alert.id}/comments?before=${oldest.id}`,
    );
    setLoadingOlder(false);
    if (result.ok) useAppStore.getState().showOlderAlertComments(alert.id, result.value);
    else showLoadError(relayErrorText(t, result.error), result.error);
  };

  const comments = view?.comments ?? [];

  return (
    <section className="detail__section" data-testid="alert-comments">
      <h3 className="detail__heading">
        {t('detail.comments')}
        {alert.commentCount > 0 && ` (${alert.commentCount})`}
      </h3>
      {view?.hasOlder && (
        <button
          type="button"
          className="action-button comments__older"
          data-testid="alert-comments-older"
          disabled={loadingOlder}
          onClick={() => void loadOlder()}
        >
          {t('detail.olderComments')}
        </button>
      )}
      {view === null && loadError === null && alert.commentCount > 0 && (
        <p className="comments__loading">{t('detail.commentsLoading')}</p>
      )}
      {loadError !== null && (
        <p className="detail__error" data-testid="alert-comments-error" role="alert">
          {loadError}
        </p>
      )}
      {comments.length === 0 ? (
        alert.commentCount === 0 && <p className="detail__muted">{t('detail.noComments')}</p>
      ) : (
        <ol className="detail__comments">
          {comments.map((c) => (
            <li key={c.id} className="comment" data-testid="alert-comment">
              <div className="comment__meta">
                <span className="comment__author">{c.by}</span>
                <time dateTime={new Date(c.atMs).toISOString()}>{at(c.atMs)}</time>
              </div>
              <p className="comment__text">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The comment box: at the detail panel's foot, so 등록 is in view however long the panel is. */
export function AlertCommentBox({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const { run, pending, error } = useAlertCommand();
  const [comment, setComment] = useState('');
  const full = alert.commentCount >= MAX_COMMENTS_PER_ALERT;
  const postComment = async (): Promise<void> => {
    const text = comment.trim();
    if (text === '' || full) return;
    if (await run('comment', { id: alert.id, text })) setComment('');
  };
  return (
    <footer className="detail__footer" data-testid="alert-comment-box">
      {full ? (
        <p className="comment-form__full" data-testid="alert-comments-full">
          {t('detail.commentsFull', { max: String(MAX_COMMENTS_PER_ALERT) })}
        </p>
      ) : (
        <CommentForm
          textTestId="alert-comment-input"
          submitTestId="alert-comment-submit"
          counterTestId="alert-comment-counter"
          label={t('detail.comment')}
          placeholder={t('detail.commentPlaceholder')}
          maxLength={MAX_COMMENT_LENGTH}
          value={comment}
          onChange={setComment}
          onSubmit={() => void postComment()}
          submitLabel={t('detail.commentSubmit')}
          busy={pending !== null}
          requireText
          after={
            error !== null && (
              <p className="detail__error" data-testid="alert-comment-error" role="alert">
                {error}
              </p>
            )
          }
        />
      )}
    </footer>
  );
}
