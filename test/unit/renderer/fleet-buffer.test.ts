import { describe, expect, it } from 'vitest';
import {
  decodePositionFrame,
  FrameKind,
  isHeartbeat,
  PositionFrameWriter,
  VehicleFlag,
  type PositionFrame,
} from '../../../shared/frames';
import {
  DEFAULT_FRAME_INTERVAL_MS,
  FleetBuffer,
  SNAP_AFTER_GAP_MS,
} from '../../../renderer/src/live/fleet-buffer';
import {
  VEHICLE_COLOR_MISSING_PERSON,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
} from '../../../renderer/src/map/vehicle-colors';

type Row = [index: number, lon: number, lat: number, speedKmh?: number, flags?: number];

const writer = new PositionFrameWriter(8);
let seq = 0;

function frame(kind: FrameKind, rows: Row[]): PositionFrame {
  writer.begin(kind, ++seq, 0, 1);
  for (const [index, lon, lat, speed = 40, flags = VehicleFlag.Moving] of rows) {
    writer.push(index, lon, lat, speed, 0, flags);
  }
  // Through bytes and back, as the client receives it.
  return decodePositionFrame(writer.finish());
}

const key = (rows: Row[]) => frame(FrameKind.Key, rows);
const delta = (rows: Row[]) => frame(FrameKind.Delta, rows);

/** Every live index maps to a slot that maps back to it, and nothing else has a slot. */
function expectConsistent(fleet: FleetBuffer, maxIndex: number): void {
  const live = fleet.liveIndexes();
  expect(new Set(live).size).toBe(fleet.count);
  live.forEach((index, slot) => expect(fleet.slotOf(index)).toBe(slot));
  for (let index = 0; index <= maxIndex; index++) {
    if (!live.includes(index)) expect(fleet.slotOf(index)).toBe(-1);
  }
}

