/**
 * Open alerts as markers coloured by severity, above the vehicles; the selected alert (and any
 * escalated one still waiting for an acknowledgement) pulses. Renders nothing: the markers are
 * rebuilt only when the alerts, filters or selection change (a transient store subscription).
 *
 * The pulse is a MapLibre HTML marker whose ring a CSS animation grows and fades, not a deck.gl
 * layer: any change to a deck.gl layer redraws the whole canvas, all 50,000 vehicles with it, and
 * a pulse drawn that way redrew them sixty times a second for as long as an alert was selected or
 * overdue (on a wall, for hours). The browser's compositor animates the ring without the main
 * thread or WebGL. Selecting an alert flies the map to it.
 */
import type { PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { Marker as MaplibreMarker } from 'maplibre-gl';
import { useEffect } from 'react';
import type { Alert, Severity } from '../../../../shared/alerts';
import { matchesFilters } from '../../features/alerts/alert-list';
import { openAt } from '../../features/replay/replay-window';
import {
  ALERT_MARKER_RING,
  markerOutlineColor,
  SEVERITY_COLORS,
  SEVERITY_MARKERS,
} from '../../features/alerts/alert-visuals';
import { useAppStore, type AppState } from '../../store';
import type { Rgb } from '../vehicle-colors';
import { useMapContext } from '../map-context';

const OWNER = 'alerts';
/** The selected marker grows by this much over its severity's size (SEVERITY_MARKERS). */
const SELECTED_GROWTH_PX = 3;
const OUTER_RING_WIDTH_PX = 2;
const TRANSPARENT: [number, number, number, number] = [0, 0, 0, 0];
/** The ring's size and period are in styles.css (`.alert-pulse`); its colour is the severity's. */
const PULSE_CLASS = 'alert-pulse';
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
  severity: Severity;
  selected: boolean;
}

/** A marker's radius: its severity's size, larger when selected. */
function radiusOf(m: Marker): number {
  return SEVERITY_MARKERS[m.severity].radiusPx + (m.selected ? SELECTED_GROWTH_PX : 0);
}

function toMarker(alert: Alert, selectedId: number | null): Marker | null {
  if (alert.lon === null || alert.lat === null) return null;
  return {
    id: alert.id,
    position: [alert.lon, alert.lat],
    color: SEVERITY_COLORS[alert.severity],
    severity: alert.severity,
    selected: alert.id === selectedId,
  };
}

/** What the map shows: open alerts under the inbox filters, and the selected one whatever it is. */
function markersOf(state: AppState): { markers: Marker[]; pulsing: Marker[] } {
  const markers: Marker[] = [];
  const pulsing: Marker[] = [];
  for (const alert of Object.values(state.alertsById)) {
    const selected = alert.id === state.selectedAlertId;
    // Replaying: the alerts open at the replayed moment, whatever they are now.
    const replayAt = state.replay.atMs;
    const open = replayAt === null ? alert.status !== 'resolved' : openAt(alert, replayAt);
    const shown =
      selected ||
      (open &&
        matchesFilters(alert, state.alertFilters) &&
        !state.mapFilters.hiddenAlertTypes.includes(alert.type));
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

function setPulseColor(element: HTMLElement, [r, g, b]: Rgb): void {
  element.style.setProperty('--pulse-color', `rgb(${r} ${g} ${b})`);
}

export function AlertLayer() {
  const { map, layers } = useMapContext();

  useEffect(() => {
    let markerLayer: ScatterplotLayer<Marker> | null = null;
    let outerRings: ScatterplotLayer<Marker> | null = null;
    /** One HTML marker per pulsing alert, by alert id. */
    const pulses = new Map<number, MaplibreMarker>();

    const onClick = (info: PickingInfo<Marker>): boolean => {
      if (!info.object) return false;
      const state = useAppStore.getState();
      state.selectAlert(info.object.id);
      state.selectVehicle(null);
      return true;
    };

    const syncPulses = (pulsing: Marker[]): void => {
      const wanted = new Set(pulsing.map((m) => m.id));
      for (const [id, pulse] of pulses) {
        if (wanted.has(id)) continue;
        pulse.remove();
        pulses.delete(id);
      }
      for (const marker of pulsing) {
        const known = pulses.get(marker.id);
        if (known) {
          known.setLngLat(marker.position);
          setPulseColor(known.getElement(), marker.color);
          continue;
        }
        const element = document.createElement('div');
        element.className = PULSE_CLASS;
        element.dataset.alertId = String(marker.id);
        setPulseColor(element, marker.color);
        pulses.set(
          marker.id,
          new MaplibreMarker({ element }).setLngLat(marker.position).addTo(map),
        );
      }
    };

    const rebuild = (state: AppState): void => {
      const { markers, pulsing } = markersOf(state);
      // Severity by form as well as colour (alert-visuals.ts): critical markers get a second, outer
      // white ring, low ones are hollow.
      const ringed = markers.filter((m) => SEVERITY_MARKERS[m.severity].outerRingPx !== null);
      outerRings =
        ringed.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'alert-marker-rings',
              data: ringed,
              getPosition: (m) => m.position,
              radiusUnits: 'pixels',
              getRadius: (m) =>
                SEVERITY_MARKERS[m.severity].outerRingPx! + (m.selected ? SELECTED_GROWTH_PX : 0),
              filled: false,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: OUTER_RING_WIDTH_PX,
              getLineColor: [...ALERT_MARKER_RING],
              pickable: false,
            });
      markerLayer =
        markers.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'alert-markers',
              data: markers,
              getPosition: (m) => m.position,
              getFillColor: (m) =>
                SEVERITY_MARKERS[m.severity].filled ? [...m.color] : TRANSPARENT,
              getLineColor: (m) => [...markerOutlineColor(m.severity)],
              radiusUnits: 'pixels',
              getRadius: radiusOf,
              filled: true,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: (m) => SEVERITY_MARKERS[m.severity].outlinePx,
              pickable: true,
              onClick,
            });
      layers.set(OWNER, [outerRings, markerLayer]);
      syncPulses(pulsing);
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
        state.mapFilters !== previous.mapFilters ||
        state.selectedAlertId !== previous.selectedAlertId ||
        state.replay.atMs !== previous.replay.atMs
      ) {
        rebuild(state);
      }
      if (state.selectedAlertId !== previous.selectedAlertId) flyTo(state.selectedAlertId);
    });

    return () => {
      unsubscribe();
      for (const pulse of pulses.values()) pulse.remove();
      pulses.clear();
      layers.set(OWNER, null);
    };
  }, [map, layers]);

  return null;
}
