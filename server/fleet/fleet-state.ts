/**
 * The relay's in-memory picture of the fleet: who each vehicle is, where it is now, and what
 * changed since the last frame. Pure (time is passed in), so it is tested without I/O.
 *
 * Vehicles get a compact index on first sight; it stays theirs while the relay runs, so frames
 * carry a 4-byte index instead of an id. Per-vehicle numbers live in typed arrays by index.
 */
import { FrameKind, PositionFrameWriter, VehicleFlag } from '../../shared/frames';
import { normalizePlate } from '../../shared/plates';
import type { TopicRow } from '../../shared/topics';
import {
  ageBand,
  type VehicleDriver,
  type VehicleEntry,
  type VehicleTableUpdate,
} from '../../shared/vehicles';
import { bearingDeg, distanceM } from './geo';

/** How long a detection keeps its flag on the vehicle's dot. */
export const DROWSY_FLAG_MS = 5 * 60_000;
export const ARREARS_FLAG_MS = 10 * 60_000;
export const MISSING_FLAG_MS = 30 * 60_000;
/** Below this a vehicle counts as stopped. */
export const MOVING_SPEED_KMH = 5;
/** Movement shorter than this keeps the previous heading (GPS jitter at a standstill). */
const MIN_HEADING_MOVE_M = 2;
const INITIAL_CAPACITY = 4096;
/** Positions for sessions not yet known are held briefly (at most this many sessions). */
const MAX_PENDING_SESSIONS = 100_000;

type Info = TopicRow<'driving_session_info'>;

export class FleetState {
  private readonly indexByCar = new Map<string, number>();
  private readonly carBySession = new Map<string, string>();
  private readonly carByPlate = new Map<string, string>();
  /** Event times (dt) of the positions accepted since the last frame: the processing delay. */
  private freshEventSumMs = 0;
  private freshEventCount = 0;
  /** Latest position of sessions whose driving_session row has not arrived (out-of-order). */
  private readonly pendingInfo = new Map<string, Info>();
  private readonly entries: VehicleEntry[] = [];
  /**
   * The driver's personal fields, by vehicle index: kept apart from the table every client gets,
   * read one vehicle at a time through `driver` (a permission-checked, audited endpoint).
   */
  private readonly drivers: Omit<VehicleDriver, 'carId'>[] = [];
  private capacity = INITIAL_CAPACITY;
  private lon = new Float64Array(INITIAL_CAPACITY);
  private lat = new Float64Array(INITIAL_CAPACITY);
  private speed = new Float32Array(INITIAL_CAPACITY);
  private heading = new Float32Array(INITIAL_CAPACITY);
  private lastUpdateMs = new Float64Array(INITIAL_CAPACITY);
  private drowsyUntil = new Float64Array(INITIAL_CAPACITY);
  private arrearsUntil = new Float64Array(INITIAL_CAPACITY);
  private missingUntil = new Float64Array(INITIAL_CAPACITY);
  private rapidAcc = new Uint8Array(INITIAL_CAPACITY);
  /** 1 while the vehicle has a position and an open session. */
  private live = new Uint8Array(INITIAL_CAPACITY);
  /** Flags last sent in a frame, to detect flag-only changes and expiries. */
  private sentFlags = new Uint8Array(INITIAL_CAPACITY);
  private changed = new Uint8Array(INITIAL_CAPACITY);
  private readonly changedList: number[] = [];
  private readonly goneList: number[] = [];
  private readonly changedEntries = new Set<number>();
  private readonly timedFlagVehicles = new Set<number>();
  private liveCount = 0;
  private version = 0;
  /** When the batch being applied in slices began (epoch ms), or null between batches. */
  private batchStartedMs: number | null = null;
  lastIngestMs: number | null = null;

  /**
   * A source applies one tick's rows in several slices (sim-source.ts); between `beginBatch` and
   * `endBatch` a frame would carry part of the tick, and a client that times its motion by the
   * frames' spacing would see two updates 200 ms apart instead of one a second.
   */
  beginBatch(nowMs: number): void {
    this.batchStartedMs = nowMs;
  }

  endBatch(): void {
    this.batchStartedMs = null;
  }

  /** Whether a frame should wait: a batch is being applied, begun less than `maxWaitMs` ago. */
  frameShouldWait(nowMs: number, maxWaitMs: number): boolean {
    return this.batchStartedMs !== null && nowMs - this.batchStartedMs < maxWaitMs;
  }

  get vehicleCount(): number {
    return this.liveCount;
  }

  get knownVehicles(): number {
    return this.entries.length;
  }

  get tableVersion(): number {
    return this.version;
  }

  entry(index: number): VehicleEntry | undefined {
    return this.entries[index];
  }

