/**
 * The Kafka source adapter: loads master data and open sessions from the store, then consumes the
 * seed topics. Stops the consumer (leaving the group cleanly) on close.
 */
import fp from 'fastify-plugin';
import { KafkaSource } from '../ingest/kafka-source';
import { loadStoreSnapshot } from '../store/snapshot';

export default fp(
  async (app) => {
    const brokers = app.config.KAFKA_BROKERS ?? [];
    const source = new KafkaSource({
      brokers,
      groupId: app.config.KAFKA_GROUP_ID,
      fromBeginning: app.config.KAFKA_FROM_BEGINNING,
      newGroupLookbackMinutes: app.config.KAFKA_NEW_GROUP_LOOKBACK_MINUTES,
      ingest: app.ingest,
      log: app.log,
      onLag: (topic, partition, lag) =>
        app.metrics.consumerLag.set({ topic, partition: String(partition) }, lag),
      onStoreRetry: (topic) => app.metrics.ingestStoreRetries.inc({ topic }),
    });
    app.decorate('source', { kind: 'kafka', lag: () => source.lag() });
    app.decorate('kafkaSource', source);

    app.addHook('onReady', async () => {
      const now = Date.now();
      const snapshot = await loadStoreSnapshot(app.store.db, now);
      await app.ingest.ingest(snapshot, now, { store: false });
      app.log.info(
        { rows: snapshot.length },
        'master data and open sessions loaded from the store',
      );
      source.start();
    });
    app.addHook('preClose', async () => {
      await source.stop();
    });
  },
  { name: 'source', dependencies: ['fleet'] },
);
