import type { StateCreator } from 'zustand';
import type { VehicleEntry } from '../../../shared/vehicles';
import type { AppState, FleetSlice } from './types';

export const createFleetSlice: StateCreator<AppState, [], [], FleetSlice> = (set, get) => ({
  vehicles: new Map<number, VehicleEntry>(),
  tableVersion: 0,
  tableRevision: 0,
  liveCount: 0,
  selectedIndex: null,
  applyVehicleTable: (update) => {
    const { vehicles, tableRevision } = get();
    if (update.full) {
      set({
        vehicles: new Map(update.entries.map((entry) => [entry.index, entry])),
        tableVersion: update.tableVersion,
        tableRevision: tableRevision + 1,
      });
      return;
    }
    // Upserts change a handful of entries in a table of up to 50,000: copying the Map on every
    // update would cost O(fleet) per message, so the Map is updated in place and the revision
    // bump tells subscribers. Entries are replaced, so per-entry selectors still see a change.
    for (const entry of update.entries) vehicles.set(entry.index, entry);
    set({ tableVersion: update.tableVersion, tableRevision: tableRevision + 1 });
  },
  setLiveCount: (liveCount) => {
    if (get().liveCount !== liveCount) set({ liveCount });
  },
  selectVehicle: (selectedIndex) => set({ selectedIndex }),
});
