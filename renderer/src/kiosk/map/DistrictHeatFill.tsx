/**
 * The 16 districts filled by their number of open alerts (district-heat.ts), as a MapLibre fill
 * on the basemap's own district polygons, under the boundary lines. Renders nothing: one effect
 * adds the layer and removes it, a second only feeds new colours in.
 */
import { useEffect, useMemo, useRef } from 'react';
import { SOURCE_DISTRICTS } from '../../map/basemap-style';
import { useMapContext } from '../../map/map-context';
import { useAppStore } from '../../store';
import { heatFillColor, openAlertsByDistrict } from '../district-heat';

const LAYER_ID = 'kiosk-district-heat';
/** The basemap's district boundary layer (basemap-style.ts): the fill goes under it. */
const BEFORE_LAYER_ID = 'district-boundaries';
const FILL_OPACITY = 0.85;

export function DistrictHeatFill() {
  const { map } = useMapContext();
  const alertsById = useAppStore((state) => state.alertsById);
  const color = useMemo(() => heatFillColor(openAlertsByDistrict(alertsById)), [alertsById]);
  const colorRef = useRef(color);

  useEffect(() => {
    const add = (): boolean => {
      if (map.getLayer(LAYER_ID)) return true;
      try {
        map.addLayer(
          {
            id: LAYER_ID,
            type: 'fill',
            source: SOURCE_DISTRICTS,
            paint: { 'fill-color': colorRef.current, 'fill-opacity': FILL_OPACITY },
          },
          BEFORE_LAYER_ID,
        );
        return true;
      } catch {
        // The style is still loading (a wall that starts on this view): add it once it is.
        return false;
      }
    };
    const retry = (): void => void add();
    if (!add()) map.once('load', retry);
    return () => {
      map.off('load', retry);
      if (map.getLayer(LAYER_ID)) map.removeLayer(LAYER_ID);
    };
  }, [map]);

  useEffect(() => {
    colorRef.current = color;
    if (map.getLayer(LAYER_ID)) map.setPaintProperty(LAYER_ID, 'fill-color', color);
  }, [map, color]);

  return null;
}
