/**
 * The built-in Busan traffic simulator: the embedded default source when no Kafka is configured,
 * and the producer behind `npm run sim`. It emits exactly the rows the upstream pipeline writes to
 * the topics of DESIGN §3, so everything downstream of ingest cannot tell it from the real feed.
 *
 * Deterministic: all randomness comes from seedrandom streams derived from the seed, and time only
 * enters through `startTimeMs` and `tick(nowMs)`. The same seed and the same tick times give the
 * same rows, which is what QA scripts and screenshot tests rely on.
 *
 * Vehicle state lives in typed arrays (one slot per vehicle) and segment geometry is precomputed,
 * so a tick of 50,000 vehicles is a tight loop plus the rows it has to produce.
 */
import seedrandom from 'seedrandom';
import type { InterlockMasterData } from '../../shared/interlock';
import { ALL_RANDOM_EVENTS, type RandomEventSwitches } from '../../shared/scenarios';
import type { TopicName, TopicWireRow } from '../../shared/topics';
import { formatKstIso, KST_OFFSET_MS } from '../../shared/time';
import { bearingDeg } from './geo';
import { InterlockSimulator } from './interlock';
import {
  CAR_BRANDS,
  intBetween,
  randomDriverAge,
  randomDriverSex,
  randomKoreanName,
  randomMissingDescription,
  randomPlate,
  weightedPick,
  type Rng,
  type Sex,
} from './names';
import type { RoadNetwork } from './road-network';

export type SimBatch = { [T in TopicName]?: TopicWireRow<T>[] };

export interface SimulatorOptions {
  vehicles: number;
  seed: string;
  /** Epoch ms the simulation starts at; the first tick should be about a second later. */
  startTimeMs: number;
  /**
   * Also simulate the ignition-interlock fleet (server/sim/interlock.ts): devices in some cars and
   * their `interlock_event` stream. Off by default, which leaves every other stream as it was.
   */
  interlock?: boolean;
}

export interface SimMasterData {
  uservehicle: TopicWireRow<'uservehicle'>[];
  arrears_info: TopicWireRow<'arrears_info'>[];
  missing_person_info: TopicWireRow<'missing_person_info'>[];
}

export interface SimTickOptions {
  /**
   * false: leave out the driving_session_info rows (the per-second positions). An embedded relay
   * can read `state` instead, which saves building ~50,000 row objects a second at full scale.
   */
  sessionInfo?: boolean;
}

/** The fixed facts about one simulated vehicle and its driver. */
export interface SimVehicle {
  index: number;
  carId: string;
  plate: string;
  age: number;
  sex: Sex;
  brand: string;
}

/** Live per-vehicle state, indexed like `vehicles`; the arrays are updated in place by `tick`. */
export interface SimVehicleState {
  lon: Float64Array;
  lat: Float64Array;
  /** Metres per second. */
  speedMs: Float32Array;
  /** Degrees clockwise from north. */
  heading: Float32Array;
  /** 1 while in a driving session, 0 while parked. */
  driving: Uint8Array;
}

export const WEATHER_CONDITIONS = ['맑음', '흐림', '비', '눈', '안개'] as const;
export type WeatherCondition = (typeof WEATHER_CONDITIONS)[number];

// ── Time ────────────────────────────────────────────────────────────────────────────────────────
const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;
const MS_PER_HOUR = 3_600_000;
const HOURS_PER_DAY = 24;
/** The simulation advances in steps of at most a second so motion and events stay fine-grained. */
const STEP_MS = 1000;
/**
 * A longer gap (a paused relay, a sleeping laptop) is covered in at most this many steps; beyond
 * five minutes the steps grow, and motion is still followed along the graph by distance.
 */
const MAX_STEPS_PER_TICK = 300;

// ── Motion ──────────────────────────────────────────────────────────────────────────────────────
const KMH_PER_MS = 3.6;
const CITY_SPEED_KMH = { min: 20, max: 60 } as const;
const LONG_LINK_SPEED_KMH = { min: 60, max: 90 } as const;
/** Links at least this long are arterials or expressway-like, driven faster. */
const LONG_LINK_M = 1_500;
const MAX_SPEED_KMH = 100;
/** Drivers differ: a calm driver accelerates at ~1.2 m/s², an aggressive one above 3. */
const ACCEL_MS2 = { min: 1.2, max: 3.4 } as const;
const DECEL_MS2 = 3;
/** Drivers keep their own pace around the flow speed. */
const DRIVER_PACE = { min: 0.9, max: 1.1 } as const;
/** Second-to-second speed noise, as a fraction of the target speed. */
const SPEED_JITTER = 0.08;
/** While braking for a stop a car still creeps forward, so it always reaches the stop line. */
const MIN_APPROACH_SPEED_MS = 1.5;
/** Chance of stopping (signal, junction) on reaching a neighbourhood hub or a border crossing. */
const STOP_CHANCE_HUB = 0.35;
const STOP_CHANCE_BORDER = 0.12;
const STOP_DWELL_S = { min: 5, max: 45 } as const;
/** Rush hours (KST) slow the flow; the night is a little faster. */
const RUSH_HOURS = [7, 8, 17, 18];
const NIGHT_HOURS_END = 5;
const RUSH_FACTOR = 0.65;
const NIGHT_FACTOR = 1.1;

