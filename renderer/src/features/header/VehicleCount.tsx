import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

export function VehicleCount() {
  const { t } = useTranslation();
  const count = useAppStore((state) => state.liveCount);
  return (
    <div className="vehicle-count">
      <span className="vehicle-count__label">{t('header.vehicles')}</span>
      {/* The number alone (no separators) so scripts can read it as is. */}
      <span className="vehicle-count__value" data-testid="vehicle-count" data-count={count}>
        {count}
      </span>
    </div>
  );
}
