import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { mostUrgentRinging } from '../alerts/sound/sound-plan';
import { useAppStore } from '../../store';

/**
 * Mutes or unmutes the alert sound (remembered between sessions). While alerts wait for this
 * person (sound-plan.ts: those who can act) it rings visibly too, so a muted desk still sees it.
 */
export function SoundToggle() {
  const { t } = useTranslation();
  const muted = useAppStore((state) => state.soundMuted);
  const setMuted = useAppStore((state) => state.setSoundMuted);
  const byId = useAppStore((state) => state.alertsById);
  const user = useAppStore((state) => state.session?.user ?? null);
  // What rings for this person (sound-plan.ts): a viewer's badge stays empty.
  const top = useMemo(() => mostUrgentRinging(byId, user), [byId, user]);
  const ringing = top?.ringing ?? 0;
  const label = muted ? t('sound.off') : t('sound.on');
  return (
    <button
      type="button"
      className={`sound-toggle${muted ? ' is-muted' : ''}${ringing > 0 ? ' is-ringing' : ''}`}
      data-testid="sound-toggle"
      data-muted={muted}
      data-ringing={top?.alert.type ?? ''}
      data-ringing-escalated={top?.alert.escalated ?? false}
      data-ringing-count={ringing}
      aria-pressed={!muted}
      aria-label={`${t('sound.toggle')}: ${label}`}
      title={ringing > 0 ? `${label} · ${t('sound.ringing', { count: ringing })}` : label}
      onClick={() => setMuted(!muted)}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
        {muted ? (
          <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" fill="none" />
        ) : (
          <path
            d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12"
            stroke="currentColor"
            strokeWidth="2"
            fill="none"
          />
        )}
      </svg>
      {ringing > 0 && <span className="sound-toggle__count">{ringing}</span>}
    </button>
  );
}
