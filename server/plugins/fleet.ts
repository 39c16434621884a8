/** The live fleet state and the ingest path that feeds it (shared by every source). */
import fp from 'fastify-plugin';
import { formatKstSql } from '../../shared/time';
import { FleetState } from '../fleet/fleet-state';
import { IngestPipeline } from '../ingest/pipeline';
import { writesSeedTables } from '../config';
import { createSeedWriter } from '../store/seed-writer';

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
    const ingest = new IngestPipeline(
      fleet,
      {
        writeRows: seedWriter ? (rows, nowMs) => seedWriter.write(rows, nowMs) : null,
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
    app.decorate('seedWriter', seedWriter);
    app.decorate('fleet', fleet);
    app.decorate('ingest', ingest);
  },
  { name: 'fleet', dependencies: ['database'] },
);
