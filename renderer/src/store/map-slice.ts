import type { StateCreator } from 'zustand';
import { DEFAULT_MAP_FILTERS, type MapFilters } from '../features/map-filters/map-filters';
import type { AppState } from './types';

/** A district (구·군, 5-digit KOSTAT code) or neighbourhood (동, 7 digits) on the map. */
export interface MapPlace {
  kind: 'district' | 'dong';
  code: string;
}

/**
 * The map's own choices: the place outlined (found by search or picked in the inbox's district
 * filter), the vehicle the camera follows, its history period, and what is shown.
 */
export interface MapSlice {
  focusedPlace: MapPlace | null;
  /** Bumped on every focus request, so picking the same place again flies there again. */
  focusRevision: number;
  followedIndex: number | null;
  /** Minutes of the followed vehicle's history track drawn from the store; 0: none. */
  trackMinutes: number;
  mapFilters: MapFilters;
  focusPlace: (place: MapPlace | null) => void;
  followVehicle: (index: number | null) => void;
  setTrackMinutes: (minutes: number) => void;
  setMapFilters: (patch: Partial<MapFilters>) => void;
}

export const createMapSlice: StateCreator<AppState, [], [], MapSlice> = (set) => ({
  focusedPlace: null,
  focusRevision: 0,
  followedIndex: null,
  trackMinutes: 0,
  mapFilters: DEFAULT_MAP_FILTERS,
  focusPlace: (focusedPlace) =>
    set((state) => ({ focusedPlace, focusRevision: state.focusRevision + 1 })),
  followVehicle: (followedIndex) => set({ followedIndex }),
  setTrackMinutes: (trackMinutes) => set({ trackMinutes }),
  setMapFilters: (patch) => set((state) => ({ mapFilters: { ...state.mapFilters, ...patch } })),
});
