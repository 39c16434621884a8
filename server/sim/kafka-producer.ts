/**
 * Produces the simulator's rows into a real Kafka cluster, the way the upstream Flink jobs do:
 * plain JSON values on the seed topics, keyed so one vehicle's rows stay in one partition.
 */
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { TOPICS, TOPIC_NAMES, type TopicName } from '../../shared/topics';
import type { SimBatch } from './simulator';

export async function ensureTopics(
  brokers: string[],
  clientId = 'busan-sim-admin',
): Promise<string[]> {
  const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = TOPIC_NAMES.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: TOPICS[topic].partitions,
          replicationFactor: 1,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/** The partitioning key of a row: per vehicle/session where the row has one. */
function keyOf(topic: TopicName, row: Record<string, unknown>): string | null {
  const key =
    row.session_id ?? row.car_id ?? row.car_plate_number ?? row.device_id ?? row.missing_id ?? null;
  return key === null ? null : `${key}`;
}

export class SimKafkaProducer {
  private readonly producer: Producer;

  constructor(brokers: string[], clientId = 'busan-sim') {
    const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN });
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends one tick's rows; resolves when the broker acknowledged them. Returns the row count. */
  async send(batch: SimBatch): Promise<number> {
    const topicMessages = [];
    let count = 0;
    for (const topic of TOPIC_NAMES) {
      const rows = batch[topic];
      if (!rows || rows.length === 0) continue;
      count += rows.length;
      topicMessages.push({
        topic,
        messages: rows.map((row) => ({
          key: keyOf(topic, row as Record<string, unknown>),
          value: JSON.stringify(row),
        })),
      });
    }
    if (topicMessages.length > 0) {
      await this.producer.sendBatch({ topicMessages, acks: 1, compression: CompressionTypes.None });
    }
    return count;
  }
}
