/**
 * Replay budgets (issue 18, DESIGN §13): storage per hour and per day at N vehicles, and the
 * relay's side of a seek (one chunk read + decompress + fold + pack) to moments spread over the
 * recorded minutes. The frames are what the relay's broadcast tick builds at that fleet size
 * (history.ts), through the recorder's own encoder and compression into a real, migrated SQLite
 * store, sought through ReplayService. The on-screen figures are replay-screen-bench.ts.
 *
 *   node --import tsx test/bench/replay/replay-bench.ts [vehicles=50000] [minutes=5] [seeks=40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../server/store/database';
import { chunkTotals, findChunkAt } from '../../../server/store/frame-repository';
import { decompressChunk } from '../../../server/replay/recorder';
import { ReplayService } from '../../../server/replay/replay-service';
import { percentile } from '../stats';
import { KEY_MS, writeHistory } from './history';

const HOUR_MS = 3_600_000;
const MS_PER_MINUTE = 60_000;

export interface ReplayStorageResult {
  vehicles: number;
  minutes: number;
  chunks: number;
  storedBytesPerHour: number;
  rawBytesPerHour: number;
  encodeMsPerChunk: number;
  compressMsPerChunk: number;
  /** The relay's side of a seek: chunk read, decompress, decode, fold, pack. */
  seekMs: { p50: number; p95: number; max: number; n: number };
  frameBytes: number;
}

export async function runReplayStorageBench(
  vehicles: number,
  minutes: number,
  seeks: number,
): Promise<ReplayStorageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'replay-bench-'));
  const store = await openStore({ sqlitePath: join(dir, 'bench.sqlite') });
  try {
    const t0 = Date.now() - minutes * MS_PER_MINUTE;
    const spanMs = minutes * MS_PER_MINUTE;
    const totals = await writeHistory(store.db, {
      vehicles,
      fromMs: t0,
      toMs: t0 + spanMs - 1,
      runId: 'bench',
      carId: (i) => `CAR-${i}`,
    });
    const stored = await chunkTotals(store.db);

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
      // Spread over the minutes, every seek in another chunk than the last few: the decoded-chunk
      // cache does not help.
      const at = t0 + Math.floor((((s * 7) % seeks) + 0.5) * ((spanMs - KEY_MS) / seeks));
      const start = performance.now();
      const result = await service.frameAt(at, Date.now());
      times.push(performance.now() - start);
      if (!result.ok) throw new Error(`seek to ${at} failed: ${result.message}`);
      frameBytes = result.frame.byteLength;
    }
    return {
      vehicles,
      minutes,
      chunks: totals.chunks,
      storedBytesPerHour: (stored.storedBytes * HOUR_MS) / spanMs,
      rawBytesPerHour: (stored.rawBytes * HOUR_MS) / spanMs,
      encodeMsPerChunk: totals.encodeMs / totals.chunks,
      compressMsPerChunk: totals.compressMs / totals.chunks,
      seekMs: {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        max: percentile(times, 100),
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
  runReplayStorageBench(vehicles, minutes, seeks).then(
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
