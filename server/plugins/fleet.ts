/** The live fleet state and the ingest path that feeds it (shared by every source). */
import fp from 'fastify-plugin';
import { formatKstSql } from '../../shared/time';
import { FleetState } from '../fleet/fleet-state';
import { IngestPipeline } from '../ingest/pipeline';
import { writesSeedTables } from '../config';
import { writeSeedRows } from '../store/seed-writer';

export default fp(
  async (app) => {
    const fleet = new FleetState();
    const { db, kind } = app.store;
    // In a connected deployment the upstream pipeline fills the seed tables; with the embedded
    // simulator the relay plays that part, so the history and track queries have data.
    const writeSeed = writesSeedTables(app.config);
    const ingest = new IngestPipeline(
      fleet,
      {
        writeRows: writeSeed
          ? async (rows, nowMs) => {
              const started = performance.now();
              await writeSeedRows(db, kind, rows, nowMs);
              app.metrics.storeWriteSeconds.set((performance.now() - started) / 1000);
            }
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
    );
    app.decorate('fleet', fleet);
    app.decorate('ingest', ingest);
  },
  { name: 'fleet', dependencies: ['database'] },
);
