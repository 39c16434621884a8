import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearingDeg, haversineM } from '../../../server/sim/geo';
import { CAR_BRANDS, PRIVATE_PLATE_LETTERS } from '../../../server/sim/names';
import { loadRoadNetwork } from '../../../server/sim/road-network';
import { BusanSimulator, WEATHER_CONDITIONS, type SimBatch } from '../../../server/sim/simulator';
import { parseTimestamp } from '../../../shared/time';
import { KOREAN_PLATE, TOPIC_NAMES, topicSchemas, type TopicName } from '../../../shared/topics';

const network = loadRoadNetwork();
/** 2025-12-09 14:30:00 KST. */
const START = Date.UTC(2025, 11, 9, 5, 30, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Nothing may leave Busan's extent (a little generous around the data's bbox). */
const BUSAN_BBOX = { minLon: 128.7, minLat: 34.9, maxLon: 129.35, maxLat: 35.45 };
/** At the simulator's top speed (100 km/h) a car covers 27.8 m in a second. */
const MAX_STEP_M = 40;

interface InfoRow {
  info_id: string;
  session_id: string;
  app_lat: number;
  app_lon: number;
  speed: number;
  app_rapid_acc: number;
  app_weather_status: string;
  dt: string;
}
interface SessionRow {
  session_id: string;
  car_id: string;
  start_time: string;
  end_time: string | null;
}

function run(sim: BusanSimulator, ticks: number, from = START): SimBatch[] {
  const batches: SimBatch[] = [];
  for (let i = 1; i <= ticks; i++) batches.push(sim.tick(from + i * SECOND));
  return batches;
}

const infos = (batch: SimBatch) => (batch.driving_session_info ?? []) as InfoRow[];
const sessions = (batch: SimBatch) => (batch.driving_session ?? []) as SessionRow[];

function expectValid(topic: TopicName, rows: readonly unknown[]): void {
  for (const row of rows) {
    const result = topicSchemas[topic].safeParse(row);
    if (!result.success) {
      throw new Error(`${topic} row ${JSON.stringify(row)}: ${result.error.issues[0]?.message}`);
    }
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BusanSimulator determinism', () => {
  it('produces identical rows for the same seed and different rows for another', () => {
    const a = new BusanSimulator(network, { vehicles: 300, seed: 'qa-seed', startTimeMs: START });
    const b = new BusanSimulator(network, { vehicles: 300, seed: 'qa-seed', startTimeMs: START });
    const c = new BusanSimulator(network, { vehicles: 300, seed: 'other', startTimeMs: START });
    expect(JSON.stringify(b.masterData(START))).toBe(JSON.stringify(a.masterData(START)));
    expect(JSON.stringify(c.masterData(START))).not.toBe(JSON.stringify(a.masterData(START)));
    const runA = JSON.stringify(run(a, 90));
    const runB = JSON.stringify(run(b, 90));
    const runC = JSON.stringify(run(c, 90));
    expect(runA.length).toBeGreaterThan(100_000);
    expect(runB).toBe(runA);
    expect(runC).not.toBe(runA);
  });

  it('never reads Math.random or the clock', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    vi.spyOn(performance, 'now').mockImplementation(() => {
      throw new Error('performance.now used');
    });
    const sim = new BusanSimulator(network, { vehicles: 200, seed: 'clock', startTimeMs: START });
    sim.masterData(START);
    expect(run(sim, 30).length).toBe(30);
    expect(Object.keys(sim.tick(START + 31 * SECOND + 10 * MINUTE)).length).toBeGreaterThan(0);
  });

  it('returns nothing for a tick that does not move time forward', () => {
    const sim = new BusanSimulator(network, { vehicles: 50, seed: 'still', startTimeMs: START });
    expect(sim.tick(START)).toEqual({});
    expect(sim.tick(START - SECOND)).toEqual({});
    expect(infos(sim.tick(START + SECOND)).length).toBeGreaterThan(0);
    expect(sim.tick(START + SECOND)).toEqual({});
  });
});

