/**
 * For the selected vehicle: follow it (the camera keeps it centred until the map is dragged) and
 * draw its history track for a chosen period from the store.
 */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

/** Periods of history the operator can choose, in minutes (the relay keeps up to a day). */
export const TRACK_PERIODS_MINUTES = [15, 30, 60, 120] as const;

export function FollowBar() {
  const { t } = useTranslation();
  const selectedIndex = useAppStore((state) => state.selectedIndex);
  const followedIndex = useAppStore((state) => state.followedIndex);
  const trackMinutes = useAppStore((state) => state.trackMinutes);
  const followVehicle = useAppStore((state) => state.followVehicle);
  const setTrackMinutes = useAppStore((state) => state.setTrackMinutes);
  const plate = useAppStore((state) => {
    const index = state.followedIndex ?? state.selectedIndex;
    if (index === null) return null;
    const entry = state.vehicles.get(index);
    return entry?.plate ?? entry?.carId ?? null;
  });

  if (selectedIndex === null && followedIndex === null) return null;
  const following = followedIndex !== null && followedIndex === (selectedIndex ?? followedIndex);

  return (
    <div className="follow-bar" data-testid="follow-bar" data-following={following}>
      <span className="follow-plate">{plate}</span>
      <button
        type="button"
        className={following ? 'follow-toggle follow-toggle--on' : 'follow-toggle'}
        data-testid="follow-toggle"
        aria-pressed={following}
        title={t('mapTools.followHint')}
        onClick={() => followVehicle(following ? null : selectedIndex)}
      >
        {following ? t('mapTools.stopFollowing') : t('mapTools.follow')}
      </button>
      {following && (
        <label className="follow-track">
          <span>{t('mapTools.track')}</span>
          <select
            data-testid="follow-track-minutes"
            value={trackMinutes}
            onChange={(event) => setTrackMinutes(Number(event.target.value))}
          >
            <option value={0}>{t('mapTools.trackOff')}</option>
            {TRACK_PERIODS_MINUTES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {t('mapTools.trackMinutes', { count: minutes })}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
