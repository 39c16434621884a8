import { describe, expect, it } from 'vitest';
import {
  overdueViolations,
  violationOfEvent,
  type ViolationDraft,
} from '../../../server/domain/interlock-rules';
import { loadRoadNetwork } from '../../../server/sim/road-network';
import { BusanSimulator, type SimBatch } from '../../../server/sim/simulator';
import type { InterlockMasterData } from '../../../shared/interlock';
import { topicSchemas, type TopicRow } from '../../../shared/topics';

const network = loadRoadNetwork();
/** 2025-12-09 14:30:00 KST. */
const START = Date.UTC(2025, 11, 9, 5, 30, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const BUSAN_BBOX = { minLon: 128.7, minLat: 34.9, maxLon: 129.35, maxLat: 35.45 };

type EventRow = TopicRow<'interlock_event'>;

function decode(batch: SimBatch): EventRow[] {
  return (batch.interlock_event ?? []).map((row) => {
    const parsed = topicSchemas.interlock_event.safeParse(row);
    if (!parsed.success) throw new Error(`${JSON.stringify(row)}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Runs `minutes` of simulated time in one-second ticks; returns the decoded interlock events. */
function runMinutes(sim: BusanSimulator, minutes: number): EventRow[] {
  const events: EventRow[] = [];
  for (let s = 1; s <= minutes * 60; s++) {
    events.push(...decode(sim.tick(START + s * SECOND, { sessionInfo: false })));
  }
  return events;
}

const simulator = (vehicles = 2000, seed = 'interlock') =>
  new BusanSimulator(network, { vehicles, seed, startTimeMs: START, interlock: true });

describe('interlock simulation: master data', () => {
  const sim = simulator();
  const master = sim.interlockMasterData() as InterlockMasterData;

  it('fits a device to three cars in a hundred, each with its own obliged driver', () => {
    expect(master.devices).toHaveLength(60);
    expect(master.subjects).toHaveLength(60);
    const cars = new Map(sim.vehicles.map((v) => [v.carId, v]));
    const ids = new Set<string>();
    const serials = new Set<string>();
    for (const device of master.devices) {
      ids.add(device.deviceId);
      serials.add(device.serialNumber);
      const car = cars.get(device.carId ?? '');
      expect(car, device.deviceId).toBeDefined();
      expect(device.plate).toBe(car!.plate);
      expect(master.subjects.some((s) => s.subjectId === device.subjectId)).toBe(true);
      expect(device.installMs).toBeLessThan(START);
      expect(device.lastCalibrationMs!).toBeGreaterThanOrEqual(device.installMs);
      expect(device.lastLogSubmittedMs!).toBeGreaterThanOrEqual(device.installMs);
    }
    expect(ids.size).toBe(60);
    expect(serials.size).toBe(60);
    expect(new Set(master.devices.map((d) => d.carId)).size).toBe(60);
  });

  it('gives drivers Korean names, Busan licences and mobile numbers, all still obliged', () => {
    for (const s of master.subjects) {
      expect(s.name).toMatch(/^[가-힣]{2,4}$/);
      expect(s.licenceNumber).toMatch(/^12-\d{2}-\d{6}-\d{2}$/);
      expect(s.phone).toMatch(/^010-\d{4}-\d{4}$/);
      expect(s.obligationStartMs).toBeLessThan(START);
      expect(s.obligationEndMs).toBeGreaterThan(START);
    }
  });

  it('has installers in every approval status; only active ones fit devices', () => {
    expect(new Set(master.operators.map((o) => o.status))).toEqual(
      new Set(['pending', 'approved', 'active']),
    );
    const active = new Set(
      master.operators.filter((o) => o.status === 'active').map((o) => o.operatorId),
    );
    for (const d of master.devices) expect(active.has(d.operatorId ?? '')).toBe(true);
    for (const o of master.operators) {
      if (o.status === 'pending') expect(o.approvedMs).toBeNull();
      else expect(o.approvedMs).toBeLessThan(START);
    }
  });

  it('has nothing overdue at the start, and a few deadlines falling due in the first hour', () => {
    const due = (atMs: number): ViolationDraft[] =>
      master.devices.flatMap((d) => {
        const subject = master.subjects.find((s) => s.subjectId === d.subjectId)!;
        return overdueViolations(
          {
            deviceId: d.deviceId,
            installMs: d.installMs,
            lastCalibrationMs: d.lastCalibrationMs,
            lastLogSubmittedMs: d.lastLogSubmittedMs,
            obligationStartMs: subject.obligationStartMs,
            obligationEndMs: subject.obligationEndMs,
          },
          atMs,
        );
      });
    expect(due(START)).toEqual([]);
    const inAnHour = due(START + 60 * MINUTE);
    expect(inAnHour.length).toBeGreaterThanOrEqual(2);
    expect(inAnHour.length).toBeLessThanOrEqual(20);
    expect(new Set(inAnHour.map((v) => v.rule))).toEqual(
      new Set(['calibration_overdue', 'log_overdue']),
    );
  });

  it('is off unless asked for, and leaves the traffic streams exactly as they were', () => {
    const plain = new BusanSimulator(network, { vehicles: 300, seed: 's', startTimeMs: START });
    const withDevices = new BusanSimulator(network, {
      vehicles: 300,
      seed: 's',
      startTimeMs: START,
      interlock: true,
    });
    expect(plain.interlockMasterData()).toBeNull();
    expect(plain.masterData(START)).toEqual(withDevices.masterData(START));
    for (let s = 1; s <= 120; s++) {
      const a = plain.tick(START + s * SECOND);
      const { interlock_event: _events, ...b } = withDevices.tick(START + s * SECOND);
      expect(a.interlock_event).toBeUndefined();
      expect(b).toEqual(a);
    }
  });
});

describe('interlock simulation: the event stream', () => {
  it('is deterministic for a seed and start time', () => {
    const a = runMinutes(simulator(400, 'same'), 10);
    const b = runMinutes(simulator(400, 'same'), 10);
    const c = runMinutes(simulator(400, 'other'), 10);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('is mostly passes, with a few violations a minute for the default fleet', () => {
    const sim = simulator();
    const minutes = 30;
    const events = runMinutes(sim, minutes);
    const master = sim.interlockMasterData()!;
    const devices = new Set(master.devices.map((d) => d.deviceId));
    const ids = new Set(events.map((e) => e.event_id));
    expect(ids.size).toBe(events.length);

    const byType = new Map<string, number>();
    for (const e of events) {
      expect(devices.has(e.device_id), e.device_id).toBe(true);
      byType.set(e.event_type, (byType.get(e.event_type) ?? 0) + 1);
      if (e.lat !== null && e.lat !== undefined) {
        expect(e.lon!).toBeGreaterThan(BUSAN_BBOX.minLon);
        expect(e.lon!).toBeLessThan(BUSAN_BBOX.maxLon);
        expect(e.lat).toBeGreaterThan(BUSAN_BBOX.minLat);
        expect(e.lat).toBeLessThan(BUSAN_BBOX.maxLat);
      }
      if (e.event_type === 'start_test' || e.event_type === 'rolling_retest') {
        if (e.result === 'fail') expect(e.bac!).toBeGreaterThanOrEqual(0.03);
        if (e.result === 'pass') expect(e.bac!).toBeLessThan(0.03);
        if (e.result === 'missed') expect(e.bac).toBeNull();
      }
    }
    expect(byType.get('start_test') ?? 0).toBeGreaterThan(0);
    expect(byType.get('rolling_retest') ?? 0).toBeGreaterThan(100);

    const violations = events.map(violationOfEvent).filter((v) => v !== null);
    const tests = events.filter((e) => e.event_type.endsWith('test')).length;
    // Mostly passes.
    expect(violations.length / events.length).toBeLessThan(0.2);
    const perMinute = violations.length / minutes;
    expect(perMinute).toBeGreaterThan(0.3);
    expect(perMinute).toBeLessThan(5);
    const majors = violations.filter((v) => v.grade === 'major').length;
    expect(majors).toBeGreaterThan(0);
    expect(violations.length - majors).toBeGreaterThan(0);
    expect(tests).toBeGreaterThan(violations.length);
  });

  it('emits the rarer events too over a longer run', () => {
    const sim = simulator(2000, 'long');
    const events = decode(sim.tick(START + 6 * 60 * MINUTE, { sessionInfo: false }));
    const types = new Set(events.map((e) => e.event_type));
    for (const type of [
      'start_test',
      'rolling_retest',
      'tamper',
      'bypass',
      'power_cut',
      'calibration',
      'log_submitted',
    ]) {
      expect(types.has(type), type).toBe(true);
    }
    const results = new Set(events.map((e) => `${e.event_type}:${e.result}`));
    expect(results.has('rolling_retest:missed')).toBe(true);
    expect(results.has('power_cut:parked')).toBe(true);
    expect(results.has('power_cut:driving')).toBe(true);
  });

  it('produces nothing without vehicles', () => {
    const sim = simulator(0);
    expect(sim.interlockMasterData()?.devices).toEqual([]);
    expect(sim.tick(START + SECOND).interlock_event).toBeUndefined();
  });
});