describe('BusanSimulator motion', () => {
  const sim = new BusanSimulator(network, { vehicles: 500, seed: 'motion', startTimeMs: START });
  const batches = run(sim, 120);

  it('keeps every position on land and inside Busan', () => {
    let checked = 0;
    const outside: InfoRow[] = [];
    for (const batch of batches) {
      for (const row of infos(batch)) {
        const inBbox =
          row.app_lon > BUSAN_BBOX.minLon &&
          row.app_lon < BUSAN_BBOX.maxLon &&
          row.app_lat > BUSAN_BBOX.minLat &&
          row.app_lat < BUSAN_BBOX.maxLat;
        if (!inBbox || !network.isOnLand(row.app_lon, row.app_lat)) outside.push(row);
        checked++;
      }
    }
    expect(outside).toEqual([]);
    expect(checked).toBeGreaterThan(120 * 400);
  });

  it('moves smoothly: consecutive positions are at most what the speed allows', () => {
    const last = new Map<string, InfoRow>();
    const violations: string[] = [];
    let pairs = 0;
    let moving = 0;
    for (const batch of batches) {
      for (const row of infos(batch)) {
        if (!(row.speed >= 0 && row.speed <= 130)) violations.push(`speed ${row.speed}`);
        const prev = last.get(row.session_id);
        last.set(row.session_id, row);
        if (!prev) continue;
        pairs++;
        const step = haversineM(prev.app_lon, prev.app_lat, row.app_lon, row.app_lat);
        // Distance covered in the second is the mean of the two speeds; allow for the rounding
        // of speed (0.1 km/h) and coordinates (1e-6°, ~0.1 m).
        const allowedM = (prev.speed + row.speed) / 2 / 3.6 + 0.5;
        if (step >= MAX_STEP_M || step > allowedM) {
          violations.push(`${row.info_id}: ${step.toFixed(1)} m, allowed ${allowedM.toFixed(1)}`);
        }
        if (step > 1) moving++;
      }
    }
    expect(violations).toEqual([]);
    expect(pairs).toBeGreaterThan(100 * 400);
    // Most cars are actually moving, not parked at lights.
    expect(moving / pairs).toBeGreaterThan(0.7);
  });

  it('points the heading along the direction of travel', () => {
    const state = sim.state;
    let agree = 0;
    let compared = 0;
    const before = Array.from(state.lon, (lon, i) => [lon, state.lat[i]!] as const);
    sim.tick(START + 121 * SECOND);
    for (let v = 0; v < sim.vehicles.length; v++) {
      const heading = state.heading[v]!;
      expect(heading).toBeGreaterThanOrEqual(0);
      expect(heading).toBeLessThan(360);
      const [lon0, lat0] = before[v]!;
      if (haversineM(lon0, lat0, state.lon[v]!, state.lat[v]!) < 5) continue;
      compared++;
      const moved = bearingDeg(lon0, lat0, state.lon[v]!, state.lat[v]!);
      const diff = Math.abs(((moved - heading + 540) % 360) - 180);
      // Cars that turned at a node in this second moved along two segments.
      if (diff < 5) agree++;
    }
    expect(compared).toBeGreaterThan(200);
    expect(agree / compared).toBeGreaterThan(0.85);
  });

  it('spreads vehicles over the city rather than one neighbourhood', () => {
    const dongs = new Set<string>();
    for (const row of infos(batches[0]!)) {
      const dong = network.dongAt(row.app_lon, row.app_lat);
      if (dong) dongs.add(dong.districtCode);
    }
    expect(dongs.size).toBeGreaterThanOrEqual(14);
  });
});

