/**
 * What the map shows: vehicle classes (the legend's state and speed colours), alert types,
 * interlock violations and the district heat. Closed, a single button.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_TYPES } from '../../../../shared/alerts';
import { useAppStore } from '../../store';
import { DEFAULT_MAP_FILTERS, toggled, VEHICLE_CLASSES } from './map-filters';

export function MapFilterPanel() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const filters = useAppStore((state) => state.mapFilters);
  const setMapFilters = useAppStore((state) => state.setMapFilters);
  const changed =
    filters.hiddenVehicleClasses.length > 0 ||
    filters.hiddenAlertTypes.length > 0 ||
    !filters.violations ||
    filters.districtHeat;

  return (
    <div className="map-filters">
      <button
        type="button"
        className={changed ? 'map-tool-button map-tool-button--active' : 'map-tool-button'}
        data-testid="map-filters-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('mapTools.layers')}
      </button>
      {open && (
        <div className="map-filters-panel" data-testid="map-filters-panel">
          <fieldset>
            <legend>{t('mapTools.vehicleClasses')}</legend>
            {VEHICLE_CLASSES.map((vehicleClass) => (
              <label key={vehicleClass} className="map-filter-chip">
                <input
                  type="checkbox"
                  data-testid={`map-filter-vehicle-${vehicleClass}`}
                  checked={!filters.hiddenVehicleClasses.includes(vehicleClass)}
                  onChange={() =>
                    setMapFilters({
                      hiddenVehicleClasses: toggled(filters.hiddenVehicleClasses, vehicleClass),
                    })
                  }
                />
                {t(`legend.${vehicleClass}`)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('mapTools.alertTypes')}</legend>
            {ALERT_TYPES.map((type) => (
              <label key={type} className="map-filter-chip">
                <input
                  type="checkbox"
                  data-testid={`map-filter-alert-${type}`}
                  checked={!filters.hiddenAlertTypes.includes(type)}
                  onChange={() =>
                    setMapFilters({ hiddenAlertTypes: toggled(filters.hiddenAlertTypes, type) })
                  }
                />
                {t(`alertType.${type}`)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <label className="map-filter-chip">
              <input
                type="checkbox"
                data-testid="map-filter-violations"
                checked={filters.violations}
                onChange={() => setMapFilters({ violations: !filters.violations })}
              />
              {t('mapTools.violations')}
            </label>
            <label className="map-filter-chip">
              <input
                type="checkbox"
                data-testid="map-filter-district-heat"
                checked={filters.districtHeat}
                onChange={() => setMapFilters({ districtHeat: !filters.districtHeat })}
              />
              {t('mapTools.districtHeat')}
            </label>
          </fieldset>
          <button
            type="button"
            className="map-tool-button"
            data-testid="map-filters-reset"
            onClick={() => setMapFilters(DEFAULT_MAP_FILTERS)}
          >
            {t('mapTools.showAll')}
          </button>
        </div>
      )}
    </div>
  );
}
