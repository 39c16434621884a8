/**
 * The alert inbox contract (DESIGN §5–6): alert types, severities, the lifecycle, the `Alert`
 * payload both ends use, and the schemas of the commands people send.
 */
import { z } from 'zod';
import { decimal } from './decimal';
import type { ApiError } from './errors';
import type { PipelineAlarmKind } from './kpis';

export const ALERT_TYPES = [
  'DROWSY',
  'ARREARS_HIT',
  'MISSING_PERSON_HIT',
  'INTERLOCK',
  'PIPELINE_HEALTH',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Least to most severe. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** For sorting: higher is more severe. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/** The lifecycle: `new → acknowledged → dispatched → resolved` (resolve is allowed from any open status). */
export const ALERT_STATUSES = ['new', 'acknowledged', 'dispatched', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'dispatched'];

export const RESOLUTIONS = ['handled', 'false_alarm', 'duplicate'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Drowsy driving detected in the car (drowsy_drive). */
export interface DrowsyEvidence {
  type: 'DROWSY';
  drowsyId: string;
  sessionId: string;
  /** Eye closures counted by the in-car camera. */
  gazeClosure: number | null;
  /** Head drops counted by the in-car camera. */
  headDrop: number | null;
}

/** A camera read a plate on the arrears (체납) list (arrears_detection + arrears_info). */
export interface ArrearsEvidence {
  type: 'ARREARS_HIT';
  detectionId: string;
  imageId: string | null;
  amountKrw: number | null;
  noticeCount: number | null;
  /** OCR confidence of the plate read, 0–1, when the feed carries it. */
  ocrConfidence: number | null;
  /** Personal: masked unless unmasked. */
  arrearsUserId: string | null;
}

/** A camera read the plate of a missing person's (실종자) car (missing_person_detection). */
export interface MissingPersonEvidence {
  type: 'MISSING_PERSON_HIT';
  detectionId: string;
  imageId: string | null;
  missingId: string | null;
  /** Personal: masked as `김*수` unless unmasked. */
  name: string | null;
  /** Personal: null when masked (ageBand stays). */
  age: number | null;
  /** 10-year band (70 = 70대); safe to show. */
  ageBand: number | null;
  sex: '남' | '여' | null;
  /** Personal (health, clothing): null when masked. */
  description: string | null;
  reportedAtMs: number | null;
}

/** A major ignition-interlock violation (created by the interlock feature). */
export interface InterlockEvidence {
  type: 'INTERLOCK';
  violationId: string;
  deviceId: string | null;
  rule: string | null;
  /** Blood alcohol concentration in %, when the rule is about alcohol. */
  bac: number | null;
  /**
   * The TCS case number once its hand-off ended in a case (accepted, or filed by a person).
   * Optional: alerts stored before hand-offs carried it have no such field.
   */
  tcsCaseNumber?: string | null;
}

/**
 * A pipeline alarm (seed 000 §9.2, DESIGN §14): a system alert of no vehicle and no place, raised
 * by the relay when the alarm starts and resolved by `system` when it ends.
 */
export interface PipelineHealthEvidence {
  type: 'PIPELINE_HEALTH';
  alarm: PipelineAlarmKind;
  /** The stalled topic; null for consumer lag. */
  topic: string | null;
  /** Lag in messages, or the topic's silence in ms, when last seen. */
  value: number;
  /** The alarm's threshold, in the same unit as value. */
  threshold: number;
  /** When this episode of the alarm began (epoch ms). */
  sinceMs: number;
}

export type AlertEvidence =
  | DrowsyEvidence
  | ArrearsEvidence
  | MissingPersonEvidence
  | InterlockEvidence
  | PipelineHealthEvidence;

/** One comment on an alert; comments are stored and sent on their own, never inside the alert. */
export interface AlertComment {
  /** Increases with every comment (the paging cursor of `GET /api/alerts/:id/comments`). */
  id: number;
  alertId: number;
  by: string;
  atMs: number;
  text: string;
}

export interface Alert {
  id: number;
  type: AlertType;
  severity: Severity;
  status: AlertStatus;
  /** Set once an unacknowledged alert passed its deadline; it stays set as history. */
  escalated: boolean;
  /** Increments on every change; commands must name the version they were made against. */
  version: number;
  /** The global change sequence number of this alert's last change (see SocketAuth.lastAlertSeq). */
  seq: number;
  /** Detections merged into this alert (repeats for the same vehicle and type). */
  count: number;
  /** Epoch ms of the first and latest detection. */
  firstSeenMs: number;
  lastSeenMs: number;
  /** Epoch ms when the relay created it. */
  createdMs: number;
  /** Epoch ms of the last change. */
  updatedMs: number;
  /** Unacknowledged past this (epoch ms), the alert escalates. */
  deadlineMs: number;
  carId: string | null;
  plate: string | null;
  lon: number | null;
  lat: number | null;
  dongCode: string | null;
  dongName: string | null;
  districtCode: string | null;
  districtName: string | null;
  evidence: AlertEvidence;
  /** Evidence fields hidden in this payload (`['name', 'description']`); empty when unmasked. */
  maskedFields: string[];
  assignee: string | null;
  acknowledgedBy: string | null;
  acknowledgedAtMs: number | null;
  dispatchedBy: string | null;
  dispatchedAtMs: number | null;
  resolvedBy: string | null;
  resolvedAtMs: number | null;
  resolution: Resolution | null;
  resolutionNote: string | null;
  /**
   * How many comments the alert holds. The comments themselves are not in the alert: every change
   * would otherwise carry the whole history (bytes growing with the square of the comment count);
   * they come from `GET /api/alerts/:id/comments` and, live, as `alertComment` events.
   */
  commentCount: number;
}

// ── Commands ───────────────────────────────────────────────────────────────────────────────────

export const MAX_COMMENT_LENGTH = 2000;
/** One alert holds at most this many comments; the next one is refused (409) with the reason. */
export const MAX_COMMENTS_PER_ALERT = 500;
export const MAX_NOTE_LENGTH = 2000;

const versionField = z
  .number('version must be a number')
  .int('version must be a whole number')
  .positive('version must be positive');

export const alertIdSchema = decimal(
  z.number('id must be a number').int('id must be a whole number').positive('id must be positive'),
);

/** The optional note is kept with the acknowledgement (its audit event and a comment). */
export const ackCommandSchema = z.object({
  version: versionField,
  note: z
    .string('note must be text')
    .trim()
    .max(MAX_NOTE_LENGTH, `note must be at most ${MAX_NOTE_LENGTH} characters`)
    .optional(),
});
export const dispatchCommandSchema = z.object({
  version: versionField,
  note: z.string('note must be text').trim().max(MAX_NOTE_LENGTH).optional(),
});
export const resolveCommandSchema = z.object({
  version: versionField,
  resolution: z.enum(RESOLUTIONS, `resolution must be one of ${RESOLUTIONS.join(', ')}`),
  note: z
    .string('note must be text')
    .trim()
    .max(MAX_NOTE_LENGTH, `note must be at most ${MAX_NOTE_LENGTH} characters`)
    .optional(),
});
/** `username: null` unassigns. An operator may only assign themself (claim) or unassign themself. */
export const assignCommandSchema = z.object({
  version: versionField,
  username: z
    .string('username must be text or null')
    .trim()
    .toLowerCase()
    .min(1)
    .max(32)
    .nullable(),
});
/** Comments never conflict, so the version is optional; when given, it is checked. */
export const commentCommandSchema = z.object({
  text: z
    .string('text must be text')
    .trim()
    .min(1, 'text must not be empty')
    .max(MAX_COMMENT_LENGTH, `text must be at most ${MAX_COMMENT_LENGTH} characters`),
  version: versionField.optional(),
});

export const alertCommandSchemas = {
  ack: ackCommandSchema,
  assign: assignCommandSchema,
  comment: commentCommandSchema,
  dispatch: dispatchCommandSchema,
  resolve: resolveCommandSchema,
} as const;
export type AlertCommandName = keyof typeof alertCommandSchemas;
export const ALERT_COMMAND_NAMES = Object.keys(alertCommandSchemas) as AlertCommandName[];
export type AlertCommand<N extends AlertCommandName> = z.output<(typeof alertCommandSchemas)[N]>;
/** What a client sends over the socket for `alert:<name>`: the REST body plus the alert id. */
export type AlertCommandPayload<N extends AlertCommandName> = z.input<
  (typeof alertCommandSchemas)[N]
> & { id: number };

/** One bulk acknowledgement holds at most this many alerts (a screenful a supervisor checked). */
export const MAX_BULK_ACK = 100;

/**
 * `POST /api/alerts/ack-bulk`: a supervisor acknowledges several alerts at once with one note.
 * Each item names the version the supervisor saw; each is acknowledged (and audited) on its own,
 * so one stale or handled alert does not hold back the rest.
 */
export const bulkAckSchema = z.object({
  items: z
    .array(
      z.object({
        id: z
          .number('id must be a number')
          .int('id must be a whole number')
          .positive('id must be positive'),
        version: versionField,
      }),
      'items must be a list of {id, version}',
    )
    .min(1, 'items must name at least one alert')
    .max(MAX_BULK_ACK, `items must name at most ${MAX_BULK_ACK} alerts`)
    .refine(
      (items) => new Set(items.map((item) => item.id)).size === items.length,
      'items must name each alert once',
    ),
  note: ackCommandSchema.shape.note,
});
export type BulkAckRequest = z.input<typeof bulkAckSchema>;

/** One alert's outcome in a bulk acknowledgement: acknowledged, or refused with the reason. */
export type BulkAckResult =
  { id: number; ok: true; alert: Alert } | { id: number; ok: false; error: ApiError };

/** The answer to `POST /api/alerts/ack-bulk` (200 even when some were refused: see each result). */
export interface BulkAckResponse {
  results: BulkAckResult[];
  acknowledged: number;
  refused: number;
}

/** The command's answer: the changed alert (without its comments) or the refusal. */
export type AlertCommandResult = { ok: true; alert: Alert } | { ok: false; error: ApiError };

/** Socket event `alertComment`: one new comment, sent just before the `alert` change it caused. */
export interface AlertCommentAdded {
  comment: AlertComment;
}

/** `POST /api/alerts/:id/unmask` → the record's personal data, unmasked (audited). */
export interface UnmaskResponse {
  alert: Alert;
}

// ── Queries ────────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_ALERT_LIST_LIMIT = 200;
export const MAX_ALERT_LIST_LIMIT = 5000;

/** `a,b,c` in a query string → a checked list. */
const listOf = <const T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, `${name} must be one of ${values.join(', ')}`)).min(1));

