/**
 * Replay budgets (issue 18, DESIGN §8): storage per hour and per day at 50,000 vehicles, and the
 * relay's side of a seek (one chunk read + decompress + fold + pack) to random moments.
 *
 * The frames are what the relay's broadcast tick builds at that fleet size: every vehicle moves
 * once a second (1 Hz, as the seed's pipeline sends), frames every 200 ms carry the fifth of the
 * fleet that moved, a key frame every 10 s. They go through the recorder's own encoder and
 * compression into a real SQLite store (migrated), and are sought through ReplayService.
 *
 *   node --import tsx test/bench/replay/replay-bench.ts [vehicles=50000] [minutes=5] [seeks=40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameKind, PositionFrameWriter, VehicleFlag } from '../../../shared/frames';
import { openStore } from '../../../server/store/database';
import { chunkTotals, findChunkAt, insertChunks } from '../../../server/store/frame-repository';
import { ChunkEncoder } from '../../../server/replay/chunk-codec';
import { compressChunk, decompressChunk } from '../../../server/replay/recorder';
import { ReplayService } from '../../../server/replay/replay-service';

const FRAME_MS = 200;
const KEY_MS = 10_000;
const FRAMES_PER_SECOND = 1000 / FRAME_MS;
const HOUR_MS = 3_600_000;
const M_PER_DEG_LAT = 111_000;
const M_PER_DEG_LON = 91_000;

export interface ReplayBenchResult {
  vehicles: number;
  minutes: number;
  chunks: number;
  storedBytesPerHour: number;
  rawBytesPerHour: number;
  encodeMsPerChunk: number;
  compressMsPerChunk: number;
  seekMs: { p50: number; p95: number; max: number; n: number };
  frameBytes: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function runReplayBench(
  vehicles: number,
  minutes: number,
  seeks: number,
): Promise<ReplayBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'replay-bench-'));
  const store = await openStore({ sqlitePath: join(dir, 'bench.sqlite') });
  try {
    const lon = new Float64Array(vehicles);
    const lat = new Float64Array(vehicles);
    const speed = new Float64Array(vehicles);
    const heading = new Float64Array(vehicles);
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < vehicles; i++) {
      lon[i] = 128.85 + random() * 0.4;
      lat[i] = 35.02 + random() * 0.3;
      speed[i] = random() * 80;
      heading[i] = random() * 360;
    }
    const writer = new PositionFrameWriter(vehicles);
    const t0 = Date.now() - minutes * 60_000;
    const totalFrames = (minutes * 60_000) / FRAME_MS;
    let encoder: ChunkEncoder | null = null;
    let chunkStart = 0;
    let chunkEnd = 0;
    let chunkRaw = 0;
    let encodeMs = 0;
    let compressMs = 0;
    let chunks = 0;
    const flush = async () => {
      if (!encoder) return;
      const raw = encoder.finish();
      const start = performance.now();
      const data = await compressChunk(raw);
      compressMs += performance.now() - start;
      await insertChunks(
        store.db,
        [
          {
            runId: 'bench',
            startMs: chunkStart,
            endMs: chunkEnd,
            frameCount: encoder.frames,
            vehicleCount: vehicles,
            rawBytes: chunkRaw,
            data,
          },
        ],
        chunks === 0
          ? Array.from({ length: vehicles }, (_, i) => ({
              runId: 'bench',
              index: i,
              carId: `CAR-${i}`,
            }))
          : [],
      );
      chunks++;
    };
    for (let f = 0; f < totalFrames; f++) {
      const t = t0 + f * FRAME_MS;
      const key = (f * FRAME_MS) % KEY_MS === 0;
      writer.begin(key ? FrameKind.Key : FrameKind.Delta, f + 1, t, 1);
      for (let i = 0; i < vehicles; i++) {
        const moves = i % FRAMES_PER_SECOND === f % FRAMES_PER_SECOND;
        if (moves) {
          const v = speed[i]! / 3.6;
          const r = (heading[i]! * Math.PI) / 180;
          lon[i] = lon[i]! + (v * Math.sin(r)) / M_PER_DEG_LON;
          lat[i] = lat[i]! + (v * Math.cos(r)) / M_PER_DEG_LAT;
          speed[i] = Math.max(0, Math.min(90, speed[i]! + (random() - 0.5) * 6));
          if (random() < 0.05) heading[i] = (heading[i]! + (random() - 0.5) * 90 + 360) % 360;
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
      encodeMs += performance.now() - start;
      chunkEnd = t;
      chunkRaw += frame.byteLength;
    }
    await flush();
    const totals = await chunkTotals(store.db);
    const spanMs = minutes * 60_000;

    const service = new ReplayService({
      retentionMs: 24 * HOUR_MS,
      runId: 'bench',
      memoryFramesAt: () => null,
      findChunkAt: (atMs) => findChunkAt(store.db, atMs),
      decompress: decompressChunk,
      runVehicles: async () => new Map(),
      indexOfCar: () => undefined,
      tableVersion: () => 1,
    });
    const times: number[] = [];
    let frameBytes = 0;
    for (let s = 0; s < seeks; s++) {
      // Each seek to a different chunk than the last: the decoded-chunk cache does not help.
      const at = t0 + Math.floor(random() * (spanMs - KEY_MS));
      const start = performance.now();
      const result = await service.frameAt(at, Date.now());
      times.push(performance.now() - start);
      if (!result.ok) throw new Error(`seek to ${at} failed: ${result.message}`);
      frameBytes = result.frame.byteLength;
    }
    times.sort((a, b) => a - b);
    return {
      vehicles,
      minutes,
      chunks,
      storedBytesPerHour: (totals.storedBytes * HOUR_MS) / spanMs,
      rawBytesPerHour: (totals.rawBytes * HOUR_MS) / spanMs,
      encodeMsPerChunk: encodeMs / chunks,
      compressMsPerChunk: compressMs / chunks,
      seekMs: {
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        max: times.at(-1)!,
        n: times.length,
      },
      frameBytes,
    };
  } finally {
    await store.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('replay-bench.ts')) {
  const [vehicles = 50_000, minutes = 5, seeks = 40] = process.argv.slice(2).map(Number);
  runReplayBench(vehicles, minutes, seeks).then(
    (r) => {
      const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
      console.log(JSON.stringify(r, null, 2));
      console.log(
        `${r.vehicles} vehicles: ${mb(r.storedBytesPerHour)}/hour, ${((r.storedBytesPerHour * 24) / 1e9).toFixed(1)} GB/day stored ` +
          `(raw frames ${mb(r.rawBytesPerHour)}/hour); seek p50 ${r.seekMs.p50.toFixed(0)} ms, p95 ${r.seekMs.p95.toFixed(0)} ms`,
      );
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