// ── Sessions ────────────────────────────────────────────────────────────────────────────────────
const SESSION_MIN = { min: 10, max: 90 } as const;
const PARKED_MIN = { min: 3, max: 12 } as const;
const INITIAL_DRIVING_SHARE = 0.9;
/** Cars already on the road at the start move at part of their cruising speed. */
const INITIAL_SPEED_SHARE = { min: 0.5, max: 1 } as const;

// ── Driver behaviour and events ─────────────────────────────────────────────────────────────────
/** Acceleration at or above this counts as a rapid acceleration (급가속). */
const RAPID_ACC_MS2 = 3;
/** Chance an aggressive driver's start from a stop registers as a rapid acceleration. */
const RAPID_ACC_CHANCE = 0.25;
/**
 * Event rates per driving vehicle and second, chosen so that 2,000 vehicles give a few drowsy
 * alerts and camera detections a minute, and a missing-person sighting every several minutes.
 */
const DROWSY_RATE = 2.5e-5;
const ARREARS_DETECTION_RATE = 3.3e-5;
/** Share of camera detections that read a plate on the arrears list. */
const ARREARS_HIT_SHARE = 0.3;
const ARREARS_DETECTION_SUCCESS = 0.95;
/** Per listed vehicle while it drives: roughly one sighting every quarter of an hour. */
const MISSING_DETECTION_RATE = 1 / (15 * 60);
const MISSING_DETECTION_SUCCESS = 0.97;
const CONFIDENCE_SUCCESS = { min: 0.8, max: 0.99 } as const;
/** A failed plate read has low OCR confidence. */
const CONFIDENCE_FAILURE = { min: 0.3, max: 0.79 } as const;
const GAZE_CLOSURE = { min: 2, max: 12 } as const;
const HEAD_DROP = { min: 0, max: 5 } as const;
/** Tries at picking a random driving vehicle before giving up for this event. */
const PICK_TRIES = 32;
/** Above this mean, a Poisson draw uses the normal approximation. */
const POISSON_EXACT_LIMIT = 30;

// ── Master data ─────────────────────────────────────────────────────────────────────────────────
const ARREARS_SHARE = 0.01;
const ARREARS_AMOUNT_KRW = { min: 100_000, max: 5_000_000 } as const;
const ARREARS_AMOUNT_STEP_KRW = 10;
const NOTICE_COUNT = { min: 1, max: 12 } as const;
/** Spread of the notice count around what the amount suggests. */
const NOTICE_NOISE = 4;
const MISSING_SHARE = 0.0015;
const MISSING_COUNT = { min: 2, max: 50 } as const;
/** Missing drivers are mostly older people (dementia); younger ones are accepted less often. */
const MISSING_OLDER_AGE = 65;
const MISSING_YOUNGER_ACCEPT = 0.3;
const MISSING_REPORTED_AGO_H = { min: 2, max: 72 } as const;
const ID_PAD = 6;

// ── Weather ─────────────────────────────────────────────────────────────────────────────────────
const WEATHER_PERIOD_MS = 20 * MS_PER_MIN;
const WEATHER_SPEED_FACTOR = [1, 1, 0.85, 0.6, 0.75];
const W_CLEAR = 0;
const W_CLOUDY = 1;
const W_RAIN = 2;
const W_SNOW = 3;
const W_FOG = 4;
/** How often each condition opens a simulation (Busan is mostly clear or cloudy). */
const INITIAL_WEATHER_WEIGHTS: readonly (readonly [number, number])[] = [
  [W_CLEAR, 55],
  [W_CLOUDY, 28],
  [W_RAIN, 10],
  [W_SNOW, 3],
  [W_FOG, 4],
];
/** Each period the city's weather moves along this matrix (rows: from; columns: to). */
const WEATHER_TRANSITIONS: readonly (readonly number[])[] = [
  [0.9, 0.08, 0.0, 0.0, 0.02],
  [0.1, 0.78, 0.08, 0.02, 0.02],
  [0.02, 0.15, 0.82, 0.01, 0.0],
  [0.0, 0.2, 0.05, 0.75, 0.0],
  [0.15, 0.15, 0.0, 0.0, 0.7],
];
/** Busan sees snow only in deep winter; other months turn it into rain. */
const SNOW_MONTHS = [11, 0, 1];
/** A few vehicles report a local condition different from the city's (a shower, sea fog). */
const LOCAL_WEATHER_SHARE = 0.03;
const LOCAL_WEATHER: readonly number[] = [W_FOG, W_RAIN, W_CLOUDY, W_RAIN, W_CLOUDY];

