/**
 * Open alerts as markers coloured by severity, above the vehicles; the selected alert (and any
 * escalated one still waiting for an acknowledgement) pulses. Renders nothing: the markers are
 * rebuilt only when the alerts, filters or selection change (a transient store subscription), and
 * the pulse is a requestAnimationFrame loop outside React that changes two uniforms (radius scale
 * and opacity), so no attribute is recomputed per frame. Selecting an alert flies the map to it.
 */
import type { PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import type { Alert } from '../../../../shared/alerts';
import { matchesFilters } from '../../features/alerts/alert-list';
import { ALERT_MARKER_OUTLINE, SEVERITY_COLORS } from '../../features/alerts/alert-visuals';
import { useAppStore, type AppState } from '../../store';
import type { Rgb } from '../vehicle-colors';
import { useMapContext } from '../map-context';

const OWNER = 'alerts';
const MARKER_RADIUS_PX = 9;
const SELECTED_RADIUS_PX = 12;
const OUTLINE_WIDTH_PX = 2.5;
const PULSE_RADIUS_PX = 12;
const PULSE_LINE_WIDTH_PX = 3;
/** One pulse: the ring grows to (1 + PULSE_GROWTH) times its size and fades out. */
const PULSE_PERIOD_MS = 1200;
const PULSE_GROWTH = 1.6;
/** Close enough to read the streets around the alert; never zooms out when already closer. */
const FLY_ZOOM = 14;
const FLY_DURATION_MS = 1200;
/**
 * The selected alert lands in the middle of what stays visible: the map's camera padding already
 * keeps it clear of the docked inbox (MapView); the detail panel on the right (styles.css
 * `--detail-width` 400 px, 12 px from the edge) and the header (64 px) are cleared by an offset.
 */
const DETAIL_CLEARANCE_PX = 400 + 12;
const HEADER_HEIGHT_PX = 64;
const FLY_OFFSET: [x: number, y: number] = [-DETAIL_CLEARANCE_PX / 2, HEADER_HEIGHT_PX / 2];

interface Marker {
  id: number;
  position: [lon: number, lat: number];
  color: Rgb;
  selected: boolean;
}

function toMarker(alert: Alert, selectedId: number | null): Marker | null {
  if (alert.lon === null || alert.lat === null) return null;
  return {
    id: alert.id,
    position: [alert.lon, alert.lat],
    color: SEVERITY_COLORS[alert.severity],
    selected: alert.id === selectedId,
  };
}

/** What the map shows: open alerts under the inbox filters, and the selected one whatever it is. */
function markersOf(state: AppState): { markers: Marker[]; pulsing: Marker[] } {
  const markers: Marker[] = [];
  const pulsing: Marker[] = [];
  for (const alert of Object.values(state.alertsById)) {
    const selected = alert.id === state.selectedAlertId;
    const shown =
      selected || (alert.status !== 'resolved' && matchesFilters(alert, state.alertFilters));
    if (!shown) continue;
    const marker = toMarker(alert, state.selectedAlertId);
    if (marker === null) continue;
    markers.push(marker);
    if (selected || (alert.escalated && alert.status === 'new')) pulsing.push(marker);
  }
  // The selected marker last: drawn on top of its neighbours.
  markers.sort((a, b) => Number(a.selected) - Number(b.selected));
  return { markers, pulsing };
}

export function AlertLayer() {
  const { map, layers } = useMapContext();

  useEffect(() => {
    let markers: Marker[] = [];
    let pulsing: Marker[] = [];
    let markerLayer: ScatterplotLayer<Marker> | null = null;
    let frame = 0;

    const onClick = (info: PickingInfo<Marker>): boolean => {
      if (!info.object) return false;
      const state = useAppStore.getState();
      state.selectAlert(info.object.id);
      state.selectVehicle(null);
      return true;
    };

    const push = (now: number): void => {
      const phase = (now % PULSE_PERIOD_MS) / PULSE_PERIOD_MS;
      const pulse =
        pulsing.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'alert-pulse',
              data: pulsing,
              getPosition: (m) => m.position,
              getLineColor: (m) => [...m.color],
              radiusUnits: 'pixels',
              getRadius: PULSE_RADIUS_PX,
              // Uniforms: changing them every frame costs no attribute update.
              radiusScale: 1 + PULSE_GROWTH * phase,
              opacity: 1 - phase,
              filled: false,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: PULSE_LINE_WIDTH_PX,
              pickable: false,
            });
      layers.set(OWNER, [pulse, markerLayer]);
    };

    const tick = (): void => {
      frame = requestAnimationFrame(tick);
      push(performance.now());
    };

    const rebuild = (state: AppState): void => {
      ({ markers, pulsing } = markersOf(state));
      markerLayer =
        markers.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'alert-markers',
              data: markers,
              getPosition: (m) => m.position,
              getFillColor: (m) => [...m.color],
              getLineColor: [...ALERT_MARKER_OUTLINE],
              radiusUnits: 'pixels',
              getRadius: (m) => (m.selected ? SELECTED_RADIUS_PX : MARKER_RADIUS_PX),
              filled: true,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: OUTLINE_WIDTH_PX,
              pickable: true,
              onClick,
            });
      // The loop runs only while something pulses; otherwise one push draws the markers.
      if (pulsing.length > 0 && frame === 0) frame = requestAnimationFrame(tick);
      if (pulsing.length === 0 && frame !== 0) {
        cancelAnimationFrame(frame);
        frame = 0;
      }
      push(performance.now());
    };

    const flyTo = (id: number | null): void => {
      const alert = id === null ? undefined : useAppStore.getState().alertsById[id];
      if (alert === undefined || alert.lon === null || alert.lat === null) return;
      map.flyTo({
        center: [alert.lon, alert.lat],
        zoom: Math.max(map.getZoom(), FLY_ZOOM),
        offset: FLY_OFFSET,
        duration: FLY_DURATION_MS,
        essential: true,
      });
    };

    rebuild(useAppStore.getState());
    flyTo(useAppStore.getState().selectedAlertId);
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (
        state.alertsById !== previous.alertsById ||
        state.alertFilters !== previous.alertFilters ||
        state.selectedAlertId !== previous.selectedAlertId
      ) {
        rebuild(state);
      }
      if (state.selectedAlertId !== previous.selectedAlertId) flyTo(state.selectedAlertId);
    });

    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      layers.set(OWNER, null);
    };
  }, [map, layers]);

  return null;
}
