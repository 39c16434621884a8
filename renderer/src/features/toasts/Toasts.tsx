import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import type { Toast } from '../../store/types';

/** Long enough to read a sentence from across the room. */
const TOAST_MS = 8000;

/** Short messages at the bottom centre: errors from exports and the like. */
export function Toasts() {
  const toasts = useAppStore((state) => state.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const dismiss = useAppStore((state) => state.dismissToast);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [dismiss, toast.id]);
  return (
    <div className={`toast toast--${toast.tone}`} data-testid="toast" data-tone={toast.tone}>
      <span>{toast.text}</span>
      <button
        type="button"
        className="toast__close"
        aria-label={t('errors.dismiss')}
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}