const NONE = -1;

export class BusanSimulator {
  readonly vehicles: readonly SimVehicle[];
  readonly state: SimVehicleState;
  /**
   * Which of the simulator's own random events are handed out (a QA scenario switches some off).
   * They are still rolled when off, so switching one kind never changes another's rows.
   */
  randomEvents: RandomEventSwitches = { ...ALL_RANDOM_EVENTS };

  private readonly motionRng: Rng;
  private readonly eventRng: Rng;
  private readonly weatherRng: Rng;

  // Directed segments (see buildSegmentTable); a segment's reverse is s ^ 1.
  private readonly segTo: Int32Array;
  private readonly segLen: Float64Array;
  private readonly segX0: Float64Array;
  private readonly segY0: Float64Array;
  private readonly segDx: Float64Array;
  private readonly segDy: Float64Array;
  private readonly segHeading: Float32Array;
  private readonly segLong: Uint8Array;
  private readonly segEndsAtHub: Uint8Array;
  private readonly outStart: Int32Array;
  private readonly outSeg: Int32Array;

  private readonly n: number;
  private readonly seg: Int32Array;
  private readonly pos: Float64Array;
  private readonly cruise: Float32Array;
  private readonly stopAtEnd: Uint8Array;
  private readonly dwell: Float32Array;
  private readonly accel: Float32Array;
  private readonly pace: Float32Array;
  private readonly phaseEndMs: Float64Array;
  private readonly sessionStartMs: Float64Array;
  private readonly sessionNo: Int32Array;
  private readonly infoSeq: Int32Array;
  private readonly rapidAcc: Int32Array;
  private readonly localWeather: Int8Array;
  private readonly sessionIds: string[];
  /** `${sessionId}-`, built once per session so each info_id costs one concatenation. */
  private readonly infoIdPrefixes: string[];
  private drivingCount = 0;

  private readonly arrearsVehicles: number[];
  private readonly arrearsRows: TopicWireRow<'arrears_info'>[];
  private readonly missingVehicles: number[];
  private readonly missingIds: string[];
  private readonly missingRows: TopicWireRow<'missing_person_info'>[];

  private timeMs: number;
  private weather: number;
  private nextWeatherMs: number;
  private initialSessionsPending = true;
  private drowsySeq = 0;
  private readonly interlock: InterlockSimulator | null;
  private detectionSeq = 0;
  private imageSeq = 0;

