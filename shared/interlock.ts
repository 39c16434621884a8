/**
 * The ignition-interlock (음주운전 방지장치) contract (seed 001, DESIGN §5–6): the device-event
 * vocabulary, violations and their grades, the police TCS hand-off (dispatch) with its states,
 * the payloads both ends use, and the schemas of the commands people send.
 */
import { z } from 'zod';
import { decimal } from './decimal';

// ── Device events (topic interlock_event) ──────────────────────────────────────────────────────

/**
 * The `event_type` values the relay understands (others are stored and ignored by the rules).
 * - `start_test`: the breath test before the engine may start; `result` pass | fail, `bac` in %.
 * - `rolling_retest`: a retest the device asks for while driving; `result` pass | fail | missed.
 * - `tamper`, `bypass`, `power_cut`: the device detected interference; `result` is the vehicle
 *   state at the time, `driving` | `parked` (null when the device could not tell).
 * - `calibration`: a certified operator calibrated the device (seed P-04); `result` pass | fail.
 * - `log_submitted`: the driver submitted the device's log (seed P-03).
 */
export const INTERLOCK_EVENT_TYPES = [
  'start_test',
  'rolling_retest',
  'tamper',
  'bypass',
  'power_cut',
  'calibration',
  'log_submitted',
] as const;
export type InterlockEventType = (typeof INTERLOCK_EVENT_TYPES)[number];

export const TEST_RESULTS = ['pass', 'fail', 'missed'] as const;
export const VEHICLE_STATES = ['driving', 'parked'] as const;

// ── Master data (seed 001 §4) ──────────────────────────────────────────────────────────────────

/** An installer's approval status (seed P-01): 대기 → 승인 → 활성. */
export const OPERATOR_STATUSES = ['pending', 'approved', 'active'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];
export const OPERATOR_STATUS_LABELS_KO: Readonly<Record<OperatorStatus, string>> = {
  pending: '대기',
  approved: '승인',
  active: '활성',
};

/** A certified installer and maintainer of devices (업체). */
export interface InterlockOperator {
  operatorId: string;
  companyName: string;
  status: OperatorStatus;
  approvedMs: number | null;
  contact: string | null;
}

/** A driver obliged to drive with a device (사용자). Name, licence and phone are personal data. */
export interface InterlockSubject {
  subjectId: string;
  name: string;
  licenceNumber: string | null;
  phone: string | null;
  obligationStartMs: number;
  obligationEndMs: number;
}

export interface InterlockDevice {
  deviceId: string;
  serialNumber: string;
  model: string;
  installMs: number;
  /** The last calibration (검·교정); due again six months after it. */
  lastCalibrationMs: number | null;
  /** The last log submission; due again LOG_SUBMISSION_INTERVAL_DAYS after it. */
  lastLogSubmittedMs: number | null;
  subjectId: string | null;
  operatorId: string | null;
  /** The vehicle it is installed in, when the fleet knows it. */
  carId: string | null;
  plate: string | null;
  /** The device's status as the registry reports it (free text: 정상, 수리중, …). */
  status?: string | null;
}

/** What a source of master data (the simulator, an import) hands the relay to store. */
export interface InterlockMasterData {
  operators: InterlockOperator[];
  subjects: InterlockSubject[];
  devices: InterlockDevice[];
}

// ── Violations ─────────────────────────────────────────────────────────────────────────────────

export const VIOLATION_RULES = [
  /** Alcohol at or over the limit on the start test. */
  'alcohol_start',
  /** Alcohol at or over the limit on a rolling retest (while driving). */
  'alcohol_retest',
  'retest_missed',
  'tamper',
  'bypass',
  'power_cut',
  'calibration_overdue',
  'log_overdue',
  /**
   * Minor violations repeated within the monitoring window (server/domain/interlock-monitoring.ts):
   * closer monitoring raised to major.
   */
  'repeated_minor',
] as const;
export type ViolationRule = (typeof VIOLATION_RULES)[number];

/** Minor: monitoring (모니터링 강화); major: a TCS candidate (경찰청 TCS 연계) and an inbox alert. */
export const VIOLATION_GRADES = ['minor', 'major'] as const;
export type ViolationGrade = (typeof VIOLATION_GRADES)[number];

/**
 * - `monitoring`: a minor violation, watched, never handed to TCS.
 * - `open`: a major violation nobody has asked TCS about yet.
 * - `dispatching`: a TCS hand-off is requested, under way, or waiting for a person.
 * - `dispatched`: TCS accepted it (a case number exists).
 * - `handled`: a person took the hand-off over and recorded the outcome.
 */
export const VIOLATION_STATUSES = [
  'monitoring',
  'open',
  'dispatching',
  'dispatched',
  'handled',
] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** The subject as a violation carries it; masked unless unmasked (`maskedFields` says which). */
export interface ViolationSubject {
  subjectId: string;
  name: string;
  licenceNumber: string | null;
  phone: string | null;
  obligationStartMs: number;
  obligationEndMs: number;
}