describe('BusanSimulator rows', () => {
  it('emits rows that all pass the topic schemas, for every topic it produces', () => {
    const sim = new BusanSimulator(network, { vehicles: 2000, seed: 'rows', startTimeMs: START });
    const master = sim.masterData(START);
    expectValid('uservehicle', master.uservehicle);
    expectValid('arrears_info', master.arrears_info);
    expectValid('missing_person_info', master.missing_person_info);

    const seen = new Map<TopicName, number>();
    const count = (batch: SimBatch, index: number) => {
      for (const topic of TOPIC_NAMES) {
        const rows = batch[topic];
        if (!rows) continue;
        seen.set(topic, (seen.get(topic) ?? 0) + rows.length);
        // Positions are many and uniform; validating one tick in ten keeps the test fast.
        if (topic !== 'driving_session_info' || index % 10 === 0) expectValid(topic, rows);
      }
    };
    run(sim, 60).forEach(count);
    // One jump of an hour: covered in steps, with sessions and events along the way.
    count(sim.tick(START + 60 * SECOND + 60 * MINUTE), 0);
    for (const topic of [
      'driving_session',
      'driving_session_info',
      'drowsy_drive',
      'arrears_detection',
      'missing_person_detection',
    ] as const) {
      expect(seen.get(topic) ?? 0, topic).toBeGreaterThan(0);
    }
    expect(seen.has('interlock_event')).toBe(false);
    expect(seen.has('uservehicle')).toBe(false);
  });

  it('gives every vehicle a unique Korean private-car plate and plausible driver data', () => {
    const sim = new BusanSimulator(network, { vehicles: 3000, seed: 'plates', startTimeMs: START });
    const { uservehicle, arrears_info, missing_person_info } = sim.masterData(START);
    expect(uservehicle).toHaveLength(3000);
    const plates = new Set<string>();
    const letters = new Set<string>(PRIVATE_PLATE_LETTERS);
    const brands = new Map<string, number>();
    let threeDigit = 0;
    let male = 0;
    for (const [i, row] of uservehicle.entries()) {
      expect(row.car_id).toBe(`car_${String(i + 1).padStart(6, '0')}`);
      const plate = row.car_plate_number as string;
      expect(plate).toMatch(KOREAN_PLATE);
      expect(plate).toMatch(/^\d{2,3}[가-힣]\d{4}$/);
      expect(letters.has(plate.replace(/\d/g, ''))).toBe(true);
      if (/^\d{3}/.test(plate)) threeDigit++;
      plates.add(plate);
      const age = row.age as number;
      expect(Number.isInteger(age)).toBe(true);
      expect(age).toBeGreaterThanOrEqual(20);
      expect(age).toBeLessThanOrEqual(79);
      expect(['남', '여']).toContain(row.user_sex);
      if (row.user_sex === '남') male++;
      brands.set(row.user_car_brand as string, (brands.get(row.user_car_brand as string) ?? 0) + 1);
      expect(row.updated_at).toBe('2025-12-09T14:30:00.000');
    }
    expect(plates.size).toBe(3000);
    expect(threeDigit / 3000).toBeGreaterThan(0.3);
    expect(threeDigit / 3000).toBeLessThan(0.6);
    expect(male / 3000).toBeGreaterThan(0.55);
    expect(male / 3000).toBeLessThan(0.8);
    for (const brand of brands.keys()) expect(CAR_BRANDS.map(([b]) => b)).toContain(brand);
    const ranked = [...brands.entries()].sort((p, q) => q[1] - p[1]).map(([b]) => b);
    expect(ranked.slice(0, 2)).toEqual(['현대', '기아']);

    // About 1% of the fleet in arrears, all of them real fleet plates.
    expect(arrears_info.length).toBe(30);
    for (const row of arrears_info) {
      expect(plates.has(row.car_plate_number as string)).toBe(true);
      expect(row.total_arrears_amount).toBeGreaterThanOrEqual(100_000);
      expect(row.total_arrears_amount).toBeLessThanOrEqual(5_000_000);
      expect(row.notice_count).toBeGreaterThanOrEqual(1);
      expect(row.notice_count).toBeLessThanOrEqual(12);
    }
    expect(missing_person_info.length).toBeGreaterThanOrEqual(2);
    for (const row of missing_person_info) {
      const vehicle = uservehicle.find((u) => u.car_plate_number === row.car_plate_number);
      expect(vehicle).toBeDefined();
      // The missing person is the driver of the listed car.
      expect(row.age).toBe(vehicle!.age);
      expect(row.sex).toBe(vehicle!.user_sex);
      expect(row.name).toMatch(/^[가-힣]{3}$/);
      expect(row.description).toMatch(/[가-힣]/);
      expect(parseTimestamp(row.reported_at)).toBeLessThan(START);
    }
  });

  it('reports events about driving vehicles, with plausible values', () => {
    const sim = new BusanSimulator(network, { vehicles: 2000, seed: 'events', startTimeMs: START });
    const { arrears_info, missing_person_info } = sim.masterData(START);
    const arrearsPlates = new Set(arrears_info.map((r) => r.car_plate_number));
    const missingIds = new Map(missing_person_info.map((r) => [r.missing_id, r.car_plate_number]));
    const active = new Set<string>();
    let drowsy = 0;
    let detections = 0;
    let arrearsHits = 0;
    for (let i = 1; i <= 600; i++) {
      const batch = sim.tick(START + i * SECOND);
      for (const s of sessions(batch)) {
        if (s.end_time === null) active.add(s.session_id);
        else active.delete(s.session_id);
      }
      for (const row of batch.drowsy_drive ?? []) {
        drowsy++;
        expect(active.has(row.session_id as string)).toBe(true);
        expect(row.gaze_closure).toBeGreaterThanOrEqual(0);
        expect(row.head_drop).toBeGreaterThanOrEqual(0);
        expect(row.detected_at).toBe(infos(batch)[0]!.dt);
      }
      for (const row of batch.arrears_detection ?? []) {
        detections++;
        const confidence = row.confidence as number;
        if (row.detection_success === 1) {
          expect(row.car_plate_number).toMatch(KOREAN_PLATE);
          expect(confidence).toBeGreaterThanOrEqual(0.8);
          expect(confidence).toBeLessThanOrEqual(0.99);
          if (arrearsPlates.has(row.car_plate_number as string)) arrearsHits++;
        } else {
          expect(row.car_plate_number).toBeNull();
        }
        expect(network.isOnLand(row.detected_lon as number, row.detected_lat as number)).toBe(true);
      }
      for (const row of batch.missing_person_detection ?? []) {
        if (row.detection_success === 1) {
          expect(missingIds.get(row.missing_id)).toBe(row.car_plate_number);
        }
      }
    }
    // "A few a minute" for 2,000 vehicles: over ten minutes, between a handful and a hundred.
    expect(drowsy).toBeGreaterThan(5);
    expect(drowsy).toBeLessThan(100);
    expect(detections).toBeGreaterThan(5);
    expect(detections).toBeLessThan(150);
    // Most detected plates are not in arrears, but some are.
    expect(arrearsHits).toBeGreaterThan(0);
    expect(arrearsHits).toBeLessThan(detections);
  });

  it('reports the city weather, rarely a local one, and few rapid accelerations', () => {
    const sim = new BusanSimulator(network, {
      vehicles: 1000,
      seed: 'weather',
      startTimeMs: START,
    });
    const batches = run(sim, 60);
    let rows = 0;
    let city = 0;
    let rapidZero = 0;
    for (const row of infos(batches[59]!)) {
      rows++;
      expect(WEATHER_CONDITIONS).toContain(row.app_weather_status);
      if (row.app_weather_status === sim.cityWeather) city++;
      expect(Number.isInteger(row.app_rapid_acc)).toBe(true);
      expect(row.app_rapid_acc).toBeGreaterThanOrEqual(0);
      expect(row.app_rapid_acc).toBeLessThan(20);
      if (row.app_rapid_acc === 0) rapidZero++;
    }
    expect(rows).toBeGreaterThan(800);
    expect(city / rows).toBeGreaterThan(0.9);
    expect(rapidZero / rows).toBeGreaterThan(0.7);
  });
});

