/**
 * The live fleet outside React: what the map draws every animation frame.
 *
 * Vehicles live in dense slots [0, count) of structure-of-arrays typed arrays, so deck.gl can take
 * `positions` and `colors` as binary attributes without any per-vehicle object. A vehicle index
 * (from the relay's frames) maps to its slot through `slotOfIndex`; removing a vehicle moves the
 * last slot into the hole, so the live range stays dense and removal is O(1).
 *
 * Motion is interpolated: each frame starts a new leg from where every vehicle is drawn now to
 * its newest position, lasting the observed interval between frames, so 1 Hz updates look
 * continuous. Applying a frame is O(rows + live vehicles) with no allocation per vehicle.
 *
 * Pure TypeScript (no DOM): time is passed in, so tests drive it with plain numbers.
 */
import { FrameKind, VehicleFlag, type PositionFrame } from '../../../shared/frames';
import { vehicleColor } from '../map/vehicle-colors';

/** Slots allocated before the first growth; typical fleets are about 2,000 vehicles. */
const DEFAULT_CAPACITY = 4096;
/** Assumed interval between frames until two frames have been seen (the simulator's 1 Hz). */
export const DEFAULT_FRAME_INTERVAL_MS = 1000;
/** Interpolation never runs shorter than this (Kafka can deliver every 250 ms or faster). */
export const MIN_FRAME_INTERVAL_MS = 100;
/** Nor longer: a slow frame should not make vehicles drift for many seconds. */
export const MAX_FRAME_INTERVAL_MS = 3000;
/** Weight of the newest interval in the running estimate; smooths jitter in arrival times. */
const INTERVAL_SMOOTHING = 0.3;
/**
 * After a gap this long (tab hidden, reconnect) vehicles jump to their new positions instead of
 * gliding across the city.
 */
export const SNAP_AFTER_GAP_MS = 5000;
/**
 * A single step longer than this (in degrees, ~2 km near Busan) is a teleport (a new session, a
 * corrected fix), not motion: draw it at once.
 */
export const SNAP_DISTANCE_DEG = 0.02;
/**
 * Highest vehicle index accepted. Indexes are compact (0…fleet size); a corrupt frame with a huge
 * index must not make the client allocate gigabytes for the index→slot table.
 */
export const MAX_VEHICLE_INDEX = (1 << 24) - 1;

const NO_SLOT = -1;
const RGBA = 4;
const LON_LAT = 2;
const OPAQUE = 255;

export type FleetListener = () => void;

export class FleetBuffer {
  /** Number of live vehicles; slots [0, count) are valid. */
  count = 0;
  /** Drawn positions, [lon, lat] per slot: what the map shows at the last `advance`. */
  positions: Float32Array;
  /** Fill colours, RGBA per slot. */
  colors: Uint8Array;
  /** km/h × SPEED_SCALE per slot, as in the last frame that carried the vehicle. */
  speed: Uint16Array;
  /** degrees × HEADING_SCALE per slot. */
  heading: Uint16Array;
  /** VehicleFlag bits per slot. */
  flags: Uint8Array;
  /** Time (the caller's clock) of the last frame that carried each slot's vehicle. */
  updatedAt: Float64Array;
  /** Vehicle index per slot. */
  indexOfSlot: Uint32Array;

  /** Bumped whenever positions change; the draw loop re-uploads positions when it moves. */
  positionVersion = 0;
  /** Bumped whenever colours change or slots move; the draw loop re-uploads colours then. */
  colorVersion = 0;
  /** Bumped once per applied frame. */
  frameCount = 0;
  /**
   * Time (the caller's clock) of the last frame, heartbeats included: how fresh the feed is. Null
   * before the first.
   */
  lastFrameAt: number | null = null;
  /** Running estimate of the interval between frames, which is also each leg's duration. */
  intervalMs = DEFAULT_FRAME_INTERVAL_MS;

  private from: Float32Array;
  private to: Float32Array;
  private seen: Uint32Array;
  private slotOfIndex: Int32Array;
  private capacity: number;
  /** Time of the last frame that carried positions: the interval estimate's reference. */
  private lastUpdateAt: number | null = null;
  private legStart = 0;
  private legDuration = 0;
  private moving = false;
  private keyEpoch = 0;
  private readonly listeners = new Set<FleetListener>();

  constructor(initialCapacity = DEFAULT_CAPACITY) {
    this.capacity = Math.max(1, initialCapacity);
    this.positions = new Float32Array(this.capacity * LON_LAT);
    this.from = new Float32Array(this.capacity * LON_LAT);
    this.to = new Float32Array(this.capacity * LON_LAT);
    this.colors = new Uint8Array(this.capacity * RGBA);
    this.speed = new Uint16Array(this.capacity);
    this.heading = new Uint16Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.updatedAt = new Float64Array(this.capacity);
    this.indexOfSlot = new Uint32Array(this.capacity);
    this.seen = new Uint32Array(this.capacity);
    this.slotOfIndex = new Int32Array(this.capacity).fill(NO_SLOT);
  }

