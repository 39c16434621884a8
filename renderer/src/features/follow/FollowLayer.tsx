/**
 * Following a vehicle: the camera keeps it centred (one eased move per position update, as long
 * as the update's interval, so it glides with the dot) until the operator drags the map; behind
 * it its trail of the last minutes, and the history track of the chosen period from the store.
 * Both lines are deck.gl paths under the vehicle dots. Renders nothing.
 */
import { PathLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import { api } from '../../auth/api';
import { fleet } from '../../live/fleet';
import { useMapContext } from '../../map/map-context';
import { useAppStore } from '../../store';
import { FollowTrail, TRAIL_MINUTES, type TrailPoint } from './follow-trail';

const OWNER = 'trails';
/** Light blue-grey for the history, white for the trail: neither is a vehicle or alert colour. */
const TRACK_COLOR: [number, number, number, number] = [0x9a, 0xa8, 0xbc, 170];
const TRAIL_COLOR: [number, number, number, number] = [0xf8, 0xfa, 0xfc, 230];
const TRACK_WIDTH_PX = 3;
const TRAIL_WIDTH_PX = 4;
const START_FLY_MS = 700;

interface TrackResponse {
  points: TrailPoint[];
}

async function readTrack(carId: string, minutes: number): Promise<TrailPoint[] | null> {
  const result = await api.json<TrackResponse>(
    `/api/vehicles/${encodeURIComponent(carId)}/track?minutes=${minutes}`,
  );
  return result.ok ? result.value.points : null;
}

export function FollowLayer() {
  const { map, layers } = useMapContext();

  useEffect(() => {
    let followed: number | null = null;
    let carId: string | null = null;
    let trail = new FollowTrail();
    let track: [number, number][] = [];
    let generation = 0;

    const draw = (): void => {
      if (followed === null && track.length === 0) {
        layers.set(OWNER, null);
        return;
      }
      layers.set(OWNER, [
        track.length > 1 &&
          new PathLayer<[number, number][]>({
            id: 'vehicle-track',
            data: [track],
            getPath: (path) => path,
            getColor: TRACK_COLOR,
            getWidth: TRACK_WIDTH_PX,
            widthUnits: 'pixels',
            jointRounded: true,
            capRounded: true,
          }),
        trail.length > 1 &&
          new PathLayer<[number, number][]>({
            id: 'vehicle-trail',
            data: [trail.path()],
            getPath: (path) => path,
            getColor: TRAIL_COLOR,
            getWidth: TRAIL_WIDTH_PX,
            widthUnits: 'pixels',
            jointRounded: true,
            capRounded: true,
          }),
      ]);
    };

    const loadTrack = (minutes: number): void => {
      const mine = generation;
      if (carId === null || minutes <= 0) {
        track = [];
        draw();
        return;
      }
      void readTrack(carId, minutes).then((points) => {
        if (mine !== generation || points === null) return;
        track = points.map((p) => [p.lon, p.lat]);
        draw();
      });
    };

    const start = (index: number | null): void => {
      generation++;
      followed = index;
      trail = new FollowTrail();
      track = [];
      carId = index === null ? null : (useAppStore.getState().vehicles.get(index)?.carId ?? null);
      if (index !== null) {
        const position = fleet.targetPosition(index);
        if (position) map.flyTo({ center: position, duration: START_FLY_MS });
        const mine = generation;
        if (carId !== null) {
          void readTrack(carId, TRAIL_MINUTES).then((points) => {
            if (mine !== generation || points === null) return;
            trail.seed(points, Date.now());
            draw();
          });
        }
        loadTrack(useAppStore.getState().trackMinutes);
      }
      draw();
    };

    // Each position update: a step on the trail and one eased camera move to the new position.
    const unsubscribeFleet = fleet.subscribe(() => {
      if (followed === null) return;
      const position = fleet.targetPosition(followed);
      if (position === null) {
        // Gone from the map (its session ended): nothing left to follow.
        useAppStore.getState().followVehicle(null);
        return;
      }
      trail.add({ t: Date.now(), lon: position[0], lat: position[1] });
      // Not while the operator zooms: the next update re-centres.
      if (!map.isZooming()) {
        map.easeTo({ center: position, duration: fleet.intervalMs, easing: (t) => t });
      }
      draw();
    });

    // The operator takes the camera back by dragging it (zooming keeps following).
    const onDrag = (): void => {
      if (followed !== null) useAppStore.getState().followVehicle(null);
    };
    map.on('dragstart', onDrag);

    start(useAppStore.getState().followedIndex);
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      if (state.followedIndex !== previous.followedIndex) start(state.followedIndex);
      else if (state.trackMinutes !== previous.trackMinutes) {
        generation++;
        loadTrack(state.trackMinutes);
      }
    });
    return () => {
      unsubscribe();
      unsubscribeFleet();
      map.off('dragstart', onDrag);
      layers.set(OWNER, null);
    };
  }, [map, layers]);

  return null;
}
