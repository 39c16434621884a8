/** The live fleet state and the ingest path that feeds it (shared by every source). */
import fp from 'fastify-plugin';
import { formatKstSql } from '../../shared/time';
import { FleetState } from '../fleet/fleet-state';
import { IngestFanOut } from '../ingest/fan-out';
import { IngestPipeline } from '../ingest/pipeline';
import { plateHitMetrics } from '../ingest/plate-hit-metrics';
import { PlateHitService, type PlateDelisting } from '../ingest/plate-hits';
import {
  deleteDelistedRows,
  findArrearsByPlate,
  findMissingPerson,
} from '../store/master-list-repository';
import { writesSeedTables } from '../config';
import { createSeedWriter } from '../store/seed-writer';
import { withSimulatedPhotos } from '../plate-image/simulated-photos';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
/** How often quiet daily snapshots are settled and held plate reads expire. */
const PLATE_LIST_CHECK_MS = 2_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** The master lists and the one plate-hit rule at ingest. */
    plateHits: PlateHitService;
  }
}

export default fp(
  async (app) => {
    const fleet = new FleetState();
    const { db } = app.store;
    // In a connected deployment the upstream pipeline fills the seed tables; with the embedded
    // simulator the relay plays that part, so the history and track queries have data.
    const writeSeed = writesSeedTables(app.config);
    // Off the serving thread for embedded SQLite (store/seed-write-worker.ts). A Kafka source
    // commits offsets after the write, so it waits for the rows to be stored; the simulator only
    // for its turn in a short queue.
    const seedWriter = writeSeed
      ? createSeedWriter(app.store, {
          acknowledge: app.config.KAFKA_BROKERS ? 'stored' : 'queued',
          onWritten: (seconds) => app.metrics.storeWriteSeconds.set(seconds),
          log: app.log,
        })
      : null;
    if (seedWriter) app.addHook('onClose', async () => seedWriter.close());
    const fanOut = new IngestFanOut();
    const plateHits = new PlateHitService(
      {
        settleMs: app.config.MASTER_SNAPSHOT_SETTLE_SECONDS * MS_PER_SECOND,
        holdMs: app.config.UNMATCHED_READ_HOLD_MINUTES * MS_PER_MINUTE,
      },
      {
        lookupArrears: (plate) => findArrearsByPlate(db, plate),
        lookupMissing: (plate, missingId) => findMissingPerson(db, plate, missingId),
        onHits: async (hits, nowMs) => {
          // The map flag and the alert come from the same hit.
          for (const hit of hits) {
            if (hit.list === 'arrears') fleet.applyArrearsHit(hit.plate, hit.read.detected_time);
            else fleet.applyMissingHit(hit.plate, hit.read.detected_time);
          }
          await fanOut.emitHits(hits, nowMs);
        },
        onDelisted: async (delistings: PlateDelisting[], nowMs) => {
          for (const d of delistings) {
            if (d.plateText !== null) fleet.clearPlateHit(d.plateText, d.list);
            app.log.info({ delisting: d }, 'plate left its list with the newest daily snapshot');
          }
          // Where the relay keeps the seed tables itself, a restart must not bring them back.
          if (writeSeed) await deleteDelistedRows(db, delistings);
          await fanOut.emitDelisted(delistings, nowMs);
        },
      },
      plateHitMetrics(app.metrics.registry),
    );
    let snapshotTimer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      snapshotTimer = setInterval(() => {
        plateHits
          .tick(Date.now())
          .catch((error: unknown) => app.log.error({ err: error }, 'plate list check failed'));
      }, PLATE_LIST_CHECK_MS);
      snapshotTimer.unref();
    });
    app.addHook('onClose', async () => clearInterval(snapshotTimer));
    const ingest = new IngestPipeline(
      fleet,
      {
        // With the simulator the relay plays the camera side too: a photo with each plate read.
        writeRows: seedWriter
          ? (rows, nowMs) =>
              seedWriter.write(app.config.KAFKA_BROKERS ? rows : withSimulatedPhotos(rows), nowMs)
          : null,
        quarantine: async (records) => {
          await db
            .insertInto('quarantined_message')
            .orIgnore()
            .values(
              records.map((r) => ({
                topic: r.topic.slice(0, 255),
                partition_no: r.partition,
                offset_no: r.offset,
                reason: r.reason,
                payload: r.payload,
                received_at: formatKstSql(r.receivedMs),
              })),
            )
            .execute();
        },
        log: app.log,
      },
      app.metrics,
      plateHits,
      fanOut,
    );
    app.decorate('seedWriter', seedWriter);
    app.decorate('fleet', fleet);
    app.decorate('ingest', ingest);
    app.decorate('plateHits', plateHits);
  },
  { name: 'fleet', dependencies: ['database'] },
);
