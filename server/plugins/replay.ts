/**
 * Rewinding the city (DESIGN §13): records the live frames (replay/recorder.ts) while this relay
 * holds the `replay-frames` lease, prunes them past REPLAY_RETENTION_HOURS under the same lease,
 * and decorates `replay` for GET /api/fleet/at (routes/fleet-at.ts). The broadcast tick hands
 * each frame it builds to `replay.recorder.record` (plugins/realtime.ts).
 */
import fp from 'fastify-plugin';
import {
  chunkRange,
  findChunkAt,
  insertChunks,
  pruneChunks,
  readRunVehicles,
} from '../store/frame-repository';
import { FrameRecorder, decompressChunk } from '../replay/recorder';
import { ReplayService } from '../replay/replay-service';

const MS_PER_HOUR = 3_600_000;
/** How often the lease holder deletes chunks past retention. */
export const REPLAY_PRUNE_INTERVAL_MS = 60_000;
const LEASE = 'replay-frames';

declare module 'fastify' {
  interface FastifyInstance {
    replay: {
      recorder: FrameRecorder;
      service: ReplayService;
      retentionMs: number;
      /** Oldest and newest moment a frame can be had for. */
      range(): Promise<{ oldestMs: number | null; newestMs: number | null }>;
    };
  }
}

export default fp(
  async (app) => {
    const { db } = app.store;
    const retentionMs = app.config.REPLAY_RETENTION_HOURS * MS_PER_HOUR;
    const recorder = new FrameRecorder({
      store: { insert: (chunks, vehicles) => insertChunks(db, chunks, vehicles) },
      carOf: (index) => app.fleet.entry(index)?.carId,
      knownVehicles: () => app.fleet.knownVehicles,
      log: app.log,
    });
    const service = new ReplayService({
      retentionMs,
      runId: recorder.runId,
      memoryFramesAt: (atMs) => recorder.framesAt(atMs),
      findChunkAt: (atMs) => findChunkAt(db, atMs),
      decompress: decompressChunk,
      runVehicles: (runId) => readRunVehicles(db, runId),
      indexOfCar: (carId) => app.fleet.indexOf(carId),
      tableVersion: () => app.fleet.tableVersion,
    });

    let pruneTimer: NodeJS.Timeout | undefined;
    let pruning = false;
    const prune = async () => {
      if (pruning || !app.leases.holds(LEASE)) return;
      pruning = true;
      try {
        const deleted = await pruneChunks(db, Date.now() - retentionMs);
        if (deleted > 0) app.log.debug({ deleted }, 'replay chunks past retention deleted');
      } catch (error) {
        app.log.error({ err: error }, 'replay prune failed');
      } finally {
        pruning = false;
      }
    };
    app.addHook('onReady', async () => {
      recorder.setActive(app.leases.holds(LEASE));
      app.leases.onChange((name, held) => {
        if (name === LEASE) recorder.setActive(held);
      });
      pruneTimer = setInterval(() => void prune(), REPLAY_PRUNE_INTERVAL_MS);
      pruneTimer.unref();
      void prune();
    });
    // After the tick stopped (realtime's preClose): what is closed is stored, the open chunk not.
    app.addHook('onClose', async () => {
      clearInterval(pruneTimer);
      await recorder.close();
    });

    app.decorate('replay', {
      recorder,
      service,
      retentionMs,
      range: async () => {
        const stored = await chunkRange(db);
        const both = (
          a: number | null,
          b: number | null,
          pick: (x: number, y: number) => number,
        ) => (a === null ? b : b === null ? a : pick(a, b));
        const oldestMs = both(stored.oldestMs, recorder.oldestMs, Math.min);
        return {
          oldestMs: oldestMs === null ? null : Math.max(oldestMs, Date.now() - retentionMs),
          newestMs: both(stored.newestMs, recorder.newestMs, Math.max),
        };
      },
    });
  },
  { name: 'replay', dependencies: ['database', 'fleet', 'leases'] },
);
