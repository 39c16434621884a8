/**
 * The QA hook (window.__controlRoom) is a read-only view of the store: what it reports follows the
 * store's state, and it is versioned. (That no production module writes into it: qa-imports.test.ts.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../../renderer/src/features/alerts/alert-list';
import {
  decodePositionFrame,
  FrameKind,
  PositionFrameWriter,
  VehicleFlag,
} from '../../../shared/frames';
import { FleetBuffer } from '../../../renderer/src/live/fleet-buffer';
import {
  CONTROL_ROOM_HOOK_VERSION,
  installControlRoomHook,
} from '../../../renderer/src/qa/control-room-hook';
import { useAppStore } from '../../../renderer/src/store';
import { makeAlert } from '../renderer/alert-fixtures';

const store = useAppStore;
const globals = globalThis as unknown as { window?: { location: { pathname: string } } & Window };
let uninstall: () => void;
let selected: number[] = [];
/** The live fleet, and the fleet the map draws (the replayed one while replaying). */
const liveFleet = new FleetBuffer();
const replayedFleet = new FleetBuffer();
let drawn = liveFleet;

function keyFrameOf(indexes: number[]) {
  const writer = new PositionFrameWriter(indexes.length);
  writer.begin(FrameKind.Key, 1, 0, 1);
  for (const index of indexes) writer.push(index, 129.05, 35.15, 30, 0, VehicleFlag.Moving);
  return decodePositionFrame(writer.finish());
}

function hook(): ControlRoomTestHook {
  const installed = globals.window?.__controlRoom;
  if (!installed) throw new Error('hook not installed');
  return installed;
}

beforeAll(() => {
  globals.window = { location: { pathname: '/' } } as typeof globals.window;
  uninstall = installControlRoomHook(
    liveFleet,
    (index) => selected.push(index),
    () => drawn,
  );
});

afterAll(() => {
  uninstall();
  delete globals.window;
});

beforeEach(() => {
  selected = [];
  store.getState().clearAlerts();
  store.getState().clearInterlock();
  store.setState({
    alertFilters: NO_FILTERS,
    session: null,
    selectedIndex: null,
    auditOpen: false,
    inboxCollapsed: false,
  });
});

describe('QA hook v2', () => {
  it('reports the vehicles of the fleet the map draws: the replayed one while replaying', () => {
    liveFleet.apply(keyFrameOf([1, 2, 3]), 0);
    replayedFleet.apply(keyFrameOf([7]), 0);
    expect([...hook().liveVehicleIndexes()].sort()).toEqual([1, 2, 3]);
    drawn = replayedFleet;
    expect([...hook().liveVehicleIndexes()]).toEqual([7]);
    drawn = liveFleet;
  });

  it('is versioned and says which screen it is on', () => {
    expect(hook().version).toBe(2);
    expect(CONTROL_ROOM_HOOK_VERSION).toBe(2);
    expect(hook().screen()).toBe('desk');
    globals.window!.location.pathname = '/kiosk';
    expect(hook().screen()).toBe('wall');
    expect(hook().openPanels()).toEqual(['kiosk']);
    globals.window!.location.pathname = '/';
  });

  it('reads the inbox from the store: order, selection, counts by status, filters', () => {
    expect(hook().inbox()).toMatchObject({ loaded: false, ids: [], total: 0 });
    store
      .getState()
      .mergeAlertSnapshot([
        makeAlert({ id: 1, severity: 'medium', lastSeenMs: 1000 }),
        makeAlert({ id: 2, severity: 'critical', type: 'MISSING_PERSON_HIT', lastSeenMs: 500 }),
        makeAlert({ id: 3, severity: 'high', status: 'acknowledged', lastSeenMs: 2000 }),
        makeAlert({ id: 4, severity: 'critical', status: 'resolved', lastSeenMs: 3000 }),
      ]);
    store.getState().selectAlert(3);
    const inbox = hook().inbox();
    // Unresolved first, then the most severe, then the newest.
    expect(inbox.ids).toEqual([2, 3, 1, 4]);
    expect(inbox.loaded).toBe(true);
    expect(inbox.selectedId).toBe(3);
    expect(inbox.countsByStatus).toEqual({ new: 2, acknowledged: 1, dispatched: 0, resolved: 1 });
    expect(inbox.alerts[0]).toMatchObject({ id: 2, type: 'MISSING_PERSON_HIT', status: 'new' });

    store.getState().setAlertFilter('status', 'open');
    expect(hook().inbox().ids).toEqual([2, 3, 1]);
    expect(hook().inbox().total).toBe(4);
    expect(hook().inbox().filters.status).toBe('open');
  });

  it('lists the open panels from the store', () => {
    expect(hook().openPanels()).toEqual(['login']);
    store.setState({ session: { token: 't', user: { username: 'kim', role: 'supervisor' } } });
    expect(hook().user()).toEqual({ username: 'kim', role: 'supervisor' });
    expect(hook().openPanels()).toEqual(['inbox']);
    store.getState().mergeAlertSnapshot([makeAlert({ id: 7 })]);
    store.getState().selectAlert(7);
    store.getState().setInterlockPanel('tcs');
    store.getState().selectVehicle(12);
    expect(hook().openPanels()).toEqual(['inbox', 'tcs', 'alert-detail', 'vehicle-drawer']);
    store.getState().setAuditOpen(true);
    expect(hook().openPanels()).toEqual(['audit']);
  });

  it('reports language, connection, readiness and the replayed time; commands go through', () => {
    store.getState().setLanguage('en');
    expect(hook().language()).toBe('en');
    store.getState().setLanguage('ko');
    expect(hook().language()).toBe('ko');

    store.getState().setDisconnected(performance.now(), 'transport close');
    expect(hook().connection()).toMatchObject({
      state: 'reconnecting',
      connected: false,
      lastError: 'transport close',
    });
    expect(hook().ready).toBe(false);
    expect(hook().readiness()).toMatchObject({ basemap: false, vehicles: false, signedIn: false });

    const state = store.getState() as { replay?: unknown };
    expect(hook().replay()).toEqual(
      state.replay === undefined ? null : expect.objectContaining({ live: true, atMs: null }),
    );
    expect(hook().vehiclesOnScreen()).toEqual([]);
    hook().selectVehicle(5);
    expect(selected).toEqual([5]);
  });
});
