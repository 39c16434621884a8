/**
 * The QA hook on `window` (installed by control-room-hook.ts; docs/TESTING.md). A global script
 * declaration, not a module, so browser tests outside the renderer's program can reference it too.
 * A versioned contract: renaming or removing a member is a breaking change (bump `version`).
 */
interface ControlRoomTestHook {
  /** 2: the read-only view (readiness … replay). 1 had only the map members. */
  readonly version: 2;
  /** Basemap loaded (with labels) and at least one vehicle frame drawn. */
  readonly ready: boolean;
  /** The parts of readiness, for a test that waits for less (or more) than `ready`. */
  readiness(): {
    basemap: boolean;
    labels: boolean;
    vehicles: boolean;
    signedIn: boolean;
    /** The relay's first alert snapshot arrived (an empty inbox then means none, not loading). */
    inboxLoaded: boolean;
    connected: boolean;
  };
  /** `desk`: the console; `wall`: a wall display (`/kiosk`). */
  screen(): 'desk' | 'wall';
  /** Who is signed in, or null. */
  user(): { username: string; role: 'viewer' | 'operator' | 'supervisor' | 'admin' } | null;
  /** What the connection indicator shows, and why. */
  connection(): {
    state: 'live' | 'reconnecting' | 'busy' | 'lost';
    connected: boolean;
    /** Age of the last position frame (ms), null before the first. */
    frameAgeMs: number | null;
    lastError: string | null;
  };
  /** The alert inbox as the store holds it. */
  inbox(): {
    loaded: boolean;
    /** Alert ids in inbox order, under the inbox's current filters. */
    ids: number[];
    alerts: ControlRoomAlertSummary[];
    /** Every alert held, whatever the filters. */
    total: number;
    selectedId: number | null;
    /** Over every alert held (not the filters). */
    countsByStatus: Record<'new' | 'acknowledged' | 'dispatched' | 'resolved', number>;
    filters: {
      type: string | null;
      severity: string | null;
      status: string | null;
      district: string | null;
    };
  };
  /** The panels showing now. */
  openPanels(): ControlRoomPanel[];
  language(): 'ko' | 'en';
  /** The time bar: null where the client has no replay; `live` true while not replaying. */
  replay(): {
    live: boolean;
    /** The replayed moment (epoch ms), null while live. */
    atMs: number | null;
    /** The moment of the frame on screen (trails atMs while a frame loads). */
    shownAsOfMs: number | null;
    playing: boolean;
    speed: number;
  } | null;
  /** Vehicles drawn inside the map's box now, with where (viewport CSS pixels). */
  vehiclesOnScreen(): ControlRoomVehicleOnScreen[];
  /** Vehicle indexes currently on the map. */
  liveVehicleIndexes(): number[];
  /** CSS pixels relative to the viewport of the vehicle's currently drawn position, or null. */
  projectVehicle(index: number): [x: number, y: number] | null;
  /** CSS pixels relative to the viewport of any longitude/latitude (map must exist). */
  projectLngLat(lon: number, lat: number): [x: number, y: number];
  /** Test command: opens the drawer for a vehicle, as a click on its dot would. */
  selectVehicle(index: number): void;
  /** Whether vehicles glide between updates, and the measured cost of one vehicle draw (ms). */
  motion(): { interpolating: boolean; drawCostMs: number };
  /** The deployment's streets: `none`, `tiles` (BASEMAP_TILES) or `style`, and whether drawn. */
  streets(): { kind: string; drawn: boolean };
  /** Test command: moves the map at once (no animation), e.g. to zoom in where motion shows. */
  jumpTo(lon: number, lat: number, zoom: number): void;
  /** Position-update timing for the benchmark (performance.now() ms). */
  updateTiming(): ControlRoomUpdateTiming;
}

type ControlRoomPanel =
  | 'login'
  | 'inbox'
  | 'violations'
  | 'tcs'
  | 'alert-detail'
  | 'violation-detail'
  | 'vehicle-drawer'
  | 'audit'
  | 'admin'
  | 'kiosk';

interface ControlRoomAlertSummary {
  id: number;
  type: string;
  severity: string;
  status: string;
  version: number;
  count: number;
  escalated: boolean;
  plate: string | null;
  dongName: string | null;
  districtName: string | null;
}

interface ControlRoomVehicleOnScreen {
  index: number;
  carId: string | null;
  plate: string | null;
  lon: number;
  lat: number;
  /** Viewport CSS pixels of where it is drawn. */
  x: number;
  y: number;
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