  constructor(network: RoadNetwork, options: SimulatorOptions) {
    const { seed, startTimeMs } = options;
    const count = Math.max(0, Math.floor(options.vehicles));
    if (network.edges.length === 0) throw new Error('BusanSimulator: the road network is empty');
    // Separate streams keep, e.g., the weather independent of the fleet size.
    const fleetRng = seedrandom.alea(`${seed}:fleet`);
    this.motionRng = seedrandom.alea(`${seed}:motion`);
    this.eventRng = seedrandom.alea(`${seed}:events`);
    this.weatherRng = seedrandom.alea(`${seed}:weather`);
    this.timeMs = startTimeMs;

    const segments = buildSegmentTable(network);
    this.segTo = segments.to;
    this.segLen = segments.length;
    this.segX0 = segments.x0;
    this.segY0 = segments.y0;
    this.segDx = segments.dx;
    this.segDy = segments.dy;
    this.segHeading = segments.heading;
    this.segLong = segments.long;
    this.segEndsAtHub = segments.endsAtHub;
    this.outStart = segments.outStart;
    this.outSeg = segments.outSeg;
    // Vehicles are spread over the network in proportion to road length.
    const cumulativeLength = new Float64Array(network.edges.length);
    let total = 0;
    network.edges.forEach((edge, e) => {
      total += edge.lengthM;
      cumulativeLength[e] = total;
    });

    this.n = count;
    this.seg = new Int32Array(count);
    this.pos = new Float64Array(count);
    this.cruise = new Float32Array(count);
    this.stopAtEnd = new Uint8Array(count);
    this.dwell = new Float32Array(count);
    this.accel = new Float32Array(count);
    this.pace = new Float32Array(count);
    this.phaseEndMs = new Float64Array(count);
    this.sessionStartMs = new Float64Array(count);
    this.sessionNo = new Int32Array(count);
    this.infoSeq = new Int32Array(count);
    this.rapidAcc = new Int32Array(count);
    this.localWeather = new Int8Array(count).fill(NONE);
    this.sessionIds = new Array<string>(count).fill('');
    this.infoIdPrefixes = new Array<string>(count).fill('');
    this.state = {
      lon: new Float64Array(count),
      lat: new Float64Array(count),
      speedMs: new Float32Array(count),
      heading: new Float32Array(count),
      driving: new Uint8Array(count),
    };

    this.weather = this.initialWeather(startTimeMs);
    this.nextWeatherMs = startTimeMs + WEATHER_PERIOD_MS;

    const vehicles: SimVehicle[] = [];
    const plates = new Set<string>();
    for (let v = 0; v < count; v++) {
      let plate = randomPlate(fleetRng);
      while (plates.has(plate)) plate = randomPlate(fleetRng);
      plates.add(plate);
      const age = randomDriverAge(fleetRng);
      vehicles.push({
        index: v,
        carId: carIdOf(v),
        plate,
        age,
        sex: randomDriverSex(fleetRng, age),
        brand: weightedPick(fleetRng, CAR_BRANDS),
      });
      this.accel[v] = between(fleetRng, ACCEL_MS2.min, ACCEL_MS2.max);
      this.pace[v] = between(fleetRng, DRIVER_PACE.min, DRIVER_PACE.max);

      const edge = upperBound(cumulativeLength, fleetRng() * total);
      const s = 2 * edge + (fleetRng() < 0.5 ? 0 : 1);
      this.seg[v] = s;
      this.pos[v] = fleetRng() * this.segLen[s]!;
      this.enterSegment(v, s, fleetRng);
      this.placeVehicle(v);

      if (fleetRng() < INITIAL_DRIVING_SHARE) {
        // Already on the road: somewhere inside a session that began before the start.
        const durationMs = wholeSeconds(
          between(fleetRng, SESSION_MIN.min, SESSION_MIN.max) * MS_PER_MIN,
        );
        const startMs = startTimeMs - wholeSeconds(fleetRng() * durationMs);
        this.sessionNo[v] = 1;
        this.beginSession(v, startMs, startMs + durationMs, fleetRng);
        this.state.speedMs[v] =
          this.cruise[v]! * between(fleetRng, INITIAL_SPEED_SHARE.min, INITIAL_SPEED_SHARE.max);
      } else {
        const parkedMs = between(fleetRng, PARKED_MIN.min, PARKED_MIN.max) * MS_PER_MIN;
        this.phaseEndMs[v] = startTimeMs + wholeSeconds(fleetRng() * parkedMs);
      }
    }
    this.vehicles = vehicles;
    this.interlock = options.interlock
      ? new InterlockSimulator({ seed, startTimeMs, vehicles, driving: this.state.driving })
      : null;

    // The daily lists pick distinct vehicles: arrears first, then missing drivers.
    const shuffled = shuffledIndices(fleetRng, count);
    const arrearsCount = count > 0 ? Math.max(1, Math.round(count * ARREARS_SHARE)) : 0;
    this.arrearsVehicles = shuffled.slice(0, arrearsCount);
    this.arrearsRows = this.arrearsVehicles.map((v) => arrearsRow(fleetRng, vehicles[v]!));
    this.missingVehicles = pickMissingDrivers(fleetRng, vehicles, shuffled.slice(arrearsCount));
    const year = formatKstIso(startTimeMs).slice(0, 4);
    this.missingIds = this.missingVehicles.map((_, i) => `MP${year}-${pad(i + 1)}`);
    this.missingRows = this.missingVehicles.map((v, i) => {
      const vehicle = vehicles[v]!;
      const lastSeen = network.dongAt(this.state.lon[v]!, this.state.lat[v]!)?.name ?? '부산';
      const agoHours = between(fleetRng, MISSING_REPORTED_AGO_H.min, MISSING_REPORTED_AGO_H.max);
      return {
        missing_id: this.missingIds[i]!,
        name: randomKoreanName(fleetRng, vehicle.sex, vehicle.age),
        age: vehicle.age,
        sex: vehicle.sex,
        car_plate_number: vehicle.plate,
        description: randomMissingDescription(fleetRng, vehicle.sex, vehicle.age, lastSeen),
        reported_at: formatKstIso(startTimeMs - wholeSeconds(agoHours * MS_PER_HOUR)),
      };
    });
  }

  /** Simulation time (epoch ms) of the last tick, or the start time before the first. */
  get currentTimeMs(): number {
    return this.timeMs;
  }

  /** The city-wide weather condition now. */
  get cityWeather(): WeatherCondition {
    return WEATHER_CONDITIONS[this.weather] ?? '맑음';
  }

  /** The current session id of a vehicle, or null while it is parked. */
  sessionIdOf(index: number): string | null {
    return this.state.driving[index] === 1 ? (this.sessionIds[index] ?? null) : null;
  }

  /** The snapshot rows a pipeline holds before the live stream: vehicles and the daily lists. */
  masterData(nowMs: number): SimMasterData {
    const updatedAt = formatKstIso(nowMs);
    return {
      uservehicle: this.vehicles.map((v) => ({
        car_id: v.carId,
        age: v.age,
        user_sex: v.sex,
        user_car_brand: v.brand,
        car_plate_number: v.plate,
        updated_at: updatedAt,
      })),
      arrears_info: this.arrearsRows.map((row) => ({ ...row })),
      missing_person_info: this.missingRows.map((row) => ({ ...row })),
    };
  }