export interface ViolationDevice {
  deviceId: string;
  serialNumber: string | null;
  model: string | null;
  operatorId: string | null;
  operatorName: string | null;
}

export interface Violation {
  id: number;
  rule: ViolationRule;
  grade: ViolationGrade;
  status: ViolationStatus;
  /** Increments on every change. */
  version: number;
  /** Epoch ms the violation happened (the event's time, or when an overdue date passed). */
  occurredMs: number;
  createdMs: number;
  updatedMs: number;
  device: ViolationDevice;
  subject: ViolationSubject | null;
  carId: string | null;
  plate: string | null;
  lon: number | null;
  lat: number | null;
  dongName: string | null;
  districtName: string | null;
  /** Blood alcohol concentration in %, for the alcohol rules. */
  bac: number | null;
  /** The device events (event_id) that show it; empty for the overdue rules. */
  evidenceEventIds: string[];
  /** The INTERLOCK alert in the inbox (major violations). */
  alertId: number | null;
  /** The TCS hand-off, once one was requested. */
  dispatchId: number | null;
  /** Subject fields hidden in this payload; empty when unmasked. */
  maskedFields: string[];
}

// ── TCS hand-off ───────────────────────────────────────────────────────────────────────────────

/**
 * `requested → queued → sending → accepted | rejected | retry_wait → … → manual`.
 * - `requested`: an operator asked; waits for a supervisor's approval.
 * - `queued`: approved; the relay sends it (waits here while TCS is not configured).
 * - `sending`: an attempt is in flight.
 * - `retry_wait`: the last attempt failed (5xx, time-out, network); tried again at `nextAttemptMs`.
 * - `accepted`: TCS filed a case (`caseNumber`). Final.
 * - `rejected`: TCS refused the case (4xx): a person decides (retry or take over).
 * - `manual`: attempts ran out (`manualOutcome` null: a person must act), or a person took it
 *   over and recorded the outcome (final).
 */
export const DISPATCH_STATES = [
  'requested',
  'queued',
  'sending',
  'retry_wait',
  'accepted',
  'rejected',
  'manual',
] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** Not finished: counted as pending in the stats. */
export const PENDING_DISPATCH_STATES: readonly DispatchState[] = [
  'requested',
  'queued',
  'sending',
  'retry_wait',
];

/**
 * What a person recorded on taking a hand-off over: filed with TCS by other means (phone, the
 * TCS terminal; give the case number), withdrawn (not to be filed, e.g. a faulty reading), or a
 * duplicate of another case.
 */
export const MANUAL_OUTCOMES = ['filed_manually', 'withdrawn', 'duplicate'] as const;
export type ManualOutcome = (typeof MANUAL_OUTCOMES)[number];

