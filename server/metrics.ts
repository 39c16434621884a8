/** Prometheus metrics of one relay instance (its own registry, so tests can run several). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    ingested: new Counter({
      name: 'relay_ingest_messages_total',
      help: 'Messages ingested, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    quarantined: new Counter({
      name: 'relay_ingest_quarantined_total',
      help: 'Messages that could not be understood and were quarantined, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    frames: new Counter({
      name: 'relay_position_frames_total',
      help: 'Position frames broadcast, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    frameBytes: new Counter({
      name: 'relay_position_frame_bytes_total',
      help: 'Bytes of position frames broadcast (once per broadcast)',
      registers: [registry],
    }),
    clients: new Gauge({
      name: 'relay_socket_clients',
      help: 'Connected Socket.IO clients',
      registers: [registry],
    }),
    vehicles: new Gauge({
      name: 'relay_vehicles_live',
      help: 'Vehicles with an open session and a position',
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'relay_consumer_lag_messages',
      help: 'Kafka consumer lag, by topic and partition',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    alertChanges: new Counter({
      name: 'relay_alert_changes_total',
      help: 'Audited alert changes and unmasks, by action (alert.create, alert.merge, alert.ack, …)',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
    storeWriteSeconds: new Gauge({
      name: 'relay_store_last_write_seconds',
      help: 'Duration of the last batch write to the store',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
