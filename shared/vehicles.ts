/** The vehicle index table: what a frame's vehicle index means, sent when it changes. */
export interface VehicleEntry {
  /** The compact index used in position frames; stable while the relay runs. */
  index: number;
  carId: string;
  plate: string | null;
  /**
   * The driver's age in decades (30 for 30대). The exact age never leaves the relay: this table
   * goes to every client whatever its role, walls included, and a band is all a screen shows.
   */
  ageBand: number | null;
  sex: '남' | '여' | null;
  brand: string | null;
  sessionId: string | null;
  /** Epoch ms of the current driving session's start. */
  sessionStartMs: number | null;
  weather: string | null;
  rapidAccCount: number | null;
}

export interface VehicleTableUpdate {
  /** Version after this update; frames name the table version they were built against. */
  tableVersion: number;
  /** true: replaces the whole table; false: upserts these entries. */
  full: boolean;
  entries: VehicleEntry[];
}

/** Driver age band for display (10대, 20대, …), so exact ages stay out of the UI. */
export function ageBand(age: number | null): number | null {
  if (age === null || !Number.isFinite(age) || age < 0) return null;
  return Math.floor(age / 10) * 10;
}
