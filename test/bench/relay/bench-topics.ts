/**
 * Fresh seed topics for every phase of the relay benchmark, so each relay or counting consumer
 * starts on an empty log and nothing left over from an earlier phase is read.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { TOPICS, TOPIC_NAMES } from '../../../shared/topics';
import { sleep } from '../stats';
import { sessionValue, sessionIdOf } from './bench-rows';

export const POSITION_TOPIC = 'driving_session_info';
export const POSITION_PARTITIONS = TOPICS.driving_session_info.partitions;
const DELETE_SETTLE_TIMEOUT_MS = 60_000;
const RETRY_MS = 500;
const SESSION_BATCH = 5_000;

export function benchKafka(brokers: string): Kafka {
  return new Kafka({ clientId: 'bench-admin', brokers: [brokers], logLevel: logLevel.NOTHING });
}

/**
 * Deletes and creates every seed topic (the relay subscribes to all of them). The position topic
 * stamps records with the broker's LogAppendTime: that is the "Kafka append" the latency is
 * measured from.
 */
export async function recreateTopics(admin: Admin): Promise<void> {
  const existing = (await admin.listTopics()).filter((t) => (TOPIC_NAMES as string[]).includes(t));
  if (existing.length > 0) await admin.deleteTopics({ topics: existing });
  const deadline = Date.now() + DELETE_SETTLE_TIMEOUT_MS;
  for (;;) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: TOPIC_NAMES.map((topic) => ({
          topic,
          numPartitions: TOPICS[topic].partitions,
          replicationFactor: 1,
          configEntries:
            topic === POSITION_TOPIC
              ? [{ name: 'message.timestamp.type', value: 'LogAppendTime' }]
              : [],
        })),
      });
      return;
    } catch (error) {
      // A deleted topic lingers briefly in KRaft; creating it again fails until it is gone.
      if (Date.now() > deadline) throw error;
      await sleep(RETRY_MS);
    }
  }
}

/** One open driving session per bench vehicle, so the relay knows whose positions arrive. */
export async function produceSessions(kafka: Kafka, vehicles: number): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const startMs = Date.now() - 60_000;
    for (let first = 0; first < vehicles; first += SESSION_BATCH) {
      const messages = [];
      for (let v = first; v < Math.min(vehicles, first + SESSION_BATCH); v++) {
        messages.push({ key: sessionIdOf(v), value: sessionValue(v, startMs) });
      }
      await producer.send({
        topic: 'driving_session',
        messages,
        acks: 1,
        compression: CompressionTypes.None,
      });
    }
  } finally {
    await producer.disconnect();
  }
}
