/**
 * A text box with its submit button: a comment, a resolution note, a hand-off request note. The
 * same limits everywhere: the relay's maximum length, a counter when asked for, Ctrl+Enter sends.
 */
import { useId, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The counter turns to a warning this close to the length limit. */
const NEAR_LIMIT_SHARE = 0.9;

export function CommentForm({
  className,
  textTestId,
  submitTestId,
  counterTestId,
  label,
  placeholder,
  maxLength,
  value,
  onChange,
  onSubmit,
  submitLabel,
  shortcut,
  primary = false,
  busy = false,
  requireText = false,
  before,
  after,
}: {
  className?: string;
  textTestId: string;
  submitTestId: string;
  /** Shows a length counter with this test id. */
  counterTestId?: string;
  label: string;
  placeholder: string;
  maxLength: number;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
  /** The panel's key for this action, shown on the button. */
  shortcut?: string;
  primary?: boolean;
  busy?: boolean;
  /** The button waits for text (a comment); otherwise the text is optional (a note). */
  requireText?: boolean;
  /** Fields above the text (the resolution). */
  before?: ReactNode;
  /** Below the button (an error). */
  after?: ReactNode;
}) {
  const { t } = useTranslation();
  const counterId = useId();
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (busy || (requireText && value.trim() === '')) return;
    onSubmit();
  };
  const button = (
    <button
      type="submit"
      className={`action-button${primary ? ' is-primary' : ''}`}
      data-testid={submitTestId}
      disabled={busy || (requireText && value.trim() === '')}
      aria-busy={busy}
      title={shortcut ? t('detail.shortcut', { key: shortcut }) : undefined}
    >
      {submitLabel} {shortcut && <kbd>{shortcut}</kbd>}
    </button>
  );
  return (
    <form className={`comment-form${className ? ` ${className}` : ''}`} onSubmit={submit}>
      {before}
      <textarea
        className="detail__textarea"
        data-testid={textTestId}
        aria-label={label}
        aria-describedby={counterTestId ? counterId : undefined}
        placeholder={placeholder}
        maxLength={maxLength}
        rows={2}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
        }}
      />
      <div className="comment-form__footer">
        {counterTestId !== undefined ? (
          <span
            id={counterId}
            className={`comment-form__counter${
              value.length >= maxLength * NEAR_LIMIT_SHARE ? ' is-near-limit' : ''
            }`}
            data-testid={counterTestId}
          >
            {t('detail.commentLength', { length: String(value.length), max: String(maxLength) })}
          </span>
        ) : (
          <span />
        )}
        {button}
      </div>
      {after}
    </form>
  );
}