  /** The slot drawing this vehicle index, or -1 when the vehicle is not live. */
  slotOf(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.slotOfIndex.length) return NO_SLOT;
    return this.slotOfIndex[index] ?? NO_SLOT;
  }

  has(index: number): boolean {
    return this.slotOf(index) !== NO_SLOT;
  }

  /** Vehicle indexes currently live, in slot order. Allocates: for QA and tests, not per frame. */
  liveIndexes(): number[] {
    return Array.from(this.indexOfSlot.subarray(0, this.count));
  }

  /** The drawn position of a vehicle, or null. Allocates: for QA and UI, not per frame. */
  drawnPosition(index: number): [lon: number, lat: number] | null {
    const slot = this.slotOf(index);
    if (slot === NO_SLOT) return null;
    return [this.positions[slot * LON_LAT]!, this.positions[slot * LON_LAT + 1]!];
  }

  /** The newest reported position (the end of the current leg), or null. */
  targetPosition(index: number): [lon: number, lat: number] | null {
    const slot = this.slotOf(index);
    if (slot === NO_SLOT) return null;
    return [this.to[slot * LON_LAT]!, this.to[slot * LON_LAT + 1]!];
  }

  /** Calls `listener` after every applied frame; returns the unsubscribe function. */
  subscribe = (listener: FleetListener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /**
   * Moves the drawn positions to time `now`. Returns true when they changed since the last call,
   * so an idle fleet costs the draw loop nothing.
   */
  advance(now: number): boolean {
    if (!this.moving) return false;
    const n = this.count * LON_LAT;
    const t = this.legDuration <= 0 ? 1 : (now - this.legStart) / this.legDuration;
    if (t >= 1) {
      this.positions.set(this.to.subarray(0, n));
      this.moving = false;
    } else {
      const k = Math.max(0, t);
      const { positions, from, to } = this;
      for (let i = 0; i < n; i++) {
        const a = from[i]!;
        positions[i] = a + (to[i]! - a) * k;
      }
    }
    this.positionVersion++;
    return true;
  }

  /** Applies a decoded position frame received at time `now` (same clock as `advance`). */
  apply(frame: PositionFrame, now: number): void {
    // Start the new leg from what is on screen at this moment, wherever the last leg had got to.
    this.advance(now);
    const gap = this.lastUpdateAt === null ? Infinity : now - this.lastUpdateAt;
    if (Number.isFinite(gap) && gap > 0 && gap < SNAP_AFTER_GAP_MS) {
      const estimate = this.intervalMs + (gap - this.intervalMs) * INTERVAL_SMOOTHING;
      this.intervalMs = Math.min(MAX_FRAME_INTERVAL_MS, Math.max(MIN_FRAME_INTERVAL_MS, estimate));
    }
    const snap = gap >= SNAP_AFTER_GAP_MS;
    this.from.set(this.positions.subarray(0, this.count * LON_LAT));

    if (frame.kind === FrameKind.Key) {
      this.keyEpoch = (this.keyEpoch + 1) >>> 0 || 1;
      for (let row = 0; row < frame.count; row++) this.upsertRow(frame, row, now, snap);
      // Backwards, so a slot moved into a hole by a removal has already been checked.
      for (let slot = this.count - 1; slot >= 0; slot--) {
        if (this.seen[slot] !== this.keyEpoch) this.removeSlot(slot);
      }
    } else {
      for (let row = 0; row < frame.count; row++) {
        if ((frame.flags[row]! & VehicleFlag.Gone) !== 0) {
          const slot = this.slotOf(frame.index[row]!);
          if (slot !== NO_SLOT) this.removeSlot(slot);
        } else {
          this.upsertRow(frame, row, now, snap);
        }
      }
    }

    this.legStart = now;
    this.legDuration = snap ? 0 : this.intervalMs;
    this.moving = true;
    this.lastFrameAt = now;
    this.lastUpdateAt = now;
    this.frameCount++;
    for (const listener of this.listeners) listener();
  }

  /**
   * Forgets every vehicle and the frame timing: the next frame is drawn where it says at once (a
   * replay that jumps to another moment must not glide the whole city there).
   */
  clear(): void {
    for (let slot = 0; slot < this.count; slot++)
      this.slotOfIndex[this.indexOfSlot[slot]!] = NO_SLOT;
    this.count = 0;
    this.lastUpdateAt = null;
    this.lastFrameAt = null;
    this.moving = false;
    this.intervalMs = DEFAULT_FRAME_INTERVAL_MS;
    this.positionVersion++;
    this.colorVersion++;
  }

  /**
   * A heartbeat frame (nothing moved) received at `now`: the feed is fresh. Legs in flight and the
   * interval estimate are left alone, so a heartbeat between two updates does not shorten a leg.
   */
  heartbeat(now: number): void {
    this.lastFrameAt = now;
    for (const listener of this.listeners) listener();
  }

  private upsertRow(frame: PositionFrame, row: number, now: number, snap: boolean): void {
    const index = frame.index[row]!;
    if (index > MAX_VEHICLE_INDEX) return;
    const lon = frame.lon[row]!;
    const lat = frame.lat[row]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    let slot = index < this.slotOfIndex.length ? this.slotOfIndex[index]! : NO_SLOT;
    if (slot === NO_SLOT) {
      slot = this.addSlot(index);
      const q = slot * LON_LAT;
      // A new vehicle appears where it is rather than gliding in from somewhere.
      this.from[q] = this.positions[q] = this.to[q] = lon;
      this.from[q + 1] = this.positions[q + 1] = this.to[q + 1] = lat;
      this.positionVersion++;
    } else {
      const p = slot * LON_LAT;
      this.to[p] = lon;
      this.to[p + 1] = lat;
      const far =
        Math.abs(lon - this.from[p]!) > SNAP_DISTANCE_DEG ||
        Math.abs(lat - this.from[p + 1]!) > SNAP_DISTANCE_DEG;
      if (snap || far) {
        this.from[p] = lon;
        this.from[p + 1] = lat;
      }
    }
    const flags = frame.flags[row]!;
    const speed = frame.speed[row]!;
    this.speed[slot] = speed;
    this.heading[slot] = frame.heading[row]!;
    this.flags[slot] = flags;
    this.updatedAt[slot] = now;
    this.seen[slot] = this.keyEpoch;
    // Indexed, not destructured: destructuring goes through the iterator protocol, which is
    // measurable at 50,000 rows per frame.
    const rgb = vehicleColor(flags, speed);
    const r = rgb[0];
    const g = rgb[1];
    const b = rgb[2];
    const c = slot * RGBA;
    const colors = this.colors;
    if (colors[c] !== r || colors[c + 1] !== g || colors[c + 2] !== b || colors[c + 3] !== OPAQUE) {
      colors[c] = r;
      colors[c + 1] = g;
      colors[c + 2] = b;
      colors[c + 3] = OPAQUE;
      this.colorVersion++;
    }
  }

  private addSlot(index: number): number {
    if (this.count === this.capacity) this.growSlots();
    if (index >= this.slotOfIndex.length) this.growIndexTable(index);
    const slot = this.count++;
    this.slotOfIndex[index] = slot;
    this.indexOfSlot[slot] = index;
    this.seen[slot] = 0;
    // Invalidate the colour so upsertRow always writes (and announces) the new slot's colour.
    this.colors[slot * RGBA + 3] = 0;
    return slot;
  }

  /** Removes a slot by moving the last live slot into it. */
  private removeSlot(slot: number): void {
    const last = this.count - 1;
    const removedIndex = this.indexOfSlot[slot]!;
    if (slot !== last) {
      const movedIndex = this.indexOfSlot[last]!;
      this.copySlot(last, slot);
      this.slotOfIndex[movedIndex] = slot;
    }
    this.slotOfIndex[removedIndex] = NO_SLOT;
    this.count = last;
    this.positionVersion++;
    this.colorVersion++;
  }

  private copySlot(src: number, dst: number): void {
    const s2 = src * LON_LAT;
    const d2 = dst * LON_LAT;
    this.positions.copyWithin(d2, s2, s2 + LON_LAT);
    this.from.copyWithin(d2, s2, s2 + LON_LAT);
    this.to.copyWithin(d2, s2, s2 + LON_LAT);
    this.colors.copyWithin(dst * RGBA, src * RGBA, src * RGBA + RGBA);
    this.speed[dst] = this.speed[src]!;
    this.heading[dst] = this.heading[src]!;
    this.flags[dst] = this.flags[src]!;
    this.updatedAt[dst] = this.updatedAt[src]!;
    this.seen[dst] = this.seen[src]!;
    this.indexOfSlot[dst] = this.indexOfSlot[src]!;
  }

  private growSlots(): void {
    const capacity = this.capacity * 2;
    const grow = <T extends Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array>(
      old: T,
      make: (length: number) => T,
      perSlot: number,
    ): T => {
      const next = make(capacity * perSlot);
      next.set(old);
      return next;
    };
    this.positions = grow(this.positions, (n) => new Float32Array(n), LON_LAT);
    this.from = grow(this.from, (n) => new Float32Array(n), LON_LAT);
    this.to = grow(this.to, (n) => new Float32Array(n), LON_LAT);
    this.colors = grow(this.colors, (n) => new Uint8Array(n), RGBA);
    this.speed = grow(this.speed, (n) => new Uint16Array(n), 1);
    this.heading = grow(this.heading, (n) => new Uint16Array(n), 1);
    this.flags = grow(this.flags, (n) => new Uint8Array(n), 1);
    this.updatedAt = grow(this.updatedAt, (n) => new Float64Array(n), 1);
    this.indexOfSlot = grow(this.indexOfSlot, (n) => new Uint32Array(n), 1);
    this.seen = grow(this.seen, (n) => new Uint32Array(n), 1);
    this.capacity = capacity;
  }

  private growIndexTable(index: number): void {
    let length = this.slotOfIndex.length;
    while (length <= index) length *= 2;
    const next = new Int32Array(Math.min(length, MAX_VEHICLE_INDEX + 1)).fill(NO_SLOT);
    next.set(this.slotOfIndex);
    this.slotOfIndex = next;
  }
}