  /** The interlock installers, obliged drivers and devices; null unless `interlock` is on. */
  interlockMasterData(): InterlockMasterData | null {
    return this.interlock?.masterData() ?? null;
  }

  /**
   * Advances the simulation to `nowMs` and returns the rows produced meanwhile: session starts and
   * ends, one driving_session_info per driving vehicle, and any events. The first tick also
   * announces the sessions already running at the start time. A tick that does not move time
   * forward returns an empty batch.
   */
  tick(nowMs: number, options: SimTickOptions = {}): SimBatch {
    if (!(nowMs > this.timeMs)) return {};
    const sessions: TopicWireRow<'driving_session'>[] = [];
    const drowsy: TopicWireRow<'drowsy_drive'>[] = [];
    const arrears: TopicWireRow<'arrears_detection'>[] = [];
    const missing: TopicWireRow<'missing_person_detection'>[] = [];
    const interlock: TopicWireRow<'interlock_event'>[] = [];
    if (this.initialSessionsPending) {
      this.initialSessionsPending = false;
      for (let v = 0; v < this.n; v++) {
        if (this.state.driving[v]) sessions.push(this.sessionRow(v, null));
      }
    }

    const gap = nowMs - this.timeMs;
    const stepMs = Math.max(STEP_MS, Math.ceil(gap / MAX_STEPS_PER_TICK));
    let t = this.timeMs;
    while (t < nowMs) {
      const next = Math.min(nowMs, t + stepMs);
      this.step(t, next, sessions);
      this.emitEvents(next, (next - t) / MS_PER_S, drowsy, arrears, missing);
      this.interlock?.step(next, (next - t) / MS_PER_S, this.state, interlock);
      t = next;
    }
    this.timeMs = nowMs;

    const batch: SimBatch = {};
    if (sessions.length > 0) batch.driving_session = sessions;
    if (options.sessionInfo ?? true) batch.driving_session_info = this.infoRows(nowMs);
    const on = this.randomEvents;
    if (drowsy.length > 0 && on.drowsy) batch.drowsy_drive = drowsy;
    if (arrears.length > 0 && on.arrears) batch.arrears_detection = arrears;
    if (missing.length > 0 && on.missingPerson) batch.missing_person_detection = missing;
    if (interlock.length > 0 && on.interlock) batch.interlock_event = interlock;
    return batch;
  }

  // ── Stepping ──────────────────────────────────────────────────────────────────────────────────

  private step(fromMs: number, toMs: number, sessions: TopicWireRow<'driving_session'>[]): void {
    const dt = (toMs - fromMs) / MS_PER_S;
    while (this.nextWeatherMs <= toMs) {
      this.weather = this.nextWeather(this.weather, this.nextWeatherMs);
      this.nextWeatherMs += WEATHER_PERIOD_MS;
    }
    const flow = trafficFactor(toMs) * (WEATHER_SPEED_FACTOR[this.weather] ?? 1);
    const driving = this.state.driving;
    const phaseEnd = this.phaseEndMs;
    for (let v = 0; v < this.n; v++) {
      // Phase changes first: a session that ends in this step ends where the car last reported,
      // so the next one starts on the spot where it parked.
      while (phaseEnd[v]! <= toMs) this.switchPhase(v, sessions);
      if (driving[v]) this.move(v, dt, flow);
    }
  }

  private move(v: number, dt: number, flow: number): void {
    const rng = this.motionRng;
    const speeds = this.state.speedMs;
    let s = this.seg[v]!;
    let speed = speeds[v]!;
    if (this.dwell[v]! > 0) {
      const left = this.dwell[v]! - dt;
      if (left > 0) {
        this.dwell[v] = left;
        speeds[v] = 0;
        return;
      }
      // The light turns green: on to the next link.
      this.dwell[v] = 0;
      s = this.nextSegment(s);
      this.seg[v] = s;
      this.pos[v] = 0;
      this.enterSegment(v, s, rng);
      speed = 0;
      if (this.accel[v]! >= RAPID_ACC_MS2 && rng() < RAPID_ACC_CHANCE) this.rapidAcc[v]!++;
    }
    let pos = this.pos[v]!;
    let target = Math.min(this.cruise[v]! * flow, MAX_SPEED_KMH / KMH_PER_MS);
    if (this.stopAtEnd[v]) {
      // Brake so as to reach the stop line at walking pace.
      const remaining = this.segLen[s]! - pos;
      target = Math.min(
        target,
        Math.max(MIN_APPROACH_SPEED_MS, Math.sqrt(2 * DECEL_MS2 * remaining)),
      );
    }
    target *= 1 + (rng() - 0.5) * SPEED_JITTER;
    const next =
      target > speed
        ? Math.min(target, speed + this.accel[v]! * dt)
        : Math.max(target, speed - DECEL_MS2 * dt);
    pos += (speed + next) * 0.5 * dt;
    speed = next;
    while (pos >= this.segLen[s]!) {
      if (this.stopAtEnd[v]) {
        // At the stop line. This second's report keeps the speed it arrived with (it covered the
        // distance at that speed); the dwell reports 0 from the next second on.
        pos = this.segLen[s]!;
        this.stopAtEnd[v] = 0;
        this.dwell[v] = between(rng, STOP_DWELL_S.min, STOP_DWELL_S.max);
        break;
      }
      pos -= this.segLen[s]!;
      s = this.nextSegment(s);
      this.enterSegment(v, s, rng);
    }
    this.seg[v] = s;
    this.pos[v] = pos;
    speeds[v] = speed;
    this.placeVehicle(v);
  }

