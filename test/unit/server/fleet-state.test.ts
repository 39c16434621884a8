import { describe, expect, it } from 'vitest';
import {
  FrameKind,
  PositionFrameWriter,
  VehicleFlag,
  decodePositionFrame,
} from '../../../shared/frames';
import { DROWSY_FLAG_MS, FleetState } from '../../../server/fleet/fleet-state';

const T0 = Date.UTC(2025, 11, 9, 5, 30);

function fleetWithOneCar() {
  const fleet = new FleetState();
  fleet.applyUservehicle({
    car_id: 'car_1',
    age: 34,
    user_sex: '남',
    user_car_brand: '현대',
    car_plate_number: '12가3456',
    updated_at: T0,
  });
  fleet.applySession({ session_id: 's1', car_id: 'car_1', start_time: T0, end_time: null });
  return fleet;
}

const info = (dt: number, lon: number, lat: number, speed = 40) => ({
  info_id: `i${dt}`,
  session_id: 's1',
  app_lat: lat,
  app_lon: lon,
  speed,
  app_rapid_acc: 0,
  app_weather_status: '맑음',
  dt,
});

describe('fleet state', () => {
  it('builds a key frame with live vehicles and deltas with only what changed', () => {
    const fleet = fleetWithOneCar();
    const writer = new PositionFrameWriter();
    expect(fleet.applyInfo(info(T0 + 1000, 129.0, 35.1))).toBe(true);
    const key = decodePositionFrame(fleet.buildFrame(writer, FrameKind.Key, 1, T0 + 1000)!);
    expect(key.count).toBe(1);
    expect(key.flags[0]! & VehicleFlag.Moving).toBeTruthy();
    // Nothing changed: no delta at all, unless an empty one is asked for (the relay's heartbeat).
    expect(fleet.buildFrame(writer, FrameKind.Delta, 2, T0 + 1500)).toBeNull();
    const empty = fleet.buildFrame(writer, FrameKind.Delta, 2, T0 + 1500, { emptyDelta: true });
    expect(decodePositionFrame(empty!)).toMatchObject({ kind: FrameKind.Delta, count: 0 });
    fleet.applyInfo(info(T0 + 2000, 129.001, 35.1));
    const delta = decodePositionFrame(fleet.buildFrame(writer, FrameKind.Delta, 3, T0 + 2000)!);
    expect(delta.count).toBe(1);
    expect(delta.lon[0]).toBeCloseTo(129.001, 4); // float32 on the wire: ~1 m
    expect(delta.heading[0]! / 100).toBeCloseTo(90, 0); // moved due east
  });

  it('ignores duplicates and rows older than the newest', () => {
    const fleet = fleetWithOneCar();
    expect(fleet.applyInfo(info(T0 + 2000, 129.0, 35.1))).toBe(true);
    expect(fleet.applyInfo(info(T0 + 2000, 129.0, 35.1))).toBe(false);
    expect(fleet.applyInfo(info(T0 + 1000, 128.0, 35.0))).toBe(false);
    expect(fleet.position(0)?.lon).toBe(129.0);
  });

  it('holds positions of a session it does not know yet until the session arrives', () => {
    const fleet = new FleetState();
    expect(fleet.applyInfo(info(T0 + 1000, 129.05, 35.15))).toBe(false);
    expect(fleet.vehicleCount).toBe(0);
    fleet.applySession({ session_id: 's1', car_id: 'car_9', start_time: T0, end_time: null });
    expect(fleet.vehicleCount).toBe(1);
    expect(fleet.position(fleet.indexOf('car_9')!)?.lat).toBeCloseTo(35.15);
  });

  it('sends Gone when a session ends and brings the vehicle back on its next session', () => {
    const fleet = fleetWithOneCar();
    const writer = new PositionFrameWriter();
    fleet.applyInfo(info(T0 + 1000, 129.0, 35.1));
    fleet.buildFrame(writer, FrameKind.Key, 1, T0 + 1000);
    fleet.applySession({ session_id: 's1', car_id: 'car_1', start_time: T0, end_time: T0 + 5000 });
    const delta = decodePositionFrame(fleet.buildFrame(writer, FrameKind.Delta, 2, T0 + 5000)!);
    expect(delta.flags[0]! & VehicleFlag.Gone).toBeTruthy();
    expect(fleet.vehicleCount).toBe(0);
    fleet.applySession({
      session_id: 's2',
      car_id: 'car_1',
      start_time: T0 + 9000,
      end_time: null,
    });
    fleet.applyInfo({ ...info(T0 + 10_000, 129.01, 35.1), session_id: 's2' });
    expect(fleet.vehicleCount).toBe(1);
    expect(fleet.indexOf('car_1')).toBe(0);
  });

  it('flags a drowsy vehicle, then clears the flag when it lapses', () => {
    const fleet = fleetWithOneCar();
    const writer = new PositionFrameWriter();
    fleet.applyInfo(info(T0 + 1000, 129.0, 35.1));
    fleet.buildFrame(writer, FrameKind.Key, 1, T0 + 1000);
    fleet.applyDrowsy({
      drowsy_id: 'd1',
      session_id: 's1',
      detected_at: T0 + 1000,
      gaze_closure: 5,
      head_drop: 2,
    });
    const flagged = decodePositionFrame(fleet.buildFrame(writer, FrameKind.Delta, 2, T0 + 2000)!);
    expect(flagged.flags[0]! & VehicleFlag.Drowsy).toBeTruthy();
    const lapsed = decodePositionFrame(
      fleet.buildFrame(writer, FrameKind.Delta, 3, T0 + 1000 + DROWSY_FLAG_MS + 1)!,
    );
    expect(lapsed.flags[0]! & VehicleFlag.Drowsy).toBe(0);
  });

  it('versions the vehicle table and hands out only changed entries', () => {
    const fleet = fleetWithOneCar();
    const first = fleet.takeTableUpdate();
    expect(first?.entries).toHaveLength(1);
    expect(first?.entries[0]).toMatchObject({ plate: '12가3456', brand: '현대', sessionId: 's1' });
    expect(fleet.takeTableUpdate()).toBeNull();
    fleet.applyInfo(info(T0 + 1000, 129.0, 35.1)); // weather first seen → entry changes
    const second = fleet.takeTableUpdate();
    expect(second?.entries[0]?.weather).toBe('맑음');
    expect(second!.tableVersion).toBeGreaterThan(first!.tableVersion);
    expect(fleet.fullTable().full).toBe(true);
  });

  it('keeps the driver out of the table every role gets; the driver is read one car at a time', () => {
    const fleet = fleetWithOneCar();
    const [entry] = fleet.fullTable().entries;
    for (const field of ['age', 'ageBand', 'sex']) expect(entry).not.toHaveProperty(field);
    expect(JSON.stringify(fleet.fullTable())).not.toContain('남');
    expect(fleet.driver(entry!.carId)).toEqual({ carId: entry!.carId, ageBand: 30, sex: '남' });
    expect(fleet.driver('no-such-car')).toBeUndefined();
  });
});
