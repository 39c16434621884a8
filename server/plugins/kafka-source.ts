/**
 * The Kafka source adapter: loads master data and open sessions from the store, then consumes the
 * seed topics. Stops the consumer (leaving the group cleanly) on close.
 */
import fp from 'fastify-plugin';
import { KAFKA_TOPIC_ROLES, KafkaSource } from '../ingest/kafka-source';
import { loadStoreSnapshot } from '../store/snapshot';
import { kafkaSecurityOptions } from '../transport-security';

declare module 'fastify' {
  interface FastifyInstance {
    /** Many relays: this relay's own consumer (positions, master data); null with one relay. */
    ownKafkaSource?: KafkaSource | null;
  }
}

export default fp(
  async (app) => {
    const brokers = app.config.KAFKA_BROKERS ?? [];
    const common = {
      brokers,
      fromBeginning: app.config.KAFKA_FROM_BEGINNING,
      newGroupLookbackMinutes: app.config.KAFKA_NEW_GROUP_LOOKBACK_MINUTES,
      ingest: app.ingest,
      log: app.log,
      onLag: (topic: string, partition: number, lag: number) =>
        app.metrics.consumerLag.set({ topic, partition: String(partition) }, lag),
      onStoreRetry: (topic: string) => app.metrics.ingestStoreRetries.inc({ topic }),
      security: kafkaSecurityOptions(app.config),
    };
    // One relay: one group reads everything. Many (REDIS_URL): the shared group splits the
    // topics that become records; this relay's own consumer reads positions and master data
    // in full (KAFKA_TOPIC_ROLES).
    const manyRelays = app.config.REDIS_URL !== undefined;
    const source = new KafkaSource({
      ...common,
      groupId: app.config.KAFKA_GROUP_ID,
      ...(manyRelays ? { topics: KAFKA_TOPIC_ROLES.shared } : {}),
    });
    const own = manyRelays
      ? new KafkaSource({
          ...common,
          groupId: `${app.config.KAFKA_GROUP_ID}-${app.config.INSTANCE_ID}`,
          clientId: `busan-control-room-relay-${app.config.INSTANCE_ID}`,
          topics: KAFKA_TOPIC_ROLES.perRelay,
          commitOffsets: false,
        })
      : null;
    const sources = own ? [source, own] : [source];
    app.decorate('source', {
      kind: 'kafka',
      lag: () => {
        const parts = sources.map((s) => s.lag());
        const byPartition = parts.flatMap((p) => p.byPartition);
        const known = parts.filter((p) => p.total !== null);
        return {
          total: known.length === 0 ? null : known.reduce((sum, p) => sum + (p.total ?? 0), 0),
          byPartition,
        };
      },
    });
    app.decorate('kafkaSource', source);
    app.decorate('ownKafkaSource', own);

    app.addHook('onReady', async () => {
      const now = Date.now();
      const snapshot = await loadStoreSnapshot(app.store.db, now);
      await app.ingest.ingest(snapshot, now, { store: false });
      app.log.info(
        { rows: snapshot.length },
        'master data and open sessions loaded from the store',
      );
      for (const s of sources) s.start();
    });
    app.addHook('preClose', async () => {
      await Promise.all(sources.map((s) => s.stop()));
    });
  },
  { name: 'source', dependencies: ['fleet'] },
);