  /** The driver's age band and sex for one car; undefined for a car the relay never saw. */
  driver(carId: string): VehicleDriver | undefined {
    const index = this.indexByCar.get(carId);
    if (index === undefined) return undefined;
    return { carId, ...this.drivers[index]! };
  }

  indexOf(carId: string): number | undefined {
    return this.indexByCar.get(carId);
  }

  carOfSession(sessionId: string): string | undefined {
    return this.carBySession.get(sessionId);
  }

  /** The car carrying a plate, by its normal form (shared/plates.ts); any written form works. */
  carOfPlate(plate: string): string | undefined {
    return this.carByPlate.get(normalizePlate(plate) ?? plate);
  }

  position(
    index: number,
  ): { lon: number; lat: number; speed: number; lastUpdateMs: number } | null {
    if (index >= this.entries.length || this.lastUpdateMs[index] === 0) return null;
    return {
      lon: this.lon[index]!,
      lat: this.lat[index]!,
      speed: this.speed[index]!,
      lastUpdateMs: this.lastUpdateMs[index]!,
    };
  }

  applyUservehicle(row: TopicRow<'uservehicle'>): void {
    const index = this.ensureVehicle(row.car_id);
    const entry = this.entries[index]!;
    const plate = row.car_plate_number ?? entry.plate;
    if (plate && plate !== entry.plate) {
      // Indexed by the normal form, shown as written (the drawer shows the plate as registered).
      if (entry.plate) this.carByPlate.delete(normalizePlate(entry.plate) ?? entry.plate);
      this.carByPlate.set(normalizePlate(plate) ?? plate, row.car_id);
    }
    const driver = this.drivers[index]!;
    if (row.age !== null && row.age !== undefined) driver.ageBand = ageBand(row.age);
    if (row.user_sex) driver.sex = row.user_sex;
    this.updateEntry(index, {
      brand: row.user_car_brand ?? entry.brand,
      plate,
    });
  }

  applySession(row: TopicRow<'driving_session'>): void {
    this.carBySession.set(row.session_id, row.car_id);
    const index = this.ensureVehicle(row.car_id);
    const entry = this.entries[index]!;
    if (row.end_time !== null && row.end_time !== undefined) {
      // A late end of an older session must not end the one now open.
      if (entry.sessionId === row.session_id || entry.sessionId === null) this.markGone(index);
      return;
    }
    if (entry.sessionStartMs !== null && entry.sessionId !== row.session_id) {
      if (row.start_time < entry.sessionStartMs) return; // an older session arriving late
    }
    this.updateEntry(index, { sessionId: row.session_id, sessionStartMs: row.start_time });
    const pending = this.pendingInfo.get(row.session_id);
    if (pending) {
      this.pendingInfo.delete(row.session_id);
      this.applyInfo(pending);
    }
  }

  /** Applies a position row; returns false when it was held back or was older than what we have. */
  applyInfo(row: Info): boolean {
    const carId = this.carBySession.get(row.session_id);
    if (carId === undefined) {
      if (this.pendingInfo.size >= MAX_PENDING_SESSIONS && !this.pendingInfo.has(row.session_id)) {
        const oldest = this.pendingInfo.keys().next().value;
        if (oldest !== undefined) this.pendingInfo.delete(oldest);
      }
      const held = this.pendingInfo.get(row.session_id);
      if (!held || held.dt <= row.dt) this.pendingInfo.set(row.session_id, row);
      return false;
    }
    const index = this.ensureVehicle(carId);
    const entry = this.entries[index]!;
    if (entry.sessionId !== null && entry.sessionId !== row.session_id) {
      // A row of an ended session arriving late: history only.
      return false;
    }
    if (row.dt <= this.lastUpdateMs[index]!) return false; // duplicate or out of order
    this.lastIngestMs = Math.max(this.lastIngestMs ?? 0, row.dt);
    const hadPosition = this.lastUpdateMs[index]! > 0;
    if (hadPosition) {
      const moved = distanceM(this.lon[index]!, this.lat[index]!, row.app_lon, row.app_lat);
      if (moved >= MIN_HEADING_MOVE_M) {
        this.heading[index] = bearingDeg(
          this.lon[index]!,
          this.lat[index]!,
          row.app_lon,
          row.app_lat,
        );
      }
    }
    this.lon[index] = row.app_lon;
    this.lat[index] = row.app_lat;
    this.speed[index] = row.speed ?? 0;
    this.freshEventSumMs += row.dt;
    this.freshEventCount++;
    this.lastUpdateMs[index] = row.dt;
    this.rapidAcc[index] = (row.app_rapid_acc ?? 0) > 0 ? 1 : 0;
    if (entry.sessionId === null) this.updateEntry(index, { sessionId: row.session_id });
    const weather = row.app_weather_status ?? entry.weather;
    const rapid = row.app_rapid_acc ?? entry.rapidAccCount;
    if (weather !== entry.weather || rapid !== entry.rapidAccCount) {
      this.updateEntry(index, { weather, rapidAccCount: rapid });
    }
    if (!this.live[index]) {
      this.live[index] = 1;
      this.liveCount++;
      const goneAt = this.goneList.indexOf(index);
      if (goneAt >= 0) this.goneList.splice(goneAt, 1);
    }
    this.markChanged(index);
    return true;
  }

