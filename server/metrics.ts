/** Prometheus metrics of one relay instance (its own registry, so tests can run several). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * A gauge that reads a source (the database) while collecting waits at most this long: a scrape
 * must answer even when the source hangs (a pool waiting for connections that never come).
 */
export const METRIC_SOURCE_TIMEOUT_MS = 1_000;

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
    metricSourceUp: new Gauge({
      name: 'relay_metric_source_up',
      help: '1 when the last read of a metric source (e.g. the store for TCS gauges) worked, 0 when it failed and its gauges show the last value read',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    storeUp: new Gauge({
      name: 'relay_store_up',
      help: '1 while the store (database) answers, 0 during an outage',
      registers: [registry],
    }),
    ingestStoreRetries: new Counter({
      name: 'relay_ingest_store_retries_total',
      help: 'Kafka batches held back and retried because the store could not take them, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    framesDropped: new Counter({
      name: 'relay_position_frames_dropped_total',
      help: 'Position frames not sent to a socket whose client was behind (over its frame budget); it gets a fresh snapshot once drained',
      registers: [registry],
    }),
    socketsBehind: new Gauge({
      name: 'relay_socket_clients_behind',
      help: 'Sockets over their frame budget, waiting to drain before a fresh snapshot',
      registers: [registry],
    }),
    socketsRefused: new Counter({
      name: 'relay_socket_refused_total',
      help: 'Socket connections refused for load, by reason (handshakes: too many at once; clients: MAX_CLIENTS reached; engine: raw connection ceiling)',
      labelNames: ['reason'] as const,
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

/**
 * Reads a metric source for a gauge's collect(): resolves with the value, or with undefined when
 * the source fails or does not answer in time, so the gauge keeps its last value and the scrape
 * still answers. `relay_metric_source_up{source}` says which one it is.
 */
export async function readMetricSource<T>(
  metrics: Metrics,
  source: string,
  read: () => Promise<T>,
  timeoutMs = METRIC_SOURCE_TIMEOUT_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${source}: no answer in time`)), timeoutMs);
      }),
    ]);
    metrics.metricSourceUp.set({ source }, 1);
    return value;
  } catch {
    metrics.metricSourceUp.set({ source }, 0);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
