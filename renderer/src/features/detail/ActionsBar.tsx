import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The actions a person's role allows on the record, under one heading. */
export function ActionsBar({
  label,
  children,
  after,
}: {
  label: string;
  /** The buttons. */
  children: ReactNode;
  /** Forms that belong to the actions (assign, resolve), below the buttons. */
  after?: ReactNode;
}) {
  return (
    <section className="detail__section" aria-label={label}>
      <h3 className="detail__heading">{label}</h3>
      <div className="detail__actions">{children}</div>
      {after}
    </section>
  );
}

/**
 * A command button with its keyboard shortcut; when the record's state does not allow it, it is
 * disabled and its tooltip says why.
 */
export function ActionButton({
  testId,
  label,
  shortcut,
  primary = false,
  disabled = false,
  busy = false,
  reason = null,
  onClick,
}: {
  testId: string;
  label: string;
  shortcut?: string;
  primary?: boolean;
  disabled?: boolean;
  busy?: boolean;
  /** Why it is disabled now; null when it is not. */
  reason?: string | null;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`action-button${primary ? ' is-primary' : ''}`}
      data-testid={testId}
      disabled={disabled || busy}
      aria-busy={busy}
      aria-keyshortcuts={shortcut}
      title={reason ?? (shortcut ? t('detail.shortcut', { key: shortcut }) : undefined)}
      onClick={onClick}
    >
      {label} {shortcut && <kbd>{shortcut}</kbd>}
    </button>
  );
}