  /** At the end of segment s: any other link out of the node, or back if it is a dead end. */
  private nextSegment(s: number): number {
    const node = this.segTo[s]!;
    const start = this.outStart[node]!;
    const count = this.outStart[node + 1]! - start;
    if (count <= 1) return this.outSeg[start] ?? s ^ 1;
    const reverse = s ^ 1;
    const k = Math.floor(this.motionRng() * (count - 1));
    const candidate = this.outSeg[start + k]!;
    // The reverse link is swapped for the last one, keeping the choice uniform over the others.
    return candidate === reverse ? this.outSeg[start + count - 1]! : candidate;
  }

  private enterSegment(v: number, s: number, rng: Rng): void {
    const band = this.segLong[s] ? LONG_LINK_SPEED_KMH : CITY_SPEED_KMH;
    this.cruise[v] = (between(rng, band.min, band.max) * this.pace[v]!) / KMH_PER_MS;
    this.stopAtEnd[v] =
      rng() < (this.segEndsAtHub[s] ? STOP_CHANCE_HUB : STOP_CHANCE_BORDER) ? 1 : 0;
  }

  /** Interpolates the position along the segment by distance. */
  private placeVehicle(v: number): void {
    const s = this.seg[v]!;
    const f = this.pos[v]! / this.segLen[s]!;
    this.state.lon[v] = this.segX0[s]! + this.segDx[s]! * f;
    this.state.lat[v] = this.segY0[s]! + this.segDy[s]! * f;
    this.state.heading[v] = this.segHeading[s]!;
  }

  // ── Sessions ──────────────────────────────────────────────────────────────────────────────────

  private switchPhase(v: number, sessions: TopicWireRow<'driving_session'>[]): void {
    const at = this.phaseEndMs[v]!;
    const rng = this.motionRng;
    if (this.state.driving[v]) {
      sessions.push(this.sessionRow(v, at));
      this.state.driving[v] = 0;
      this.state.speedMs[v] = 0;
      this.drivingCount--;
      this.phaseEndMs[v] =
        at + wholeSeconds(between(rng, PARKED_MIN.min, PARKED_MIN.max) * MS_PER_MIN);
    } else {
      this.sessionNo[v]!++;
      const durationMs = wholeSeconds(between(rng, SESSION_MIN.min, SESSION_MIN.max) * MS_PER_MIN);
      this.beginSession(v, at, at + durationMs, rng);
      sessions.push(this.sessionRow(v, null));
    }
  }

  private beginSession(v: number, startMs: number, endMs: number, rng: Rng): void {
    const day = formatKstIso(startMs).slice(0, 10).replaceAll('-', '');
    const sessionId = `S${day}-${carIdOf(v)}-${this.sessionNo[v]}`;
    this.sessionIds[v] = sessionId;
    this.infoIdPrefixes[v] = `${sessionId}-`;
    this.sessionStartMs[v] = startMs;
    this.phaseEndMs[v] = endMs;
    this.infoSeq[v] = 0;
    this.rapidAcc[v] = 0;
    this.localWeather[v] =
      rng() < LOCAL_WEATHER_SHARE ? (LOCAL_WEATHER[this.weather] ?? NONE) : NONE;
    this.state.driving[v] = 1;
    this.drivingCount++;
  }

  private sessionRow(v: number, endMs: number | null): TopicWireRow<'driving_session'> {
    return {
      session_id: this.sessionIds[v]!,
      car_id: carIdOf(v),
      start_time: formatKstIso(this.sessionStartMs[v]!),
      end_time: endMs === null ? null : formatKstIso(endMs),
    };
  }

  private infoRows(nowMs: number): TopicWireRow<'driving_session_info'>[] {
    // Sized up front: at 50,000 vehicles growing the array by push is a measurable share of a tick.
    const rows = new Array<TopicWireRow<'driving_session_info'>>(this.drivingCount);
    let count = 0;
    const dt = formatKstIso(nowMs);
    const cityWeather = WEATHER_CONDITIONS[this.weather];
    const { lon, lat, speedMs, driving } = this.state;
    for (let v = 0; v < this.n; v++) {
      if (!driving[v]) continue;
      const seq = ++this.infoSeq[v]!;
      const sessionId = this.sessionIds[v]!;
      const local = this.localWeather[v]!;
      rows[count++] = {
        info_id: this.infoIdPrefixes[v]! + seq,
        session_id: sessionId,
        app_lat: round6(lat[v]!),
        app_lon: round6(lon[v]!),
        speed: Math.round(speedMs[v]! * KMH_PER_MS * 10) / 10,
        app_rapid_acc: this.rapidAcc[v]!,
        app_weather_status: local === NONE ? cityWeather : WEATHER_CONDITIONS[local],
        dt,
      };
    }
    rows.length = count;
    return rows;
  }

