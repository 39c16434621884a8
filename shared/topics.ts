/**
 * The upstream Kafka topics (seed 000 §7–8, DESIGN §3) and tolerant row schemas for them.
 * Rows arrive as JSON written by Flink SQL: numbers may be strings, timestamps may lack a zone
 * (= KST), fields may be null or extra. Each schema turns one such row into a typed value or fails
 * with a reason, which the ingest path uses to quarantine the message.
 */
import { z } from 'zod';
import { parseTimestamp } from './time';

export const TOPICS = {
  uservehicle: { partitions: 3 },
  driving_session: { partitions: 3 },
  driving_session_info: { partitions: 6 },
  drowsy_drive: { partitions: 3 },
  arrears_detection: { partitions: 3 },
  arrears_info: { partitions: 1 },
  missing_person_detection: { partitions: 3 },
  missing_person_info: { partitions: 1 },
  interlock_event: { partitions: 3 },
} as const;

export type TopicName = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];

/** A number, or a numeric string as Flink's JSON format sometimes writes. Empty text is not 0. */
const numeric = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
  z.number().finite(),
);
/**
 * An optional field: a missing key, `null` and (for numbers) empty text all decode to `null`, so
 * no consumer has to tell "absent" from "null" (Flink omits null columns in some formats).
 */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined ? null : v), schema.nullable());
}
const optionalNumeric = optional(z.preprocess((v) => (v === '' ? null : v), numeric.nullable()));
const integer = numeric.pipe(z.number().int());
const optionalInteger = optional(z.preprocess((v) => (v === '' ? null : v), integer.nullable()));
const id = z.preprocess(
  (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
  z.string().trim().min(1).max(255),
);
/** Epoch milliseconds from any timestamp form the upstream writes. */
const timestamp = z.unknown().transform((v, ctx) => {
  const ms = parseTimestamp(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});
/** A missing key, null or empty text is null (an open session's end_time); anything else must parse. */
const optionalTimestamp = optional(
  z.preprocess((v) => (v === '' ? null : v), timestamp.nullable()),
);
const flag = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return v;
}, z.boolean());
const sex = z.preprocess(
  (v) => {
    if (v === 'M' || v === 'm' || v === 'male') return '남';
    if (v === 'F' || v === 'f' || v === 'female') return '여';
    return typeof v === 'string' ? v.trim() : v;
  },
  z.enum(['남', '여']),
);
const latitude = numeric.pipe(z.number().min(-90).max(90));
const longitude = numeric.pipe(z.number().min(-180).max(180));
const optionalText = optional(z.string());

/**
 * Korean plate: 2 or 3 digits, one Hangul syllable, 4 digits (`12가3456`, `123가4567`), optionally
 * preceded by a region name (`부산12가3456`) as older plates carry. The common formats only: the
 * decoders accept any plate text (see `plateText`), shared/plates.ts reads every kind.
 */
export const KOREAN_PLATE = /^(?:[가-힣]{2})?\d{2,3}[가-힣]\d{4}$/;
/** The seed's plate columns are VARCHAR(20): the upstream cannot send a longer one. */
const MAX_PLATE_TEXT = 20;
/**
 * A plate as written, kept as it came (trimmed): lists and detections are matched on the normal
 * form (shared/plates.ts), stored and shown as read. Not checked against a format here: a partial
 * or misread plate is a normal OCR row (seed §5.4), not a broken message, and diplomatic,
 * temporary and older regional plates are real plates.
 */
const plateText = z
  .string()
  .trim()
  .min(1, 'empty plate')
  .max(MAX_PLATE_TEXT, `longer than the seed's VARCHAR(${MAX_PLATE_TEXT})`);
/** An optional plate: empty text is no plate, like null or a missing key. */
const optionalPlate = optional(
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), plateText.nullable()),
);

export const topicSchemas = {
  uservehicle: z.object({
    car_id: id,
    age: optionalInteger,
    user_sex: optional(sex),
    user_car_brand: optionalText,
    /** Not in the seed table; the simulator and some feeds carry it, so the drawer can show it. */
    car_plate_number: optionalPlate,
    updated_at: optionalTimestamp,
  }),
  driving_session: z.object({
    session_id: id,
    car_id: id,
    start_time: timestamp,
    end_time: optionalTimestamp,
  }),
  driving_session_info: z.object({
    info_id: id,
    session_id: id,
    app_lat: latitude,
    app_lon: longitude,
    speed: optionalNumeric,
    app_rapid_acc: optionalInteger,
    app_weather_status: optionalText,
    dt: timestamp,
  }),
  drowsy_drive: z.object({
    drowsy_id: id,
    session_id: id,
    detected_at: timestamp,
    gaze_closure: optionalInteger,
    head_drop: optionalInteger,
  }),
  arrears_detection: z.object({
    detection_id: id,
    image_id: optional(id),
    car_plate_number: optionalPlate,
    detection_success: flag,
    detected_lat: optional(latitude),
    detected_lon: optional(longitude),
    detected_time: timestamp,
    confidence: optionalNumeric,
  }),
  arrears_info: z.object({
    car_plate_number: plateText,
    arrears_user_id: optional(id),
    total_arrears_amount: optionalInteger,
    notice_count: optionalInteger,
  }),
  missing_person_detection: z.object({
    detection_id: id,
    image_id: optional(id),
    car_plate_number: optionalPlate,
    missing_id: optional(id),
    detection_success: flag,
    detected_lat: optional(latitude),
    detected_lon: optional(longitude),
    detected_time: timestamp,
  }),
  missing_person_info: z.object({
    missing_id: id,
    name: optionalText,
    age: optionalInteger,
    sex: optional(sex),
    car_plate_number: optionalPlate,
    description: optionalText,
    reported_at: optionalTimestamp,
  }),
  interlock_event: z.object({
    event_id: id,
    device_id: id,
    event_type: z.string().trim().min(1),
    bac: optionalNumeric,
    result: optionalText,
    lat: optional(latitude),
    lon: optional(longitude),
    occurred_at: timestamp,
  }),
} satisfies Record<TopicName, z.ZodType>;

export type TopicRow<T extends TopicName> = z.output<(typeof topicSchemas)[T]>;
/** What a producer writes: the JSON shape on the wire (timestamps as zone-less KST text). */
export type TopicWireRow<T extends TopicName> = z.input<(typeof topicSchemas)[T]>;

export type DecodeResult<T extends TopicName> =
  { ok: true; row: TopicRow<T> } | { ok: false; reason: string };

/** One decoder for every message: at 50,000 a second, a decoder each is needless garbage. */
const UTF8 = new TextDecoder('utf-8');

/** Decodes one message value (bytes or text) of a topic; never throws. */
export function decodeTopicMessage<T extends TopicName>(
  topic: T,
  value: Uint8Array | string | null,
): DecodeResult<T> {
  if (value === null) return { ok: false, reason: 'empty message (tombstone)' };
  const text = typeof value === 'string' ? value : UTF8.decode(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const parsed = topicSchemas[topic].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(row)';
    return { ok: false, reason: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, row: parsed.data as TopicRow<T> };
}
