/**
 * One search box for the map: a plate (whole or part), a car id, a district or a neighbourhood.
 * One match: the map flies there and selects it; several: they are listed to pick from.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fleet } from '../../live/fleet';
import { useMapContext } from '../../map/map-context';
import { DISTRICT_LABELS, DONG_LABELS } from '../../map/map-fonts';
import { useAppStore } from '../../store';
import { searchMap, type SearchResult } from './map-search';

/** Close enough to tell one vehicle from its neighbours, far enough to see its streets. */
export const VEHICLE_FOCUS_ZOOM = 15;
const FLY_DURATION_MS = 900;
const PLACES = { districts: DISTRICT_LABELS, dongs: DONG_LABELS };

export function SearchBox() {
  const { t } = useTranslation();
  const { map } = useMapContext();
  const language = useAppStore((state) => state.language);
  // The vehicle table changes in place; its revision says when.
  const tableRevision = useAppStore((state) => state.tableRevision);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  const results = useMemo(() => {
    void tableRevision;
    const vehicles = useAppStore.getState().vehicles.values();
    return searchMap(query, vehicles, (index) => fleet.has(index), PLACES);
  }, [query, tableRevision]);

  const go = (result: SearchResult): void => {
    const store = useAppStore.getState();
    if (result.kind === 'vehicle') {
      const position = fleet.targetPosition(result.index);
      if (position === null) return;
      store.selectVehicle(result.index);
      map.flyTo({
        center: position,
        zoom: Math.max(map.getZoom(), VEHICLE_FOCUS_ZOOM),
        duration: FLY_DURATION_MS,
      });
    } else {
      // PlaceFocusLayer outlines it and fits the map to it.
      store.focusPlace({ kind: result.kind, code: result.code });
    }
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      setOpen(false);
      return;
    }
    if (event.key !== 'Enter') return;
    setOpen(true);
    // One match, or one exact plate or car id: go at once. Several: the list shows them.
    const [first, second] = results;
    if (first && (!second || (first.kind === 'vehicle' && first.score > second.score))) go(first);
  };

  const name = (result: SearchResult): string => {
    if (result.kind === 'vehicle') return result.plate ?? result.carId;
    const own = language === 'en' ? result.nameEn : result.name;
    if (!result.district) return own;
    return `${language === 'en' ? result.district.nameEn : result.district.name} ${own}`;
  };

  return (
    <div className="map-search" data-testid="map-search">
      <input
        type="search"
        className="map-search-input"
        data-testid="map-search-input"
        aria-label={t('mapTools.searchLabel')}
        placeholder={t('mapTools.searchPlaceholder')}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {open && query.trim() !== '' && (
        <ul className="map-search-results" data-testid="map-search-results" role="listbox">
          {results.length === 0 ? (
            <li className="map-search-empty">{t('mapTools.noResults')}</li>
          ) : (
            results.map((result) => (
              <li
                key={
                  result.kind === 'vehicle' ? `v${result.index}` : `${result.kind}${result.code}`
                }
              >
                <button
                  type="button"
                  className="map-search-result"
                  data-testid="map-search-result"
                  data-kind={result.kind}
                  onClick={() => go(result)}
                >
                  <span className="map-search-kind">{t(`mapTools.${result.kind}`)}</span>
                  <span className="map-search-name">{name(result)}</span>
                  {result.kind === 'vehicle' && result.plate !== null && (
                    <span className="map-search-detail">{result.carId}</span>
                  )}
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