  /** Marks a vehicle drowsy; returns its index, or undefined when its session is unknown. */
  applyDrowsy(row: TopicRow<'drowsy_drive'>): number | undefined {
    const carId = this.carBySession.get(row.session_id);
    if (carId === undefined) return undefined;
    const index = this.ensureVehicle(carId);
    this.setTimedFlag(this.drowsyUntil, index, row.detected_at + DROWSY_FLAG_MS);
    return index;
  }

  /** Flags the car of a plate hit (decided by server/domain/plate-hits.ts). */
  applyArrearsHit(plate: string, detectedMs: number): number | undefined {
    const carId = this.carOfPlate(plate);
    if (carId === undefined) return undefined;
    const index = this.ensureVehicle(carId);
    this.setTimedFlag(this.arrearsUntil, index, detectedMs + ARREARS_FLAG_MS);
    return index;
  }

  applyMissingHit(plate: string, detectedMs: number): number | undefined {
    const carId = this.carOfPlate(plate);
    if (carId === undefined) return undefined;
    const index = this.ensureVehicle(carId);
    this.setTimedFlag(this.missingUntil, index, detectedMs + MISSING_FLAG_MS);
    return index;
  }

  /**
   * Takes a plate's hit flag down at once: the plate left the list (paid, found), so the map must
   * stop showing it even if the last hit was minutes ago.
   */
  clearPlateHit(plate: string, list: 'arrears' | 'missing'): number | undefined {
    const carId = this.carOfPlate(plate);
    if (carId === undefined) return undefined;
    const index = this.indexByCar.get(carId);
    if (index === undefined) return undefined;
    const until = list === 'arrears' ? this.arrearsUntil : this.missingUntil;
    if (until[index]! === 0) return index;
    until[index] = 0;
    if (this.live[index]) this.markChanged(index);
    return index;
  }

  flagsOf(index: number, nowMs: number): number {
    let flags = 0;
    if (this.speed[index]! >= MOVING_SPEED_KMH) flags |= VehicleFlag.Moving;
    if (this.drowsyUntil[index]! > nowMs) flags |= VehicleFlag.Drowsy;
    if (this.arrearsUntil[index]! > nowMs) flags |= VehicleFlag.Arrears;
    if (this.missingUntil[index]! > nowMs) flags |= VehicleFlag.Missing;
    if (this.rapidAcc[index]) flags |= VehicleFlag.RapidAcc;
    return flags;
  }

  /**
   * Packs the next frame. A key frame lists every live vehicle; a delta frame lists what changed
   * since the previous frame (and vehicles that left, flagged Gone). Returns null for an empty delta.
   */
  buildFrame(
    writer: PositionFrameWriter,
    kind: FrameKind,
    seq: number,
    nowMs: number,
    options: { emptyDelta?: boolean } = {},
  ): Uint8Array | null {
    this.expireTimedFlags(nowMs);
    writer.begin(kind, seq, nowMs, this.version);
    if (kind === FrameKind.Key) {
      for (let i = 0; i < this.entries.length; i++) {
        if (this.live[i]) this.writeRow(writer, i, nowMs);
      }
    } else {
      for (const i of this.changedList) {
        if (this.live[i]) this.writeRow(writer, i, nowMs);
      }
      for (const i of this.goneList) {
        writer.push(i, this.lon[i]!, this.lat[i]!, 0, this.heading[i]!, VehicleFlag.Gone);
      }
    }
    for (const i of this.changedList) this.changed[i] = 0;
    this.changedList.length = 0;
    this.goneList.length = 0;
    this.lastFrameEvents =
      this.freshEventCount === 0
        ? null
        : { meanEventMs: this.freshEventSumMs / this.freshEventCount, count: this.freshEventCount };
    this.freshEventSumMs = 0;
    this.freshEventCount = 0;
    if (kind === FrameKind.Delta && writer.size === 0 && !options.emptyDelta) return null;
    return writer.finish();
  }

  /**
   * The mean event time of the positions the last built frame carried for the first time, null
   * when it carried none: event time → frame sent is the seed's processing delay (< 5 s).
   */
  lastFrameEvents: { meanEventMs: number; count: number } | null = null;

  /** Positions loaded from the store at start are history, not the feed's delay. */
  discardFreshEvents(): void {
    this.freshEventSumMs = 0;
    this.freshEventCount = 0;
  }

