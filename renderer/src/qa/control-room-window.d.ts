/**
 * The QA hook on `window` (installed by control-room-hook.ts). A global script declaration, not a
 * module, so browser tests outside the renderer's program can reference it too.
 */
interface ControlRoomTestHook {
  /** Basemap loaded (with labels) and at least one vehicle frame drawn. */
  readonly ready: boolean;
  /** Vehicle indexes currently on the map. */
  liveVehicleIndexes(): number[];
  /** CSS pixels relative to the viewport of the vehicle's currently drawn position, or null. */
  projectVehicle(index: number): [x: number, y: number] | null;
  /** CSS pixels relative to the viewport of any longitude/latitude (map must exist). */
  projectLngLat(lon: number, lat: number): [x: number, y: number];
  /** Opens the drawer for a vehicle, as a click on its dot would. */
  selectVehicle(index: number): void;
  /** Whether vehicles glide between updates, and the measured cost of one vehicle draw (ms). */
  motion(): { interpolating: boolean; drawCostMs: number };
  /** Moves the map at once (no animation), e.g. to zoom in where motion is visible in pixels. */
  jumpTo(lon: number, lat: number, zoom: number): void;
  /** Position-update timing for the benchmark (performance.now() ms). */
  updateTiming(): ControlRoomUpdateTiming;
}

interface ControlRoomUpdateTiming {
  /** Position updates that arrived so far. */
  arrived: number;
  /** Main-thread ms spent decoding and applying them, summed. */
  applyMs: number;
  /** Number of the oldest update still kept; the arrays below start with it. */
  first: number;
  /** When each update's handler started. */
  arrivedAtMs: number[];
  /** When the relay built each update's frame (NaN for a frame that did not decode). */
  sentAtMs: number[];
  /** When deck.gl first drew each update, or null while it has not. */
  drawnAtMs: (number | null)[];
}

interface Window {
  __controlRoom?: ControlRoomTestHook;
}
