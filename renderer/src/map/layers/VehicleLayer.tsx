/**
 * Every live vehicle as a dot, plus a ring on the selected one. Renders nothing: animation
 * frames outside React advance the fleet's interpolation and hand deck.gl the fleet's typed
 * arrays as binary attributes (no per-vehicle objects, no React state).
 * Where the GPU is too slow to glide, the FramePacer switches to one draw per update.
 * It draws whichever fleet is shown: the live one, or the replayed one while the time bar is off
 * live (live/fleet.ts) — one vehicle path for both.
 */
import type { PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import { shownFleet } from '../../live/fleet';
import { markVehiclesPushed, reportMotion } from '../map-status';
import { useAppStore } from '../../store';
import { useMapContext } from '../map-context';
import { VEHICLE_COLOR_SELECTION } from '../vehicle-colors';
import { DIMMED_VEHICLE_OPACITY, feedDim } from '../../features/connection/feed-dim';
import { FramePacer } from './frame-pacer';
import { VehiclePointsLayer } from './vehicle-points-layer';
import { visibleColors } from '../../features/map-filters/map-filters';

const OWNER = 'vehicles';
const VEHICLE_RADIUS_PX = 3;
const SELECTION_RADIUS_PX = 10;
const SELECTION_LINE_WIDTH_PX = 2.5;
const RGBA = 4;
const LON_LAT = 2;

interface BinaryAttribute {
  value: Float32Array | Uint8Array;
  size: number;
  /** Colour bytes 0–255 mean 0–1 in the shader. */
  normalized?: boolean;
}

export function VehicleLayer() {
  const { map, layers } = useMapContext();

  useEffect(() => {
    let fleet = shownFleet.current;
    let selected = useAppStore.getState().selectedIndex;
    let hidden = useAppStore.getState().mapFilters.hiddenVehicleClasses;
    // Transient subscription: selection and filter changes reach the loop without re-rendering.
    const unsubscribe = useAppStore.subscribe((state) => {
      const nextHidden = state.mapFilters.hiddenVehicleClasses;
      if (state.selectedIndex === selected && nextHidden === hidden) return;
      if (nextHidden !== hidden) {
        hidden = nextHidden;
        // The colours (hidden classes transparent) are rebuilt at the next hand-over.
        colors = null;
        drawnPositionVersion = -1;
      }
      selected = state.selectedIndex;
      schedule();
    });

    const onClick = (info: PickingInfo): boolean => {
      // Binary data: the picked index is the slot drawn at the time of the click.
      if (info.index < 0 || info.index >= fleet.count) return false;
      const vehicleIndex = fleet.indexOfSlot[info.index];
      if (vehicleIndex === undefined) return false;
      useAppStore.getState().selectVehicle(vehicleIndex);
      return true;
    };
    const canvas = map.getCanvas();
    const onHover = (info: PickingInfo): void => {
      canvas.style.cursor = info.index >= 0 ? 'pointer' : '';
    };

    const ringPosition = new Float32Array(LON_LAT);
    const pacer = new FramePacer();
    let drawnPositionVersion = -1;
    let drawnColorVersion = -1;
    let drawnSelected: number | null = null;
    // A feed that stopped dims the dots (the banner says how old they are).
    let drawnDimmed = false;
    let colors: BinaryAttribute | null = null;
    let colorsCount = -1;
    let frame = 0;

    /** Hands deck.gl the fleet as it is now, if anything changed since the last hand-over. */
    const push = (): void => {
      const slot = selected === null ? -1 : fleet.slotOf(selected);
      if (
        fleet.positionVersion === drawnPositionVersion &&
        fleet.colorVersion === drawnColorVersion &&
        selected === drawnSelected &&
        feedDim.dimmed === drawnDimmed
      ) {
        return;
      }
      drawnDimmed = feedDim.dimmed;
      drawnPositionVersion = fleet.positionVersion;
      drawnSelected = selected;
      const count = fleet.count;

      // deck.gl re-uploads a binary attribute when it gets a new descriptor object: positions
      // change every frame, colours only when a vehicle changes state or slots move.
      if (colors === null || fleet.colorVersion !== drawnColorVersion || colorsCount !== count) {
        colors = { value: visibleColors(fleet, count, hidden), size: RGBA, normalized: true };
        drawnColorVersion = fleet.colorVersion;
        colorsCount = count;
      }
      const vehicles = new VehiclePointsLayer({
        id: 'vehicles',
        data: {
          length: count,
          attributes: {
            getPosition: { value: fleet.positions.subarray(0, count * LON_LAT), size: LON_LAT },
            getFillColor: colors,
          },
        },
        radiusPixels: VEHICLE_RADIUS_PX,
        opacity: drawnDimmed ? DIMMED_VEHICLE_OPACITY : 1,
        pickable: true,
        onClick,
        onHover,
      });

      let ring: ScatterplotLayer | null = null;
      if (slot >= 0) {
        ringPosition[0] = fleet.positions[slot * LON_LAT]!;
        ringPosition[1] = fleet.positions[slot * LON_LAT + 1]!;
        ring = new ScatterplotLayer({
          id: 'vehicle-selection',
          data: { length: 1, attributes: { getPosition: { value: ringPosition, size: LON_LAT } } },
          radiusUnits: 'pixels',
          getRadius: SELECTION_RADIUS_PX,
          filled: false,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: SELECTION_LINE_WIDTH_PX,
          getLineColor: [...VEHICLE_COLOR_SELECTION],
          pickable: false,
        });
      }

      layers.set(OWNER, [vehicles, ring]);
      if (count > 0) markVehiclesPushed();
    };

    // Animation frames only while they do something: every frame while vehicles glide, and
    // when stepping only the frame after a draw (it measures the draw's cost). An idle map then
    // costs the main thread nothing between updates.
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(tick);
    };
    const tick = (now: number): void => {
      frame = 0;
      pacer.frameStart(now);
      reportMotion(pacer.interpolate, pacer.drawCostMs);
      // Stepping: every leg ends at once, so each update is drawn at its newest positions.
      const moved = fleet.advance(pacer.interpolate ? now : Number.POSITIVE_INFINITY);
      push();
      if ((pacer.interpolate && moved) || pacer.awaitingFrame) schedule();
    };
    schedule();

    const unsubscribeRendered = layers.onRendered(() => {
      // Inside an animation frame the document timeline's time is that frame's timestamp.
      const frameBegan = document.timeline.currentTime;
      pacer.rendered(performance.now(), typeof frameBegan === 'number' ? frameBegan : undefined);
      // Frames where MapLibre also redraws the basemap (a pan, a zoom, tiles arriving) cost far
      // more than the vehicles do on a software renderer; they would make the pacer step for a
      // cost gliding does not add.
      if (map.isMoving() || !map.areTilesLoaded()) pacer.skipDraw();
      schedule();
    });
    // When stepping, draw an update as soon as it is applied rather than at the next animation
    // frame, which on a slow GPU can be a whole draw later.
    let framesSeen = fleet.frameCount;
    const onFleetFrame = (): void => {
      // A heartbeat notifies too (the feed is fresh) but moves nothing.
      if (fleet.frameCount === framesSeen) return;
      framesSeen = fleet.frameCount;
      if (pacer.interpolate) return schedule();
      fleet.advance(Number.POSITIVE_INFINITY);
      push();
    };
    let unsubscribeFleet = fleet.subscribe(onFleetFrame);
    // Live ↔ replay: the other fleet's arrays are handed over whole at the next draw.
    const unsubscribeShown = shownFleet.subscribe((next) => {
      unsubscribeFleet();
      fleet = next;
      framesSeen = fleet.frameCount;
      drawnPositionVersion = -1;
      colors = null;
      unsubscribeFleet = fleet.subscribe(onFleetFrame);
      fleet.advance(Number.POSITIVE_INFINITY);
      push();
      schedule();
    });

    const unsubscribeDim = feedDim.subscribe(() => schedule());

    return () => {
      cancelAnimationFrame(frame);
      unsubscribeDim();
      unsubscribeShown();
      unsubscribeFleet();
      unsubscribeRendered();
      unsubscribe();
      canvas.style.cursor = '';
      layers.set(OWNER, null);
    };
  }, [map, layers]);

  return null;
}