  /**
   * A key frame of every live vehicle for one new client, without touching what the next
   * broadcast delta will carry.
   */
  snapshotFrame(writer: PositionFrameWriter, seq: number, nowMs: number): Uint8Array {
    writer.begin(FrameKind.Key, seq, nowMs, this.version);
    for (let i = 0; i < this.entries.length; i++) {
      if (this.live[i]) {
        writer.push(
          i,
          this.lon[i]!,
          this.lat[i]!,
          this.speed[i]!,
          this.heading[i]!,
          this.flagsOf(i, nowMs),
        );
      }
    }
    return writer.finish();
  }

  /** Entries changed since the last call, as an upsert; null when none changed. */
  takeTableUpdate(): VehicleTableUpdate | null {
    if (this.changedEntries.size === 0) return null;
    const entries = [...this.changedEntries].map((i) => ({ ...this.entries[i]! }));
    this.changedEntries.clear();
    return { tableVersion: this.version, full: false, entries };
  }

  fullTable(): VehicleTableUpdate {
    return { tableVersion: this.version, full: true, entries: this.entries.map((e) => ({ ...e })) };
  }

  private writeRow(writer: PositionFrameWriter, i: number, nowMs: number): void {
    const flags = this.flagsOf(i, nowMs);
    this.sentFlags[i] = flags;
    writer.push(i, this.lon[i]!, this.lat[i]!, this.speed[i]!, this.heading[i]!, flags);
  }

  private markGone(index: number): void {
    this.updateEntry(index, { sessionId: null, sessionStartMs: null });
    if (!this.live[index]) return;
    this.live[index] = 0;
    this.liveCount--;
    this.goneList.push(index);
  }

  private markChanged(index: number): void {
    if (this.changed[index]) return;
    this.changed[index] = 1;
    this.changedList.push(index);
  }

  private setTimedFlag(until: Float64Array, index: number, untilMs: number): void {
    if (untilMs <= until[index]!) return;
    until[index] = untilMs;
    this.timedFlagVehicles.add(index);
    if (this.live[index]) this.markChanged(index);
  }

  /** A flag that lapsed must reach clients even if the vehicle sent no new position. */
  private expireTimedFlags(nowMs: number): void {
    for (const i of this.timedFlagVehicles) {
      const flags = this.flagsOf(i, nowMs);
      if (flags !== this.sentFlags[i] && this.live[i]) this.markChanged(i);
      if (
        this.drowsyUntil[i]! <= nowMs &&
        this.arrearsUntil[i]! <= nowMs &&
        this.missingUntil[i]! <= nowMs
      ) {
        this.timedFlagVehicles.delete(i);
      }
    }
  }

  private updateEntry(index: number, patch: Partial<VehicleEntry>): void {
    const entry = this.entries[index]!;
    let differs = false;
    for (const key of Object.keys(patch) as (keyof VehicleEntry)[]) {
      if (entry[key] !== patch[key]) {
        differs = true;
        break;
      }
    }
    if (!differs) return;
    Object.assign(entry, patch);
    this.version++;
    this.changedEntries.add(index);
  }

  private ensureVehicle(carId: string): number {
    const known = this.indexByCar.get(carId);
    if (known !== undefined) return known;
    const index = this.entries.length;
    if (index >= this.capacity) this.grow();
    this.entries.push({
      index,
      carId,
      plate: null,
      brand: null,
      sessionId: null,
      sessionStartMs: null,
      weather: null,
      rapidAccCount: null,
    });
    this.drivers.push({ ageBand: null, sex: null });
    this.indexByCar.set(carId, index);
    this.version++;
    this.changedEntries.add(index);
    return index;
  }

  private grow(): void {
    const next = this.capacity * 2;
    const grow = <T extends Float64Array | Float32Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(next);
      b.set(a);
      return b;
    };
    this.lon = grow(this.lon, (n) => new Float64Array(n));
    this.lat = grow(this.lat, (n) => new Float64Array(n));
    this.speed = grow(this.speed, (n) => new Float32Array(n));
    this.heading = grow(this.heading, (n) => new Float32Array(n));
    this.lastUpdateMs = grow(this.lastUpdateMs, (n) => new Float64Array(n));
    this.drowsyUntil = grow(this.drowsyUntil, (n) => new Float64Array(n));
    this.arrearsUntil = grow(this.arrearsUntil, (n) => new Float64Array(n));
    this.missingUntil = grow(this.missingUntil, (n) => new Float64Array(n));
    this.rapidAcc = grow(this.rapidAcc, (n) => new Uint8Array(n));
    this.live = grow(this.live, (n) => new Uint8Array(n));
    this.sentFlags = grow(this.sentFlags, (n) => new Uint8Array(n));
    this.changed = grow(this.changed, (n) => new Uint8Array(n));
    this.capacity = next;
  }
}
