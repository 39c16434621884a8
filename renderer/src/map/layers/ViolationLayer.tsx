/**
 * Interlock violations on the map while the violations panel is open (under its filters), and the
 * selected violation whatever is open: major ones red, minor ones grey, white-ringed so they are
 * told apart from alert markers (the INTERLOCK alert of a major violation sits on the same spot).
 * Renders nothing; markers are rebuilt only when violations, filters, panel or selection change
 * (a transient store subscription). Selecting a violation flies the map to it.
 */
import type { PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import type { Violation } from '../../../../shared/interlock';
import { matchesViolationFilters } from '../../features/interlock/interlock-list';
import {
  GRADE_COLORS,
  VIOLATION_MARKER_OUTLINE,
  VIOLATION_MARKERS,
} from '../../features/interlock/interlock-visuals';
import { selectViolation } from '../../features/interlock/selection';
import { useAppStore, type AppState } from '../../store';
import { useMapContext } from '../map-context';
import type { Rgb } from '../vehicle-colors';

const OWNER = 'violations';
const SELECTED_RADIUS_PX = 12;
const SELECTED_OUTLINE_WIDTH_PX = 4;
/** As the alert layer: close enough to read the streets, never zooming out. */
const FLY_ZOOM = 14;
const FLY_DURATION_MS = 1200;
/**
 * The violation lands in the middle of what stays visible: the detail on the right (styles.css
 * `--detail-width` 400 px + 12 px) and the header (64 px) are cleared by an offset. The left dock
 * is cleared by the camera padding while the inbox is expanded (MapView); with the inbox
 * collapsed an open interlock panel still covers it (`--inbox-width` 440 px + 12 px).
 */
const RIGHT_DOCK_PX = 400 + 12;
const LEFT_DOCK_PX = 440 + 12;
const HEADER_HEIGHT_PX = 64;

interface Marker {
  id: number;
  position: [lon: number, lat: number];
  color: Rgb;
  radius: number;
  major: boolean;
  selected: boolean;
}

function toMarker(v: Violation, selectedId: number | null): Marker | null {
  if (v.lon === null || v.lat === null) return null;
  const selected = v.id === selectedId;
  return {
    id: v.id,
    position: [v.lon, v.lat],
    color: GRADE_COLORS[v.grade],
    radius: selected ? SELECTED_RADIUS_PX : VIOLATION_MARKERS[v.grade].radiusPx,
    major: v.grade === 'major',
    selected,
  };
}

function markersOf(state: AppState): Marker[] {
  const markers: Marker[] = [];
  const panelOpen = state.interlockPanel === 'violations';
  for (const v of Object.values(state.violationsById)) {
    const selected = v.id === state.selectedViolationId;
    if (!selected && !(panelOpen && matchesViolationFilters(v, state.violationFilters))) continue;
    const marker = toMarker(v, state.selectedViolationId);
    if (marker !== null) markers.push(marker);
  }
  // Minor under major, the selected one on top.
  const rank = (m: Marker) => (m.selected ? 2 : m.major ? 1 : 0);
  return markers.sort((a, b) => rank(a) - rank(b));
}

export function ViolationLayer() {
  const { map, layers } = useMapContext();

  useEffect(() => {
    const onClick = (info: PickingInfo<Marker>): boolean => {
      if (!info.object) return false;
      selectViolation(info.object.id);
      return true;
    };

    const rebuild = (state: AppState): void => {
      const markers = markersOf(state);
      layers.set(
        OWNER,
        markers.length === 0
          ? null
          : [
              new ScatterplotLayer<Marker>({
                id: 'violation-markers',
                data: markers,
                getPosition: (m) => m.position,
                getFillColor: (m) => [...m.color],
                getLineColor: [...VIOLATION_MARKER_OUTLINE],
                radiusUnits: 'pixels',
                getRadius: (m) => m.radius,
                filled: true,
                stroked: true,
                lineWidthUnits: 'pixels',
                getLineWidth: (m) =>
                  m.selected
                    ? SELECTED_OUTLINE_WIDTH_PX
                    : VIOLATION_MARKERS[m.major ? 'major' : 'minor'].outlinePx,
                pickable: true,
                onClick,
              }),
            ],
      );
    };

    const flyTo = (state: AppState): void => {
      const id = state.selectedViolationId;
      const v = id === null ? undefined : state.violationsById[id];
      if (v === undefined || v.lon === null || v.lat === null) return;
      const leftCovered = state.inboxCollapsed && state.interlockPanel !== null ? LEFT_DOCK_PX : 0;
      map.flyTo({
        center: [v.lon, v.lat],
        zoom: Math.max(map.getZoom(), FLY_ZOOM),
        offset: [(leftCovered - RIGHT_DOCK_PX) / 2, HEADER_HEIGHT_PX / 2],
        duration: FLY_DURATION_MS,
        essential: true,
      });
    };

    rebuild(useAppStore.getState());
    flyTo(useAppStore.getState());
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (
        state.violationsById !== previous.violationsById ||
        state.violationFilters !== previous.violationFilters ||
        state.interlockPanel !== previous.interlockPanel ||
        state.selectedViolationId !== previous.selectedViolationId
      ) {
        rebuild(state);
      }
      if (state.selectedViolationId !== previous.selectedViolationId) flyTo(state);
    });

    return () => {
      unsubscribe();
      layers.set(OWNER, null);
    };
  }, [map, layers]);

  return null;
}
