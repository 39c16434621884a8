/**
 * The followed vehicle's trail: where it was over the last minutes, as [lon, lat] points with
 * their times. Starts from the store's track (so it is there at once) and grows with each live
 * position; points older than the window fall off. Pure: times are passed in.
 */
export interface TrailPoint {
  t: number;
  lon: number;
  lat: number;
}

/** The trail drawn behind a followed vehicle. */
export const TRAIL_MINUTES = 5;
const MS_PER_MINUTE = 60_000;
/** A step this far (degrees, ~2 km) is a new session or a corrected fix: the trail starts over. */
const TRAIL_BREAK_DEG = 0.02;

export class FollowTrail {
  private points: TrailPoint[] = [];

  constructor(private readonly windowMs = TRAIL_MINUTES * MS_PER_MINUTE) {}

  /** The store's recent track, oldest first; live points already held stay after it. */
  seed(track: readonly TrailPoint[], now: number): void {
    const newestSeeded = track.at(-1)?.t ?? -Infinity;
    this.points = [...track, ...this.points.filter((p) => p.t > newestSeeded)];
    this.trim(now);
  }

  /** A live position; ignored when the vehicle has not moved since the last one. */
  add(point: TrailPoint): void {
    const last = this.points.at(-1);
    if (last && last.lon === point.lon && last.lat === point.lat) return;
    if (
      last &&
      (Math.abs(point.lon - last.lon) > TRAIL_BREAK_DEG ||
        Math.abs(point.lat - last.lat) > TRAIL_BREAK_DEG)
    ) {
      this.points = [];
    }
    this.points.push(point);
    this.trim(point.t);
  }

  path(): [number, number][] {
    return this.points.map((p) => [p.lon, p.lat]);
  }

  get length(): number {
    return this.points.length;
  }

  private trim(now: number): void {
    const oldest = now - this.windowMs;
    const first = this.points.findIndex((p) => p.t >= oldest);
    this.points = first === -1 ? [] : this.points.slice(first);
  }
}
