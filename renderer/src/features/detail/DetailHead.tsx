import type { ReactNode } from 'react';

/** A detail panel's title and its close button (Esc closes too: each panel listens for it). */
export function DetailHead({
  titleId,
  title,
  className,
  closeTestId,
  closeLabel,
  onClose,
}: {
  titleId: string;
  title: ReactNode;
  /** Extra classes of the title (an alert type's colour). */
  className?: string;
  closeTestId: string;
  closeLabel: string;
  onClose: () => void;
}) {
  return (
    <div className="detail__head">
      <h2 id={titleId} className={className ? `detail__title ${className}` : 'detail__title'}>
        {title}
      </h2>
      <button
        type="button"
        className="drawer__close"
        data-testid={closeTestId}
        aria-label={closeLabel}
        title={`${closeLabel} (Esc)`}
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}
