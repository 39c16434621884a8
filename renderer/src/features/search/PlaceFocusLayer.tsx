/**
 * The place found by search or picked in the inbox's district filter: outlined on the map and
 * fitted into view. A MapLibre line over the basemap's own boundary polygons; renders nothing.
 */
import { useEffect } from 'react';
import { SOURCE_DISTRICTS, SOURCE_DONGS } from '../../map/basemap-style';
import { useMapContext } from '../../map/map-context';
import { DISTRICT_LABELS, DONG_LABELS } from '../../map/map-fonts';
import { useAppStore } from '../../store';
import type { MapPlace } from '../../store/map-slice';

const LAYER_ID = 'focused-place';
/** A light outline, not a vehicle hue (vehicle-colors.ts) nor an alert colour. */
const OUTLINE_COLOR = '#e2e8f0';
const OUTLINE_WIDTH_PX = 3;
/** Room around the place when fitted, so its outline is not under the map's edge. */
const FIT_PADDING_PX = 60;
const FIT_DURATION_MS = 900;

function bboxOf(place: MapPlace): [number, number, number, number] | null {
  const labels = place.kind === 'district' ? DISTRICT_LABELS : DONG_LABELS;
  const feature = labels.features.find((f) => f.properties.code === place.code);
  const box = feature?.bbox;
  return box && box.length === 4 ? [box[0], box[1], box[2], box[3]] : null;
}

export function PlaceFocusLayer() {
  const { map } = useMapContext();

  useEffect(() => {
    const show = (place: MapPlace | null): void => {
      if (map.getLayer(LAYER_ID)) map.removeLayer(LAYER_ID);
      if (place === null) return;
      try {
        map.addLayer({
          id: LAYER_ID,
          type: 'line',
          source: place.kind === 'district' ? SOURCE_DISTRICTS : SOURCE_DONGS,
          filter: ['==', ['get', 'code'], place.code],
          layout: { 'line-join': 'round' },
          paint: { 'line-color': OUTLINE_COLOR, 'line-width': OUTLINE_WIDTH_PX },
        });
      } catch {
        // The style is being replaced (streets arriving): the outline is added again after.
        map.once('style.load', () => show(useAppStore.getState().focusedPlace));
      }
      const box = bboxOf(place);
      if (box) {
        map.fitBounds(
          [
            [box[0], box[1]],
            [box[2], box[3]],
          ],
          { padding: FIT_PADDING_PX, duration: FIT_DURATION_MS },
        );
      }
    };
    show(useAppStore.getState().focusedPlace);
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (state.focusRevision !== previous.focusRevision) show(state.focusedPlace);
    });
    return () => {
      unsubscribe();
      if (map.getLayer(LAYER_ID)) map.removeLayer(LAYER_ID);
    };
  }, [map]);

  return null;
}