describe('FleetBuffer', () => {
  it('a key frame replaces the whole state', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(
      key([
        [1, 129, 35],
        [2, 129.1, 35.1],
        [3, 129.2, 35.2],
      ]),
      0,
    );
    expect(fleet.liveIndexes().sort()).toEqual([1, 2, 3]);

    fleet.apply(
      key([
        [3, 129.2, 35.2],
        [4, 129.3, 35.3],
      ]),
      1000,
    );
    expect(fleet.count).toBe(2);
    expect(fleet.liveIndexes().sort()).toEqual([3, 4]);
    expect(fleet.has(1)).toBe(false);
    expect(fleet.has(2)).toBe(false);
    expectConsistent(fleet, 5);
  });

  it('a delta frame upserts only the vehicles it carries', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(
      key([
        [1, 129, 35],
        [2, 129.1, 35.1],
      ]),
      0,
    );
    fleet.apply(
      delta([
        [2, 129.11, 35.11],
        [7, 129.5, 35.3],
      ]),
      1000,
    );
    fleet.advance(1000 + DEFAULT_FRAME_INTERVAL_MS);

    expect(fleet.liveIndexes().sort()).toEqual([1, 2, 7]);
    expect(fleet.drawnPosition(1)).toEqual([Math.fround(129), Math.fround(35)]);
    expect(fleet.drawnPosition(2)).toEqual([Math.fround(129.11), Math.fround(35.11)]);
    expect(fleet.drawnPosition(7)).toEqual([Math.fround(129.5), Math.fround(35.3)]);
    expectConsistent(fleet, 8);
  });

  it('FLAG_GONE removes a vehicle', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(
      key([
        [1, 129, 35],
        [2, 129.1, 35.1],
        [3, 129.2, 35.2],
      ]),
      0,
    );
    fleet.apply(delta([[2, 0, 0, 0, VehicleFlag.Gone]]), 1000);

    expect(fleet.count).toBe(2);
    expect(fleet.has(2)).toBe(false);
    expect(fleet.liveIndexes().sort()).toEqual([1, 3]);
    expectConsistent(fleet, 4);
  });

  it('ignores FLAG_GONE for a vehicle it does not know', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(delta([[9, 0, 0, 0, VehicleFlag.Gone]]), 1000);
    expect(fleet.liveIndexes()).toEqual([1]);
  });

  it('interpolates from the drawn position to the newest one over the frame interval', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(delta([[1, 129.01, 35.01]]), 1000);
    const duration = fleet.intervalMs;
    expect(duration).toBe(DEFAULT_FRAME_INTERVAL_MS);

    fleet.advance(1000 + duration / 2);
    const [lon, lat] = fleet.drawnPosition(1)!;
    expect(lon).toBeGreaterThan(129);
    expect(lon).toBeLessThan(129.01);
    expect(lat).toBeGreaterThan(35);
    expect(lat).toBeLessThan(35.01);
    expect(lon).toBeCloseTo(129.005, 4);
    expect(lat).toBeCloseTo(35.005, 4);

    fleet.advance(1000 + duration);
    expect(fleet.drawnPosition(1)).toEqual([Math.fround(129.01), Math.fround(35.01)]);
    // Settled: nothing left to draw until the next frame.
    expect(fleet.advance(1000 + duration + 16)).toBe(false);
  });

  it('starts the next leg from where the vehicle is drawn, not from its last report', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(delta([[1, 129.01, 35]]), 1000);
    // The next frame arrives half-way through the leg.
    fleet.apply(delta([[1, 129.02, 35]]), 1500);
    const [atArrival] = fleet.drawnPosition(1)!;
    expect(atArrival).toBeGreaterThan(129);
    expect(atArrival).toBeLessThan(129.01);

    fleet.advance(1500 + 1);
    const [justAfter] = fleet.drawnPosition(1)!;
    expect(Math.abs(justAfter - atArrival)).toBeLessThan(0.001);

    fleet.advance(1500 + fleet.intervalMs);
    expect(fleet.drawnPosition(1)![0]).toBe(Math.fround(129.02));
  });

  it('follows the observed interval between frames', () => {
    const fleet = new FleetBuffer(4);
    let t = 0;
    for (let i = 0; i < 30; i++, t += 250) fleet.apply(delta([[1, 129 + i * 1e-4, 35]]), t);
    expect(fleet.intervalMs).toBeCloseTo(250, 0);
  });

  it('snaps instead of gliding after a long gap', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(key([[1, 129.01, 35.01]]), SNAP_AFTER_GAP_MS + 1);
    fleet.advance(SNAP_AFTER_GAP_MS + 2);
    expect(fleet.drawnPosition(1)).toEqual([Math.fround(129.01), Math.fround(35.01)]);
  });

  it('a new vehicle appears at its position without gliding in', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(delta([[2, 129.2, 35.2]]), 1000);
    expect(fleet.drawnPosition(2)).toEqual([Math.fround(129.2), Math.fround(35.2)]);
  });

  it('keeps index→slot mapping and per-slot data consistent after removals', () => {
    const fleet = new FleetBuffer(2);
    const rows: Row[] = [];
    for (let i = 0; i < 40; i++) rows.push([i * 3, 129 + i / 1000, 35 + i / 1000, i, 0]);
    fleet.apply(key(rows), 0);
    expect(fleet.count).toBe(40);

    // Remove every other vehicle, including the one in the last slot and the first.
    const gone: Row[] = rows
      .filter((_, i) => i % 2 === 0)
      .map(([index]) => [index, 0, 0, 0, VehicleFlag.Gone]);
    fleet.apply(delta(gone), 1000);
    fleet.advance(1000 + fleet.intervalMs);
    expect(fleet.count).toBe(20);
    expectConsistent(fleet, 120);

    // Every survivor still carries its own data in its new slot.
    for (let i = 1; i < 40; i += 2) {
      const index = i * 3;
      const slot = fleet.slotOf(index);
      expect(fleet.indexOfSlot[slot]).toBe(index);
      expect(fleet.speed[slot]).toBe(i * 10);
      expect(fleet.drawnPosition(index)).toEqual([
        Math.fround(129 + i / 1000),
        Math.fround(35 + i / 1000),
      ]);
    }

    // A key frame with a subset removes the rest, and a new vehicle takes a free slot.
    fleet.apply(
      key([
        [3, 129.5, 35.5],
        [9, 129.6, 35.6],
        [200, 129.7, 35.7],
      ]),
      2000,
    );
    expect(fleet.liveIndexes().sort((a, b) => a - b)).toEqual([3, 9, 200]);
    expectConsistent(fleet, 256);
  });

  it('colours each slot by state, then speed, and moves colours with their vehicles', () => {
    const fleet = new FleetBuffer(4);
    fleet.apply(
      key([
        [1, 129, 35, 0, 0],
        [2, 129, 35, 20, VehicleFlag.Moving],
        [3, 129, 35, 80, VehicleFlag.Missing | VehicleFlag.Drowsy],
      ]),
      0,
    );
    const rgbOf = (index: number) => {
      const slot = fleet.slotOf(index);
      return Array.from(fleet.colors.subarray(slot * 4, slot * 4 + 3));
    };
    expect(rgbOf(1)).toEqual([...VEHICLE_COLOR_STOPPED]);
    expect(rgbOf(2)).toEqual([...VEHICLE_COLOR_SLOW]);
    expect(rgbOf(3)).toEqual([...VEHICLE_COLOR_MISSING_PERSON]);

    fleet.apply(delta([[1, 0, 0, 0, VehicleFlag.Gone]]), 1000);
    expect(rgbOf(3)).toEqual([...VEHICLE_COLOR_MISSING_PERSON]);
    expect(rgbOf(2)).toEqual([...VEHICLE_COLOR_SLOW]);
  });

  it('takes a heartbeat as a fresh feed, not as an update: legs and interval stay', () => {
    const fleet = new FleetBuffer(4);
    let t = 0;
    for (let i = 0; i < 30; i++, t += 1000) fleet.apply(delta([[1, 129 + i * 1e-4, 35]]), t);
    const interval = fleet.intervalMs;
    const frames = fleet.frameCount;
    fleet.apply(delta([[1, 129.01, 35]]), t);
    const heartbeat = delta([]);
    expect(isHeartbeat(heartbeat)).toBe(true);
    fleet.heartbeat(t + 800);
    expect(fleet.lastFrameAt).toBe(t + 800);
    expect(fleet.frameCount).toBe(frames + 1);
    // The next update 1 s after the last one, not 200 ms after the heartbeat.
    fleet.apply(delta([[1, 129.02, 35]]), t + 1000);
    expect(fleet.intervalMs).toBeCloseTo(interval, 0);
    // The leg runs a whole interval from the update.
    fleet.advance(t + 1000 + fleet.intervalMs);
    expect(fleet.drawnPosition(1)![0]).toBe(Math.fround(129.02));
  });

  it('notifies subscribers once per frame', () => {
    const fleet = new FleetBuffer(4);
    let calls = 0;
    const unsubscribe = fleet.subscribe(() => calls++);
    fleet.apply(key([[1, 129, 35]]), 0);
    fleet.apply(delta([[1, 129.1, 35]]), 1000);
    unsubscribe();
    fleet.apply(delta([[1, 129.2, 35]]), 2000);
    expect(calls).toBe(2);
    expect(fleet.frameCount).toBe(3);
  });
});