/** `GET /api/alerts` (and `/api/alerts.csv`): newest-first within most-severe-first. */
export const alertListQuerySchema = z.object({
  status: listOf(ALERT_STATUSES, 'status').optional(),
  type: listOf(ALERT_TYPES, 'type').optional(),
  severity: listOf(SEVERITIES, 'severity').optional(),
  /** District (구·군) code, e.g. `21050`. */
  district: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'district must be a 5-digit district code')
    .optional(),
  limit: decimal(
    z
      .number('limit must be a number')
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_ALERT_LIST_LIMIT, `limit must be at most ${MAX_ALERT_LIST_LIMIT}`)
      .default(DEFAULT_ALERT_LIST_LIMIT),
  ),
});
export type AlertListQuery = z.output<typeof alertListQuerySchema>;

export const DEFAULT_COMMENT_PAGE_LIMIT = 100;

/** `GET /api/alerts/:id/comments?before=&limit=`: the newest `limit` comments older than `before`. */
export const alertCommentPageQuerySchema = z.object({
  /** A comment id: only comments older than it (the page before one already shown). */
  before: decimal(
    z.number('before must be a number').int('before must be a whole number').positive(),
  ).optional(),
  limit: decimal(
    z
      .number('limit must be a number')
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_COMMENTS_PER_ALERT, `limit must be at most ${MAX_COMMENTS_PER_ALERT}`)
      .default(DEFAULT_COMMENT_PAGE_LIMIT),
  ),
});
export type AlertCommentPageQuery = z.output<typeof alertCommentPageQuerySchema>;

// ── REST responses ─────────────────────────────────────────────────────────────────────────────

/** `GET /api/alerts` */
export interface AlertListResponse {
  alerts: Alert[];
}

/** `GET /api/alerts/:id/comments`: one page, oldest first. */
export interface AlertCommentPage {
  comments: AlertComment[];
  /** Whether comments older than the first in this page exist (ask again with `before`). */
  hasOlder: boolean;
  /** All the alert's comments when the page was read (a client compares it with commentCount). */
  total: number;
}

/** `GET /api/alerts/:id` and every `POST /api/alerts/:id/<command>` */
export interface AlertResponse {
  alert: Alert;
}