describe('BusanSimulator sessions', () => {
  it('starts with about 90% of vehicles driving and announces their sessions once', () => {
    const sim = new BusanSimulator(network, { vehicles: 2000, seed: 'start', startTimeMs: START });
    const first = sim.tick(START + SECOND);
    const driving = infos(first).length;
    expect(driving / 2000).toBeGreaterThan(0.85);
    expect(driving / 2000).toBeLessThan(0.95);
    const announced = sessions(first).filter((s) => s.end_time === null);
    const bySession = new Set(announced.map((s) => s.session_id));
    for (const row of infos(first)) expect(bySession.has(row.session_id)).toBe(true);
    for (const s of announced) {
      expect(s.session_id).toMatch(/^S\d{8}-car_\d{6}-\d+$/);
      expect(s.session_id).toContain(s.car_id);
      expect(parseTimestamp(s.start_time)).toBeLessThanOrEqual(START + SECOND);
    }
    // Later ticks announce only sessions that begin then.
    const second = sim.tick(START + 2 * SECOND);
    for (const s of sessions(second)) {
      if (s.end_time === null) expect(parseTimestamp(s.start_time)).toBeGreaterThan(START);
    }
  });

  it('ends sessions after 10–90 minutes, parks for a few minutes, then starts again', () => {
    const sim = new BusanSimulator(network, {
      vehicles: 150,
      seed: 'sessions',
      startTimeMs: START,
    });
    const started = new Map<string, SessionRow>();
    const ended = new Map<string, SessionRow>();
    const lastEndByCar = new Map<string, number>();
    const gaps: number[] = [];
    const durations: number[] = [];
    const infoIds = new Set<string>();
    const violations: string[] = [];
    const ticks = 2 * 60 * 60;
    for (let i = 1; i <= ticks; i++) {
      const now = START + i * SECOND;
      const batch = sim.tick(now);
      for (const s of sessions(batch)) {
        if (s.end_time === null) {
          expect(started.has(s.session_id)).toBe(false);
          started.set(s.session_id, s);
          const lastEnd = lastEndByCar.get(s.car_id);
          if (lastEnd !== undefined) gaps.push(parseTimestamp(s.start_time)! - lastEnd);
        } else {
          const begun = started.get(s.session_id);
          expect(begun).toBeDefined();
          expect(begun!.start_time).toBe(s.start_time);
          expect(ended.has(s.session_id)).toBe(false);
          ended.set(s.session_id, s);
          const endMs = parseTimestamp(s.end_time)!;
          expect(endMs).toBeLessThanOrEqual(now);
          lastEndByCar.set(s.car_id, endMs);
          // Sessions running at the start may have begun before it; their length still counts.
          durations.push(endMs - parseTimestamp(s.start_time)!);
        }
      }
      for (const row of infos(batch)) {
        if (!started.has(row.session_id) || ended.has(row.session_id)) {
          violations.push(`position outside its session: ${row.info_id}`);
        }
        if (infoIds.has(row.info_id)) violations.push(`duplicate info_id ${row.info_id}`);
        infoIds.add(row.info_id);
      }
    }
    expect(violations).toEqual([]);
    expect(ended.size).toBeGreaterThan(150);
    expect(gaps.length).toBeGreaterThan(100);
    for (const d of durations) {
      expect(d).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(d).toBeLessThanOrEqual(90 * MINUTE);
    }
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(3 * MINUTE);
      expect(gap).toBeLessThanOrEqual(12 * MINUTE);
    }
    // Nearly every vehicle has driven in two hours.
    expect(new Set([...started.values()].map((s) => s.car_id)).size).toBeGreaterThan(140);
  });

  it('resumes a new session where the vehicle parked', () => {
    const sim = new BusanSimulator(network, { vehicles: 100, seed: 'resume', startTimeMs: START });
    const lastPos = new Map<string, InfoRow>();
    const carOf = new Map<string, string>();
    const parkedAt = new Map<string, InfoRow>();
    let resumed = 0;
    for (let i = 1; i <= 90 * 60; i++) {
      const batch = sim.tick(START + i * SECOND);
      for (const s of sessions(batch)) {
        carOf.set(s.session_id, s.car_id);
        if (s.end_time !== null) {
          const last = lastPos.get(s.session_id);
          if (last) parkedAt.set(s.car_id, last);
        }
      }
      for (const row of infos(batch)) {
        const car = carOf.get(row.session_id)!;
        if (!lastPos.has(row.session_id)) {
          const parked = parkedAt.get(car);
          if (parked) {
            resumed++;
            const jump = haversineM(parked.app_lon, parked.app_lat, row.app_lon, row.app_lat);
            expect(jump).toBeLessThan(MAX_STEP_M);
          }
        }
        lastPos.set(row.session_id, row);
      }
    }
    expect(resumed).toBeGreaterThan(30);
  });
});
