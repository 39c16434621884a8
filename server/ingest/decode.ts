/**
 * Decoding a batch of raw messages (Kafka or simulator) into typed rows per topic, and the
 * quarantine records of what cannot be understood. Pure. Master-list rows keep their message time:
 * the KST day it falls on is their daily snapshot (server/domain/master-list.ts).
 */
import {
  decodeTopicMessage,
  TOPIC_NAMES,
  type TopicName,
  type TopicRow,
} from '../../shared/topics';

export interface RawMessage {
  topic: string;
  partition: number | null;
  offset: string | null;
  /** JSON bytes/text from Kafka, or an already-parsed row object from the simulator. */
  value: Uint8Array | string | object | null;
  /** When the upstream appended it (Kafka message timestamp); absent: when it was received. */
  timestampMs?: number | null;
}

export interface QuarantineRecord {
  topic: string;
  partition: number | null;
  offset: string | null;
  reason: string;
  payload: string | null;
  receivedMs: number;
}

export type DecodedRows = { [T in TopicName]: TopicRow<T>[] };

export interface ListRow<Row> {
  row: Row;
  /** The message's append time (or receive time); its KST day is the row's snapshot. */
  messageMs: number;
}

export interface DecodedBatch {
  rows: DecodedRows;
  /** The master-list rows again, with their message times. */
  lists: {
    arrears_info: ListRow<TopicRow<'arrears_info'>>[];
    missing_person_info: ListRow<TopicRow<'missing_person_info'>>[];
  };
  /** The messages that decoded (counted once they are stored). */
  good: RawMessage[];
  bad: QuarantineRecord[];
}

/** Longest payload kept in quarantine; bigger ones are cut (their size is in the reason). */
export const MAX_QUARANTINE_PAYLOAD = 64 * 1024;
/** Longest reason kept (the column). */
const MAX_REASON_LENGTH = 1000;
const KNOWN_TOPICS = new Set<string>(TOPIC_NAMES);

export function emptyDecodedRows(): DecodedRows {
  return Object.fromEntries(TOPIC_NAMES.map((t) => [t, []])) as unknown as DecodedRows;
}

export function decodeBatch(messages: RawMessage[], nowMs: number): DecodedBatch {
  const rows = emptyDecodedRows();
  const lists: DecodedBatch['lists'] = { arrears_info: [], missing_person_info: [] };
  const good: RawMessage[] = [];
  const bad: QuarantineRecord[] = [];
  for (const message of messages) {
    const result = decodeRaw(message);
    if (!result.ok) {
      bad.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        reason: result.reason.slice(0, MAX_REASON_LENGTH),
        payload: payloadText(message.value),
        receivedMs: nowMs,
      });
      continue;
    }
    const topic = message.topic as TopicName;
    (rows[topic] as unknown[]).push(result.row);
    good.push(message);
    if (topic === 'arrears_info' || topic === 'missing_person_info') {
      (lists[topic] as ListRow<unknown>[]).push({
        row: result.row,
        messageMs: message.timestampMs ?? nowMs,
      });
    }
  }
  return { rows, lists, good, bad };
}

function decodeRaw(message: RawMessage) {
  if (!KNOWN_TOPICS.has(message.topic)) {
    return { ok: false as const, reason: `unknown topic ${message.topic}` };
  }
  const topic = message.topic as TopicName;
  const value = message.value;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return decodeTopicMessage(topic, JSON.stringify(value));
  }
  return decodeTopicMessage(topic, value);
}

export function payloadText(value: RawMessage['value']): string | null {
  if (value === null) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('utf8');
  else text = JSON.stringify(value);
  return text.length > MAX_QUARANTINE_PAYLOAD ? text.slice(0, MAX_QUARANTINE_PAYLOAD) : text;
}
