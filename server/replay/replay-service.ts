/**
 * Answers "where was every vehicle at moment t" (GET /api/fleet/at): the chunk holding t — from
 * this relay's memory for the newest seconds it recorded itself, else one read of the store —
 * folded up to t into one key frame in the live format, with the recording run's vehicle indexes
 * mapped to this relay's (indexes are per relay run; the client's vehicle table is this relay's).
 */
import type { PositionFrame } from '../../shared/frames';
import { formatKstIso } from '../../shared/time';
import { decodeChunk } from './chunk-codec';
import { fleetAt, packFrame } from './compose';
import type { StoredChunk } from '../store/frame-repository';

/**
 * Frames follow each other at most a heartbeat (2 s) apart; a moment further than this past a
 * chunk's last frame lies in a gap (the recorder was not recording), not in the chunk.
 */
export const MAX_FRAME_GAP_MS = 3_000;
/** A request may name a moment this far ahead of the relay's clock (clock skew), not more. */
export const FUTURE_TOLERANCE_MS = 1_000;
/** Decoded chunks kept: a playing client asks for the same chunk many times in a row. */
const DECODED_CACHE_SIZE = 4;
/** Run vehicle tables kept (the current run and an earlier one or two). */
const RUN_CACHE_SIZE = 3;

export type FleetAtResult =
  | { ok: true; frame: Uint8Array; asOfMs: number; count: number }
  | {
      ok: false;
      status: 400 | 404 | 410;
      code: 'bad_request' | 'not_recorded' | 'beyond_retention';
      message: string;
    };

export interface ReplaySources {
  retentionMs: number;
  /** This relay's recording run (its indexes need no mapping). */
  runId: string;
  /** Frames of the chunk covering `atMs` still in this relay's memory, or null. */
  memoryFramesAt(atMs: number): PositionFrame[] | null;
  findChunkAt(atMs: number): Promise<StoredChunk | null>;
  decompress(data: Uint8Array): Promise<Uint8Array>;
  runVehicles(runId: string): Promise<Map<number, string>>;
  /** This relay's index for a car (registering the car if it is new to this relay). */
  indexOfCar(carId: string): number | undefined;
  tableVersion(): number;
}

export class ReplayService {
  private readonly decoded = new Map<number, PositionFrame[]>();
  private readonly runs = new Map<string, Map<number, string>>();

  constructor(private readonly sources: ReplaySources) {}

  async frameAt(atMs: number, nowMs: number): Promise<FleetAtResult> {
    const kst = formatKstIso;
    if (atMs > nowMs + FUTURE_TOLERANCE_MS) {
      return {
        ok: false,
        status: 400,
        code: 'bad_request',
        message: `t ${kst(atMs)} is in the future`,
      };
    }
    const oldestKept = nowMs - this.sources.retentionMs;
    if (atMs < oldestKept) {
      return {
        ok: false,
        status: 410,
        code: 'beyond_retention',
        message: `t ${kst(atMs)} is older than the replay retention (frames kept since ${kst(oldestKept)})`,
      };
    }
    let frames = this.sources.memoryFramesAt(atMs);
    let runId = this.sources.runId;
    if (frames === null) {
      const chunk = await this.sources.findChunkAt(atMs);
      if (chunk === null) {
        return {
          ok: false,
          status: 404,
          code: 'not_recorded',
          message: `no frames recorded at or before ${kst(atMs)}`,
        };
      }
      if (atMs > chunk.endMs + MAX_FRAME_GAP_MS) {
        return {
          ok: false,
          status: 404,
          code: 'not_recorded',
          message: `no frames recorded at ${kst(atMs)}: the recording before it ends at ${kst(chunk.endMs)} (newest seconds are stored every ten seconds)`,
        };
      }
      frames = await this.decodedChunk(chunk);
      runId = chunk.runId;
    }
    const folded = fleetAt(frames, atMs);
    if (folded === null) {
      return {
        ok: false,
        status: 404,
        code: 'not_recorded',
        message: `no key frame at or before ${kst(atMs)}`,
      };
    }
    let frame = folded.frame;
    if (runId !== this.sources.runId) frame = await this.mapIndexes(frame, runId);
    return {
      ok: true,
      frame: packFrame(frame, { tableVersion: this.sources.tableVersion() }),
      asOfMs: folded.asOfMs,
      count: frame.count,
    };
  }

  private async decodedChunk(chunk: StoredChunk): Promise<PositionFrame[]> {
    const cached = this.decoded.get(chunk.id);
    if (cached) {
      // Most recently used last.
      this.decoded.delete(chunk.id);
      this.decoded.set(chunk.id, cached);
      return cached;
    }
    const frames = decodeChunk(await this.sources.decompress(chunk.data));
    this.decoded.set(chunk.id, frames);
    if (this.decoded.size > DECODED_CACHE_SIZE)
      this.decoded.delete(this.decoded.keys().next().value!);
    return frames;
  }

  /** Another run's indexes as this relay's; vehicles whose car is unknown are left out. */
  private async mapIndexes(frame: PositionFrame, runId: string): Promise<PositionFrame> {
    let cars = this.runs.get(runId);
    const needsReload = (map: Map<number, string>) => {
      for (let i = 0; i < frame.count; i++) if (!map.has(frame.index[i]!)) return true;
      return false;
    };
    if (!cars || needsReload(cars)) {
      cars = await this.sources.runVehicles(runId);
      this.runs.set(runId, cars);
      if (this.runs.size > RUN_CACHE_SIZE) this.runs.delete(this.runs.keys().next().value!);
    }
    const keep: number[] = [];
    const local: number[] = [];
    for (let i = 0; i < frame.count; i++) {
      const car = cars.get(frame.index[i]!);
      const index = car === undefined ? undefined : this.sources.indexOfCar(car);
      if (index === undefined) continue;
      keep.push(i);
      local.push(index);
    }
    const n = keep.length;
    const out: PositionFrame = {
      ...frame,
      count: n,
      index: Uint32Array.from(local),
      lon: new Float32Array(n),
      lat: new Float32Array(n),
      speed: new Uint16Array(n),
      heading: new Uint16Array(n),
      flags: new Uint8Array(n),
    };
    keep.forEach((row, i) => {
      out.lon[i] = frame.lon[row]!;
      out.lat[i] = frame.lat[row]!;
      out.speed[i] = frame.speed[row]!;
      out.heading[i] = frame.heading[row]!;
      out.flags[i] = frame.flags[row]!;
    });
    return out;
  }
}
