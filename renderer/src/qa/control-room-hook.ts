/**
 * The QA hook on `window.__controlRoom` (docs/TESTING.md): a read-only view of what a test needs —
 * readiness, the connection, the inbox, open panels, the language, vehicles on screen and where
 * they are drawn, the replayed time — plus two test commands (select a vehicle, move the map).
 *
 * It only reads: the zustand store, the fleet buffer and the map's status (map/map-status.ts).
 * Production code never writes into it; every getter computes its answer when a test asks, so
 * the hook costs nothing while no test is looking. Its shape is a versioned contract
 * (CONTROL_ROOM_HOOK_VERSION; the global type is in control-room-window.d.ts): renaming or
 * removing a member is a breaking change, noted in docs/TESTING.md.
 */
import { ALERT_STATUSES, type Alert } from '../../../shared/alerts';
import { SOCKET_LOAD_REFUSAL_PREFIX } from '../../../shared/socket-admission';
import { countByStatus, visibleAlerts } from '../features/alerts/alert-list';
import { deriveConnectionState } from '../features/connection/connection-state';
import type { FleetBuffer } from '../live/fleet-buffer';
import {
  currentMap,
  currentMotion,
  currentStreets,
  mapReadiness,
  updateTiming,
} from '../map/map-status';
import { useAppStore, type AppState } from '../store';

// Writers used to live here; they are the map's now (map/map-status.ts). Re-exported so code that
// still imports them from here keeps compiling; new code imports map-status.
export {
  markBasemapReady,
  markDeckRendered,
  markLabelsDrawn,
  markUpdateApplied,
  markUpdateArrived,
  markVehiclesPushed,
  reportMotion,
  reportStreets,
  setQaMap,
} from '../map/map-status';

/** Bumped on every breaking change of the hook's shape (docs/TESTING.md, "Contract"). */
export const CONTROL_ROOM_HOOK_VERSION = 2;

/** Where the page is: the desktop console, or a wall display (`/kiosk`). */
const WALL_PATH = '/kiosk';

/**
 * Store fields other slices may or may not have yet (the replay slice, the admin screen): read
 * structurally so the hook does not depend on when they land.
 */
interface OptionalState {
  replay?: {
    atMs: number | null;
    playing: boolean;
    speed: number;
    shownAsOfMs: number | null;
  };
  adminOpen?: boolean;
}

function toViewport(lon: number, lat: number): [x: number, y: number] | null {
  const map = currentMap();
  if (map === null) return null;
  // Map container pixels to viewport CSS pixels (the map may not start at the page's corner).
  const point = map.project([lon, lat]);
  const rect = map.getContainer().getBoundingClientRect();
  return [rect.left + point.x, rect.top + point.y];
}

function summary(alert: Alert): ControlRoomAlertSummary {
  return {
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    status: alert.status,
    version: alert.version,
    count: alert.count,
    escalated: alert.escalated,
    plate: alert.plate,
    dongName: alert.dongName,
    districtName: alert.districtName,
  };
}

/** The panels showing now, as the store says (names are part of the contract). */
export function openPanels(state: AppState, wall: boolean): ControlRoomPanel[] {
  if (wall) return ['kiosk'];
  if (state.session === null) return ['login'];
  const optional = state as AppState & OptionalState;
  if (state.auditOpen) return ['audit'];
  if (optional.adminOpen) return ['admin'];
  const panels: ControlRoomPanel[] = [];
  if (!state.inboxCollapsed) panels.push('inbox');
  if (state.interlockPanel !== null) panels.push(state.interlockPanel);
  if (state.selectedAlertId !== null && state.alertsById[state.selectedAlertId]) {
    panels.push('alert-detail');
  }
  if (state.selectedViolationId !== null && state.violationsById[state.selectedViolationId]) {
    panels.push('violation-detail');
  }
  if (state.selectedIndex !== null) panels.push('vehicle-drawer');
  return panels;
}

/**
 * `fleet` is the live fleet (the connection's freshness); `drawn` the fleet the map draws now —
 * the replayed one while the time bar is off live — for the vehicles on screen.
 */