  // ── Events ────────────────────────────────────────────────────────────────────────────────────

  private emitEvents(
    atMs: number,
    dt: number,
    drowsy: TopicWireRow<'drowsy_drive'>[],
    arrears: TopicWireRow<'arrears_detection'>[],
    missing: TopicWireRow<'missing_person_detection'>[],
  ): void {
    const rng = this.eventRng;
    const at = formatKstIso(atMs);
    const day = at.slice(0, 10).replaceAll('-', '');
    const { lat, lon } = this.state;

    for (let k = poisson(rng, DROWSY_RATE * this.drivingCount * dt); k > 0; k--) {
      const v = this.randomDrivingVehicle();
      if (v === NONE) break;
      drowsy.push({
        drowsy_id: `DRW${day}-${pad(++this.drowsySeq)}`,
        session_id: this.sessionIds[v]!,
        detected_at: at,
        gaze_closure: intBetween(rng, GAZE_CLOSURE.min, GAZE_CLOSURE.max),
        head_drop: intBetween(rng, HEAD_DROP.min, HEAD_DROP.max),
      });
    }

    for (let k = poisson(rng, ARREARS_DETECTION_RATE * this.drivingCount * dt); k > 0; k--) {
      let v: number = NONE;
      if (rng() < ARREARS_HIT_SHARE) {
        const listed = this.arrearsVehicles[Math.floor(rng() * this.arrearsVehicles.length)];
        if (listed !== undefined && this.state.driving[listed]) v = listed;
      }
      if (v === NONE) v = this.randomDrivingVehicle();
      if (v === NONE) break;
      const success = rng() < ARREARS_DETECTION_SUCCESS;
      const confidence = success ? CONFIDENCE_SUCCESS : CONFIDENCE_FAILURE;
      arrears.push({
        detection_id: `ARR${day}-${pad(++this.detectionSeq)}`,
        image_id: `IMG${day}-${pad(++this.imageSeq)}`,
        car_plate_number: success ? this.vehicles[v]!.plate : null,
        detection_success: success ? 1 : 0,
        detected_lat: round6(lat[v]!),
        detected_lon: round6(lon[v]!),
        detected_time: at,
        confidence: Math.round(between(rng, confidence.min, confidence.max) * 100) / 100,
      });
    }

    const chance = MISSING_DETECTION_RATE * dt;
    this.missingVehicles.forEach((v, i) => {
      if (!this.state.driving[v] || rng() >= chance) return;
      const success = rng() < MISSING_DETECTION_SUCCESS;
      missing.push({
        detection_id: `MPD${day}-${pad(++this.detectionSeq)}`,
        image_id: `IMG${day}-${pad(++this.imageSeq)}`,
        car_plate_number: success ? this.vehicles[v]!.plate : null,
        missing_id: success ? this.missingIds[i]! : null,
        detection_success: success ? 1 : 0,
        detected_lat: round6(lat[v]!),
        detected_lon: round6(lon[v]!),
        detected_time: at,
      });
    });
  }

  private randomDrivingVehicle(): number {
    for (let i = 0; i < PICK_TRIES; i++) {
      const v = Math.floor(this.eventRng() * this.n);
      if (this.state.driving[v]) return v;
    }
    return NONE;
  }

  // ── Weather ───────────────────────────────────────────────────────────────────────────────────

  private initialWeather(atMs: number): number {
    const snow = isSnowMonth(atMs);
    const weights = INITIAL_WEATHER_WEIGHTS.map(
      ([w, weight]) => [w === W_SNOW && !snow ? W_RAIN : w, weight] as const,
    );
    return weightedPick(this.weatherRng, weights);
  }

  private nextWeather(current: number, atMs: number): number {
    const row = WEATHER_TRANSITIONS[current] ?? WEATHER_TRANSITIONS[W_CLEAR]!;
    const next = weightedPick(
      this.weatherRng,
      row.map((w, to) => [to, w] as const),
    );
    return next === W_SNOW && !isSnowMonth(atMs) ? W_RAIN : next;
  }
}

interface SegmentTable {
  to: Int32Array;
  length: Float64Array;
  x0: Float64Array;
  y0: Float64Array;
  dx: Float64Array;
  dy: Float64Array;
  heading: Float32Array;
  long: Uint8Array;
  endsAtHub: Uint8Array;
  outStart: Int32Array;
  outSeg: Int32Array;
}

