/** What the plugins decorate the Fastify instance with. */
import type { Config } from './config';
import type { FleetState } from './fleet/fleet-state';
import type { IngestPipeline } from './ingest/pipeline';
import type { KafkaSource } from './ingest/kafka-source';
import type { Metrics } from './metrics';
import type { Store } from './store/database';
import type { HealthSnapshot, SourceKind } from '../shared/events';

export interface SourceStatus {
  kind: SourceKind;
  /** Total consumer lag, null when unknown. */
  lag(): { total: number | null; byPartition: { topic: string; partition: number; lag: number }[] };
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    metrics: Metrics;
    store: Store;
    fleet: FleetState;
    ingest: IngestPipeline;
    source: SourceStatus;
    /** Present when the source is Kafka. */
    kafkaSource?: KafkaSource;
    health(): HealthSnapshot;
    clientCount(): number;
  }
}
