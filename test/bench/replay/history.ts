/**
 * Replay history for the benchmark: frames as the relay's broadcast tick builds them at a fleet
 * size — every vehicle moves once a second (1 Hz, as the seed's pipeline sends), frames every
 * 200 ms carry the fifth of the fleet that moved, a key frame every 10 s — through the recorder's
 * own encoder and compression into the store's replay tables, as one recording run.
 */
import type { Kysely } from 'kysely';
import { FrameKind, PositionFrameWriter, VehicleFlag } from '../../../shared/frames';
import { ChunkEncoder } from '../../../server/replay/chunk-codec';
import { compressChunk } from '../../../server/replay/recorder';
import { insertChunks } from '../../../server/store/frame-repository';
import type { Database } from '../../../server/store/schema';

export const FRAME_MS = 200;
export const KEY_MS = 10_000;
const FRAMES_PER_SECOND = 1000 / FRAME_MS;
const M_PER_DEG_LAT = 111_000;
const M_PER_DEG_LON = 91_000;
/** Where the synthetic vehicles start: Busan's extent. */
const WEST = 128.85;
const SOUTH = 35.02;
const SPAN_LON = 0.4;
const SPAN_LAT = 0.3;
const MAX_SPEED_KMH = 90;

export interface HistoryOptions {
  vehicles: number;
  /** First frame's time (epoch ms); frames follow every 200 ms up to `toMs`. */
  fromMs: number;
  toMs: number;
  runId: string;
  /** The car behind each vehicle index (the run's replay_vehicle table). */
  carId: (index: number) => string;
}

export interface HistoryTotals {
  chunks: number;
  /** Bytes of the live frames before packing. */
  rawBytes: number;
  encodeMs: number;
  compressMs: number;
}

export async function writeHistory(
  db: Kysely<Database>,
  options: HistoryOptions,
): Promise<HistoryTotals> {
  const { vehicles, runId } = options;
  const lon = new Float64Array(vehicles);
  const lat = new Float64Array(vehicles);
  const speed = new Float64Array(vehicles);
  const heading = new Float64Array(vehicles);
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < vehicles; i++) {
    lon[i] = WEST + random() * SPAN_LON;
    lat[i] = SOUTH + random() * SPAN_LAT;
    speed[i] = random() * 80;
    heading[i] = random() * 360;
  }
  const writer = new PositionFrameWriter(vehicles);
  const totalFrames = Math.floor((options.toMs - options.fromMs) / FRAME_MS) + 1;
  const totals: HistoryTotals = { chunks: 0, rawBytes: 0, encodeMs: 0, compressMs: 0 };
  let encoder: ChunkEncoder | null = null;
  let chunkStart = 0;
  let chunkEnd = 0;
  let chunkRaw = 0;
  const flush = async () => {
    if (!encoder) return;
    const raw = encoder.finish();
    const start = performance.now();
    const data = await compressChunk(raw);
    totals.compressMs += performance.now() - start;
    await insertChunks(
      db,
      [
        {
          runId,
          startMs: chunkStart,
          endMs: chunkEnd,
          frameCount: encoder.frames,
          vehicleCount: vehicles,
          rawBytes: chunkRaw,
          data,
        },
      ],
      totals.chunks === 0
        ? Array.from({ length: vehicles }, (_, i) => ({ runId, index: i, carId: options.carId(i) }))
        : [],
    );
    totals.chunks++;
    totals.rawBytes += chunkRaw;
  };
  for (let f = 0; f < totalFrames; f++) {
    const t = options.fromMs + f * FRAME_MS;
    const key = (f * FRAME_MS) % KEY_MS === 0;
    writer.begin(key ? FrameKind.Key : FrameKind.Delta, f + 1, t, 1);
    for (let i = 0; i < vehicles; i++) {
      const moves = i % FRAMES_PER_SECOND === f % FRAMES_PER_SECOND;
      if (moves) {
        const v = speed[i]! / 3.6;
        const r = (heading[i]! * Math.PI) / 180;
        lon[i] = lon[i]! + (v * Math.sin(r)) / M_PER_DEG_LON;
        lat[i] = lat[i]! + (v * Math.cos(r)) / M_PER_DEG_LAT;
        speed[i] = Math.max(0, Math.min(MAX_SPEED_KMH, speed[i]! + (random() - 0.5) * 6));
        if (random() < 0.05) heading[i] = (heading[i]! + (random() - 0.5) * 90 + 360) % 360;
        // Keep every vehicle inside Busan's extent over hours of driving: turn back at the edge.
        if (
          lon[i]! < WEST ||
          lon[i]! > WEST + SPAN_LON ||
          lat[i]! < SOUTH ||
          lat[i]! > SOUTH + SPAN_LAT
        )
          heading[i] = (heading[i]! + 180) % 360;
      }
      if (key || moves) {
        writer.push(
          i,
          lon[i]!,
          lat[i]!,
          speed[i]!,
          heading[i]!,
          speed[i]! > 5 ? VehicleFlag.Moving : 0,
        );
      }
    }
    const frame = writer.finish();
    if (key) {
      await flush();
      encoder = new ChunkEncoder();
      chunkStart = t;
      chunkRaw = 0;
    }
    const start = performance.now();
    encoder!.add(frame);
    totals.encodeMs += performance.now() - start;
    chunkEnd = t;
    chunkRaw += frame.byteLength;
  }
  await flush();
  return totals;
}
