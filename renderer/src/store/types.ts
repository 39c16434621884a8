import type { HealthSnapshot } from '../../../shared/events';
import type { VehicleEntry, VehicleTableUpdate } from '../../../shared/vehicles';
import type { Language } from '../i18n/language';

/** The Socket.IO link to the relay. Times are monotonic ms (performance.now()). */
export interface ConnectionSlice {
  connected: boolean;
  /** When the client started trying, so "no frame for 15 s" also holds before the first frame. */
  startedAt: number;
  /** When the link dropped, or null while connected (and before the first connect). */
  disconnectedSince: number | null;
  /** The relay's last error or disconnect reason, for the indicator's tooltip. */
  lastError: string | null;
  health: HealthSnapshot | null;
  setConnected: () => void;
  setDisconnected: (now: number, reason: string) => void;
  setHealth: (health: HealthSnapshot) => void;
}

/**
 * Vehicle metadata (what a frame's index means) and the operator's selection. Positions are not
 * here: they change every frame and live in the FleetBuffer outside React.
 */
export interface FleetSlice {
  /**
   * Vehicle table keyed by index. Mutated in place on upserts (see applyVehicleTable); entries
   * themselves are replaced, never mutated, so selecting one entry re-renders on its change.
   */
  vehicles: Map<number, VehicleEntry>;
  /** The relay's table version after the last update applied. */
  tableVersion: number;
  /** Local change counter: bumps on every table update so list views can re-render. */
  tableRevision: number;
  /** Live vehicles on the map (from the fleet buffer, copied here when it changes). */
  liveCount: number;
  selectedIndex: number | null;
  applyVehicleTable: (update: VehicleTableUpdate) => void;
  setLiveCount: (count: number) => void;
  selectVehicle: (index: number | null) => void;
}

export interface UiSlice {
  language: Language;
  setLanguage: (language: Language) => void;
}

export type AppState = ConnectionSlice & FleetSlice & UiSlice;
