import type { StateCreator } from 'zustand';
import type { AppState, ConnectionSlice } from './types';

export const createConnectionSlice =
  (startedAt: number): StateCreator<AppState, [], [], ConnectionSlice> =>
  (set) => ({
    connected: false,
    startedAt,
    disconnectedSince: null,
    lastError: null,
    health: null,
    setConnected: () => set({ connected: true, disconnectedSince: null, lastError: null }),
    setDisconnected: (now, reason) =>
      set((state) => ({
        connected: false,
        // Keep the first drop's time: repeated failures must not restart the 15 s "lost" clock.
        disconnectedSince: state.disconnectedSince ?? now,
        lastError: reason,
      })),
    setHealth: (health) => set({ health }),
  });
