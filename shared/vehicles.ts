/** The vehicle index table: what a frame's vehicle index means, sent when it changes. */
export interface VehicleEntry {
  /** The compact index used in position frames; stable while the relay runs. */
  index: number;
  carId: string;
  plate: string | null;
  // No driver fields here: this table goes to every client whatever its role, walls included.
  // The driver's age band and sex are read one vehicle at a time (VehicleDriver), by roles with
  // `vehicle.driver`, and every read is audited.
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

/**
 * `GET /api/vehicles/:carId/driver`: the driver's personal fields for one vehicle, for roles that
 * may see them (`vehicle.driver`); the relay audits every read (`pii.unmask`, entity `vehicle`).
 */
export interface VehicleDriver {
  carId: string;
  /** The driver's age in decades (30 for 30대). The exact age never leaves the relay. */
  ageBand: number | null;
  sex: '남' | '여' | null;
}

/** The path of a vehicle's driver fields (car ids may hold characters a path must escape). */
export function vehicleDriverPath(carId: string): string {
  return `/api/vehicles/${encodeURIComponent(carId)}/driver`;
}

/** Driver age band for display (10대, 20대, …), so exact ages stay out of the UI. */
export function ageBand(age: number | null): number | null {
  if (age === null || !Number.isFinite(age) || age < 0) return null;
  return Math.floor(age / 10) * 10;
}