export const ATTEMPT_OUTCOMES = ['accepted', 'rejected', 'failed', 'interrupted'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface DispatchAttempt {
  attemptNo: number;
  startedMs: number;
  durationMs: number;
  /** null when no HTTP answer came (time-out, network error, relay shutdown). */
  httpStatus: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  caseNumber: string | null;
}

export interface Dispatch {
  id: number;
  violationId: number;
  /** Sent as `Idempotency-Key`: derived from the violation, the same on every attempt. */
  idempotencyKey: string;
  state: DispatchState;
  /** Increments on every change; commands may name the version they were made against. */
  version: number;
  /** Attempts made so far (all rounds). */
  attempts: number;
  /** Attempts allowed before the hand-off goes to `manual` (raised by a retry). */
  attemptLimit: number;
  nextAttemptMs: number | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  caseNumber: string | null;
  /** True when a person must act: `rejected`, or `manual` without an outcome. */
  awaitingPerson: boolean;
  requestedBy: string;
  requestedMs: number;
  requestNote: string | null;
  approvedBy: string | null;
  approvedMs: number | null;
  manualOutcome: ManualOutcome | null;
  manualBy: string | null;
  manualMs: number | null;
  manualNote: string | null;
  createdMs: number;
  updatedMs: number;
  /** Oldest first; the most recent MAX_ATTEMPT_LOG attempts. */
  attemptLog: DispatchAttempt[];
}

export const MAX_ATTEMPT_LOG = 20;

/** The TCS link's state, for /healthz, the stats and the panel. */
export interface TcsStatus {
  /** False without TCS_URL: approved hand-offs wait in `queued`. */
  configured: boolean;
  /** The circuit breaker: `open` while TCS is considered down (nothing is sent). */
  breaker: 'closed' | 'open' | 'half_open';
}

/** The seed's KPI (001 §10): TCS 연계 성공률 99% 이상. */
export const TCS_SUCCESS_RATE_TARGET = 0.99;

/**
 * `GET /api/dispatches/stats`. Two rates, because they answer two questions (seed 001 §10):
 * - `successRate` (TCS 연계 성공률, against `target`) measures the link: of the hand-offs whose
 *   fate the link decided, the share TCS answered. A content rejection (a 4xx) is an answer — the
 *   link worked; a hand-off a person took back (withdrawn, duplicate) or filed before it was ever
 *   sent says nothing about the link. Link failures: attempts that ran out on 5xx, time-outs and
 *   network errors (also when a person then filed the case by phone).
 * - `caseRate`: of the finished hand-offs, the share that ended in a TCS case (accepted, or filed
 *   by a person).
 */
export interface DispatchStats {
  accepted: number;
  rejected: number;
  manual: number;
  pending: number;
  /** Taken over and filed with TCS by other means (part of `manual`). */
  filedManually: number;
  /** Taken back as withdrawn or duplicate (part of `manual`). */
  takenBack: number;
  /** Finished hand-offs TCS answered (accepted or refused on content). */
  linkAnswered: number;
  /** Finished hand-offs whose attempts failed on the link. */
  linkFailed: number;
  /** linkAnswered / (linkAnswered + linkFailed); null before the link decided any. */
  successRate: number | null;
  /** (accepted + filedManually) / (accepted + rejected + manual); null before any finished. */
  caseRate: number | null;
  target: number;
  tcs: TcsStatus;
}

// ── Commands ───────────────────────────────────────────────────────────────────────────────────

export const MAX_DISPATCH_NOTE_LENGTH = 2000;
export const MAX_CASE_NUMBER_LENGTH = 64;

const versionField = z
  .number('version must be a number')
  .int('version must be a whole number')
  .positive('version must be positive');

const note = z
  .string('note must be text')
  .trim()
  .max(MAX_DISPATCH_NOTE_LENGTH, `note must be at most ${MAX_DISPATCH_NOTE_LENGTH} characters`);

export const entityIdSchema = decimal(
  z.number('id must be a number').int('id must be a whole number').positive('id must be positive'),
);

/** `POST /api/violations/:id/dispatch`: `version` (of the violation) is checked when given. */
export const requestDispatchSchema = z
  .object({ version: versionField.optional(), note: note.optional() })
  .default({});
/** `POST /api/dispatches/:id/approve` and `/retry`: `version` (of the dispatch) when given. */
export const dispatchVersionSchema = z.object({ version: versionField.optional() }).default({});
/** `POST /api/dispatches/:id/takeover` */
export const takeoverSchema = z.object({
  version: versionField.optional(),
  outcome: z.enum(MANUAL_OUTCOMES, `outcome must be one of ${MANUAL_OUTCOMES.join(', ')}`),
  caseNumber: z
    .string('caseNumber must be text')
    .trim()
    .min(1, 'caseNumber must not be empty')
    .max(MAX_CASE_NUMBER_LENGTH, `caseNumber must be at most ${MAX_CASE_NUMBER_LENGTH} characters`)
    .optional(),
  note: note.min(1, 'note must not be empty'),
});
export type RequestDispatchCommand = z.output<typeof requestDispatchSchema>;
export type TakeoverCommand = z.output<typeof takeoverSchema>;

// ── Queries ────────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_INTERLOCK_LIST_LIMIT = 200;
export const MAX_INTERLOCK_LIST_LIMIT = 5000;

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

const limit = decimal(
  z
    .number('limit must be a number')
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_INTERLOCK_LIST_LIMIT, `limit must be at most ${MAX_INTERLOCK_LIST_LIMIT}`)
    .default(DEFAULT_INTERLOCK_LIST_LIMIT),
);

/** `GET /api/violations`: newest first. */
export const violationListQuerySchema = z.object({
  grade: listOf(VIOLATION_GRADES, 'grade').optional(),
  status: listOf(VIOLATION_STATUSES, 'status').optional(),
  rule: listOf(VIOLATION_RULES, 'rule').optional(),
  device: z.string().trim().min(1).max(255).optional(),
  limit,
});
export type ViolationListQuery = z.output<typeof violationListQuerySchema>;

/** `GET /api/dispatches`: newest first. */
export const dispatchListQuerySchema = z.object({
  state: listOf(DISPATCH_STATES, 'state').optional(),
  violation: entityIdSchema.optional(),
  limit,
});
export type DispatchListQuery = z.output<typeof dispatchListQuerySchema>;

// ── REST responses ─────────────────────────────────────────────────────────────────────────────

export interface ViolationListResponse {
  violations: Violation[];
}
/** `GET /api/violations/:id`, `POST /api/violations/:id/unmask` (unmasked, audited). */
export interface ViolationResponse {
  violation: Violation;
}
/** `POST /api/violations/:id/dispatch` (201) */
export interface RequestDispatchResponse {
  dispatch: Dispatch;
  violation: Violation;
}
export interface DispatchListResponse {
  dispatches: Dispatch[];
  tcs: TcsStatus;
}
/** `GET /api/dispatches/:id` and every `POST /api/dispatches/:id/<command>` */
export interface DispatchResponse {
  dispatch: Dispatch;
}
