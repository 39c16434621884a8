import { useTranslation } from 'react-i18next';
import { useAgeText } from '../../lib/use-age-text';
import { useAppStore } from '../../store';
import { useConnectionState } from './use-connection-state';

/** Live / reconnecting / lost, with the age of the last position frame. */
export function ConnectionIndicator() {
  const { t } = useTranslation();
  const ageText = useAgeText();
  const { state, frameAgeMs } = useConnectionState();
  const source = useAppStore((s) => s.health?.source ?? null);
  const lastError = useAppStore((s) => s.lastError);
  const details = [source === null ? null : t(`connection.source.${source}`), lastError]
    .filter((part) => part !== null)
    .join(' · ');

  return (
    <div
      className={`connection connection--${state}`}
      data-testid="connection-status"
      data-state={state}
      role="status"
      title={details || undefined}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{t(`connection.${state}`)}</span>
      <span className="connection__age">
        {frameAgeMs === null
          ? t('connection.waiting')
          : t('connection.lastFrame', { age: ageText(frameAgeMs) })}
      </span>
    </div>
  );
}
