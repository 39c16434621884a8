import { create } from 'zustand';
import { createAlertsSlice } from './alerts-slice';
import { createChangesSlice } from './changes-slice';
import { createConnectionSlice } from './connection-slice';
import { createFleetSlice } from './fleet-slice';
import { createInterlockSlice } from './interlock-slice';
import { createMapSlice } from './map-slice';
import { createReplaySlice } from './replay-slice';
import { createSessionSlice } from './session-slice';
import type { AppState } from './types';
import { createUiSlice } from './ui-slice';

export type { AppState } from './types';

/** The one store of the client, composed of typed slices. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createConnectionSlice(performance.now())(...args),
  ...createFleetSlice(...args),
  ...createUiSlice(...args),
  ...createSessionSlice(...args),
  ...createAlertsSlice(...args),
  ...createInterlockSlice(...args),
  ...createChangesSlice(...args),
  ...createMapSlice(...args),
  ...createReplaySlice(...args),
}));

export type AppStore = typeof useAppStore;
