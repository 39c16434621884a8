/**
 * Open alerts as markers large enough for a wall, coloured by severity; an overdue one (waiting
 * past its deadline) blinks a red ring. Renders nothing: markers are rebuilt only when alerts
 * change (transient store subscription); the blink toggles one layer's visibility twice a second.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import type { Alert } from '../../../../shared/alerts';
import { SEVERITY_RANK } from '../../../../shared/alerts';
import {
  ALERT_MARKER_OUTLINE,
  ESCALATED_COLOR,
  SEVERITY_COLORS,
} from '../../features/alerts/alert-visuals';
import { isOpenAlert, type AlertsById } from '../../features/alerts/alert-list';
import { useMapContext } from '../../map/map-context';
import type { Rgb } from '../../map/vehicle-colors';
import { useAppStore } from '../../store';
import { isOverdue } from '../kiosk-figures';

const OWNER = 'alerts';
const MARKER_RADIUS_PX = 11;
const OUTLINE_WIDTH_PX = 3;
const RING_RADIUS_PX = 19;
const RING_WIDTH_PX = 4;
const BLINK_MS = 500;

interface Marker {
  position: [lon: number, lat: number];
  color: Rgb;
  overdue: boolean;
}

function markersOf(byId: AlertsById): Marker[] {
  return (
    Object.values(byId)
      .filter(
        (a): a is Alert & { lon: number; lat: number } =>
          isOpenAlert(a) && a.lon !== null && a.lat !== null,
      )
      // The most severe drawn last, on top of their neighbours.
      .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
      .map((a) => ({
        position: [a.lon, a.lat],
        color: SEVERITY_COLORS[a.severity],
        overdue: isOverdue(a),
      }))
  );
}

export function KioskAlertMarkers() {
  const { layers } = useMapContext();

  useEffect(() => {
    let markers: ScatterplotLayer<Marker> | null = null;
    let overdue: Marker[] = [];
    let ringOn = true;

    const push = (): void => {
      const ring =
        overdue.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'kiosk-alert-overdue',
              data: overdue,
              visible: ringOn,
              getPosition: (m) => m.position,
              getLineColor: [...ESCALATED_COLOR],
              radiusUnits: 'pixels',
              getRadius: RING_RADIUS_PX,
              filled: false,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: RING_WIDTH_PX,
              pickable: false,
            });
      layers.set(OWNER, [ring, markers]);
    };

    const rebuild = (byId: AlertsById): void => {
      const all = markersOf(byId);
      overdue = all.filter((m) => m.overdue);
      markers =
        all.length === 0
          ? null
          : new ScatterplotLayer<Marker>({
              id: 'kiosk-alert-markers',
              data: all,
              getPosition: (m) => m.position,
              getFillColor: (m) => [...m.color],
              getLineColor: [...ALERT_MARKER_OUTLINE],
              radiusUnits: 'pixels',
              getRadius: MARKER_RADIUS_PX,
              filled: true,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: OUTLINE_WIDTH_PX,
              pickable: false,
            });
      push();
    };

    rebuild(useAppStore.getState().alertsById);
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (state.alertsById !== previous.alertsById) rebuild(state.alertsById);
    });
    const blink = setInterval(() => {
      if (overdue.length === 0) return;
      ringOn = !ringOn;
      push();
    }, BLINK_MS);

    return () => {
      clearInterval(blink);
      unsubscribe();
      layers.set(OWNER, null);
    };
  }, [layers]);

  return null;
}
