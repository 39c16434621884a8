/**
 * Interlock violations and TCS hand-offs as the relay pushed them (each the highest version
 * seen), the TCS figures, which interlock panel is open, the selected violation and the filters.
 */
import type { StateCreator } from 'zustand';
import type { Dispatch, DispatchStats, Violation } from '../../../shared/interlock';
import {
  mergeByVersion,
  NO_VIOLATION_FILTERS,
  type DispatchesById,
  type ViolationFilters,
  type ViolationsById,
} from '../features/interlock/interlock-list';
import { retainNamed } from '../live/change-apply';
import type { AppState } from './types';

/** The left dock shows the alert inbox, or one of these over it. */
export type InterlockPanel = 'violations' | 'tcs';

export interface InterlockSlice {
  violationsById: ViolationsById;
  /** The first `violations` snapshot arrived (before it, empty means "loading", not "none"). */
  violationsLoaded: boolean;
  dispatchesById: DispatchesById;
  dispatchesLoaded: boolean;
  /** `GET /api/dispatches/stats`, refreshed on hand-off changes; null until the first answer. */
  dispatchStats: DispatchStats | null;
  interlockPanel: InterlockPanel | null;
  selectedViolationId: number | null;
  /** The hand-off the TCS panel scrolls to and marks (from a violation's "show in TCS"). */
  highlightedDispatchId: number | null;
  violationFilters: ViolationFilters;
  /** One `violation` event (or a command's answer): kept only when newer than the copy held. */
  upsertViolation: (violation: Violation) => void;
  /**
   * The violations of a catch-up on (re)connect: merged by version, never replacing newer copies;
   * a full snapshot (`full`) also drops those it does not name.
   */
  mergeViolationSnapshot: (violations: Violation[], full?: boolean) => void;
  upsertDispatch: (dispatch: Dispatch) => void;
  mergeDispatchSnapshot: (dispatches: Dispatch[], full?: boolean) => void;
  setDispatchStats: (stats: DispatchStats) => void;
  setInterlockPanel: (panel: InterlockPanel | null) => void;
  selectViolation: (id: number | null) => void;
  highlightDispatch: (id: number | null) => void;
  setViolationFilter: <K extends keyof ViolationFilters>(
    key: K,
    value: ViolationFilters[K],
  ) => void;
  /** On logout: nothing of one user's session stays for the next. */
  clearInterlock: () => void;
}

const NO_VIOLATIONS: ViolationsById = {};
const NO_DISPATCHES: DispatchesById = {};

export const createInterlockSlice: StateCreator<AppState, [], [], InterlockSlice> = (set, get) => ({
  violationsById: NO_VIOLATIONS,
  violationsLoaded: false,
  dispatchesById: NO_DISPATCHES,
  dispatchesLoaded: false,
  dispatchStats: null,
  interlockPanel: null,
  selectedViolationId: null,
  highlightedDispatchId: null,
  violationFilters: NO_VIOLATION_FILTERS,
  upsertViolation: (violation) => {
    const current = get().violationsById;
    const next = mergeByVersion(current, [violation]);
    if (next !== current) set({ violationsById: next });
  },
  mergeViolationSnapshot: (violations, full = false) => {
    const held = get().violationsById;
    set({
      violationsById: mergeByVersion(full ? retainNamed(held, violations) : held, violations),
      violationsLoaded: true,
    });
  },
  upsertDispatch: (dispatch) => {
    const current = get().dispatchesById;
    const next = mergeByVersion(current, [dispatch]);
    if (next !== current) set({ dispatchesById: next });
  },
  mergeDispatchSnapshot: (dispatches, full = false) => {
    const held = get().dispatchesById;
    set({
      dispatchesById: mergeByVersion(full ? retainNamed(held, dispatches) : held, dispatches),
      dispatchesLoaded: true,
    });
  },
  setDispatchStats: (dispatchStats) => set({ dispatchStats }),
  setInterlockPanel: (interlockPanel) => set({ interlockPanel }),
  selectViolation: (selectedViolationId) => set({ selectedViolationId }),
  highlightDispatch: (highlightedDispatchId) => set({ highlightedDispatchId }),
  setViolationFilter: (key, value) =>
    set((state) => ({ violationFilters: { ...state.violationFilters, [key]: value } })),
  clearInterlock: () =>
    set({
      violationsById: NO_VIOLATIONS,
      violationsLoaded: false,
      dispatchesById: NO_DISPATCHES,
      dispatchesLoaded: false,
      dispatchStats: null,
      interlockPanel: null,
      selectedViolationId: null,
      highlightedDispatchId: null,
    }),
});