/**
 * Directed segments with their geometry, computed once: edge e gives 2e (a→b) and 2e+1 (b→a),
 * and the segments leaving node n are outSeg[outStart[n] .. outStart[n + 1]).
 */
function buildSegmentTable(network: RoadNetwork): SegmentTable {
  const { nodes, edges } = network;
  const count = 2 * edges.length;
  const table: SegmentTable = {
    to: new Int32Array(count),
    length: new Float64Array(count),
    x0: new Float64Array(count),
    y0: new Float64Array(count),
    dx: new Float64Array(count),
    dy: new Float64Array(count),
    heading: new Float32Array(count),
    long: new Uint8Array(count),
    endsAtHub: new Uint8Array(count),
    outStart: new Int32Array(nodes.length + 1),
    outSeg: new Int32Array(count),
  };
  for (const edge of edges) {
    for (const [s, from, to] of [
      [2 * edge.id, edge.a, edge.b],
      [2 * edge.id + 1, edge.b, edge.a],
    ] as const) {
      const a = nodes[from]!;
      const b = nodes[to]!;
      table.to[s] = to;
      table.length[s] = edge.lengthM;
      table.x0[s] = a.lon;
      table.y0[s] = a.lat;
      table.dx[s] = b.lon - a.lon;
      table.dy[s] = b.lat - a.lat;
      table.heading[s] = bearingDeg(a.lon, a.lat, b.lon, b.lat);
      table.long[s] = edge.lengthM >= LONG_LINK_M ? 1 : 0;
      table.endsAtHub[s] = b.kind === 'dong' ? 1 : 0;
      table.outStart[from + 1]!++;
    }
  }
  for (let i = 0; i < nodes.length; i++) table.outStart[i + 1]! += table.outStart[i]!;
  const fill = table.outStart.slice(0, nodes.length);
  for (const edge of edges) {
    table.outSeg[fill[edge.a]!++] = 2 * edge.id;
    table.outSeg[fill[edge.b]!++] = 2 * edge.id + 1;
  }
  return table;
}

function arrearsRow(rng: Rng, vehicle: SimVehicle): TopicWireRow<'arrears_info'> {
  // Most arrears are small: a log-uniform amount gives the long tail, and larger debts have
  // had more notices sent.
  const { min, max } = ARREARS_AMOUNT_KRW;
  const share = rng();
  const amount = min * Math.pow(max / min, share);
  const noticeNoise = (rng() - 0.5) * NOTICE_NOISE;
  return {
    car_plate_number: vehicle.plate,
    arrears_user_id: `AU${pad(vehicle.index + 1)}`,
    total_arrears_amount: Math.round(amount / ARREARS_AMOUNT_STEP_KRW) * ARREARS_AMOUNT_STEP_KRW,
    notice_count: Math.min(
      NOTICE_COUNT.max,
      Math.max(NOTICE_COUNT.min, Math.round(share * NOTICE_COUNT.max + noticeNoise)),
    ),
  };
}

/** A few drivers reported missing, mostly older people, from the given candidates in order. */
function pickMissingDrivers(rng: Rng, vehicles: readonly SimVehicle[], candidates: number[]) {
  const target = Math.min(
    candidates.length,
    Math.max(
      MISSING_COUNT.min,
      Math.min(MISSING_COUNT.max, Math.round(vehicles.length * MISSING_SHARE)),
    ),
  );
  const picked: number[] = [];
  for (const v of candidates) {
    if (picked.length >= target) break;
    if (vehicles[v]!.age >= MISSING_OLDER_AGE || rng() < MISSING_YOUNGER_ACCEPT) picked.push(v);
  }
  return picked;
}

function carIdOf(v: number): string {
  return `car_${String(v + 1).padStart(ID_PAD, '0')}`;
}

/** Session times are whole seconds, as the phone app records them. */
function wholeSeconds(ms: number): number {
  return Math.round(ms / MS_PER_S) * MS_PER_S;
}

function pad(n: number): string {
  return String(n).padStart(ID_PAD, '0');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function between(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

function kstHour(ms: number): number {
  return Math.floor((ms + KST_OFFSET_MS) / MS_PER_HOUR) % HOURS_PER_DAY;
}

function trafficFactor(ms: number): number {
  const hour = kstHour(ms);
  if (RUSH_HOURS.includes(hour)) return RUSH_FACTOR;
  return hour < NIGHT_HOURS_END ? NIGHT_FACTOR : 1;
}

function isSnowMonth(ms: number): boolean {
  return SNOW_MONTHS.includes(new Date(ms + KST_OFFSET_MS).getUTCMonth());
}

/** Index of the first entry greater than x in an ascending array (clamped to the last). */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
function shuffledIndices(rng: Rng, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a;
}

/** A Poisson-distributed count with mean `mean`. */
function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > POISSON_EXACT_LIMIT) {
    // Box–Muller normal approximation; exact counts do not matter at this volume.
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}