export function installControlRoomHook(
  fleet: FleetBuffer,
  selectVehicle: (index: number) => void,
  drawn: () => FleetBuffer = () => fleet,
): () => void {
  const wall = () => window.location.pathname.startsWith(WALL_PATH);
  const state = () => useAppStore.getState();
  const hook: ControlRoomTestHook = {
    version: CONTROL_ROOM_HOOK_VERSION,
    get ready() {
      const r = mapReadiness();
      return r.basemap && r.labels && r.vehicles;
    },
    readiness: () => {
      const s = state();
      return {
        ...mapReadiness(),
        signedIn: s.session !== null,
        inboxLoaded: s.alertsLoaded,
        connected: s.connected,
      };
    },
    screen: () => (wall() ? 'wall' : 'desk'),
    user: () => {
      const session = state().session;
      return session === null ? null : { username: session.user.username, role: session.user.role };
    },
    connection: () => {
      const s = state();
      const now = performance.now();
      const lastFrameAt = fleet.lastFrameAt;
      return {
        state: deriveConnectionState(
          {
            connected: s.connected,
            lastFrameAt,
            disconnectedSince: s.disconnectedSince,
            startedAt: s.startedAt,
            refusedForLoad: s.lastError?.startsWith(SOCKET_LOAD_REFUSAL_PREFIX) ?? false,
          },
          now,
        ),
        connected: s.connected,
        frameAgeMs: lastFrameAt === null ? null : Math.max(0, now - lastFrameAt),
        lastError: s.lastError,
      };
    },
    inbox: () => {
      const s = state();
      const shown = visibleAlerts(s.alertsById, s.alertFilters);
      const all = Object.values(s.alertsById);
      const counts = countByStatus(s.alertsById);
      return {
        loaded: s.alertsLoaded,
        ids: shown.map((a) => a.id),
        alerts: shown.map(summary),
        total: all.length,
        selectedId: s.selectedAlertId,
        countsByStatus: Object.fromEntries(ALERT_STATUSES.map((st) => [st, counts[st]])) as Record<
          (typeof ALERT_STATUSES)[number],
          number
        >,
        filters: { ...s.alertFilters },
      };
    },
    openPanels: () => openPanels(state(), wall()),
    language: () => state().language,
    replay: () => {
      const replay = (state() as AppState & OptionalState).replay;
      if (!replay) return null;
      return {
        live: replay.atMs === null,
        atMs: replay.atMs,
        shownAsOfMs: replay.shownAsOfMs,
        playing: replay.playing,
        speed: replay.speed,
      };
    },
    vehiclesOnScreen: () => {
      const map = currentMap();
      if (map === null) return [];
      const rect = map.getContainer().getBoundingClientRect();
      const { vehicles } = state();
      const out: ControlRoomVehicleOnScreen[] = [];
      const shown = drawn();
      for (const index of shown.liveIndexes()) {
        const position = shown.drawnPosition(index);
        if (position === null) continue;
        const at = toViewport(position[0], position[1]);
        if (at === null) continue;
        const [x, y] = at;
        if (x < rect.left || x > rect.right || y < rect.top || y > rect.bottom) continue;
        const entry = vehicles.get(index);
        out.push({
          index,
          carId: entry?.carId ?? null,
          plate: entry?.plate ?? null,
          lon: position[0],
          lat: position[1],
          x,
          y,
        });
      }
      return out;
    },
    liveVehicleIndexes: () => drawn().liveIndexes(),
    projectVehicle: (index) => {
      const position = drawn().drawnPosition(index);
      return position === null ? null : toViewport(position[0], position[1]);
    },
    projectLngLat: (lon, lat) => {
      const at = toViewport(lon, lat);
      if (at === null) throw new Error('the map is not created yet');
      return at;
    },
    selectVehicle: (index) => selectVehicle(index),
    motion: currentMotion,
    streets: currentStreets,
    jumpTo: (lon, lat, zoom) => {
      currentMap()?.jumpTo({ center: [lon, lat], zoom });
    },
    updateTiming,
  };
  window.__controlRoom = hook;
  return () => {
    if (window.__controlRoom === hook) delete window.__controlRoom;
  };
}
