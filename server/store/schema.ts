/**
 * Table types for the typed query layer (Kysely). Timestamps are stored as KST DATETIME(3) text
 * (`2025-12-09 14:30:00.000`) in both dialects, matching how the upstream writes them.
 */
import type { Generated } from 'kysely';

/** Seed tables: the upstream pipeline's (seed 000 §7). */
export interface UservehicleTable {
  car_id: string;
  age: number | null;
  user_sex: string | null;
  user_car_brand: string | null;
  updated_at: string | null;
}

export interface DrivingSessionTable {
  session_id: string;
  car_id: string;
  start_time: string;
  end_time: string | null;
}

export interface DrivingSessionInfoTable {
  info_id: string;
  session_id: string;
  app_lat: number;
  app_lon: number;
  speed: number | null;
  app_rapid_acc: number | null;
  app_weather_status: string | null;
  dt: string;
}

export interface DrowsyDriveTable {
  drowsy_id: string;
  session_id: string;
  detected_at: string;
  gaze_closure: number | null;
  head_drop: number | null;
}

export interface VehicleExteriorImageTable {
  image_id: string;
  session_id: string | null;
  image_base64: string | null;
  processed: number;
  plate_number: string | null;
}

export interface ArrearsInfoTable {
  car_plate_number: string;
  arrears_user_id: string | null;
  total_arrears_amount: number | null;
  notice_count: number | null;
}

export interface ArrearsDetectionTable {
  detection_id: string;
  image_id: string | null;
  car_plate_number: string | null;
  detection_success: number;
  detected_lat: number | null;
  detected_lon: number | null;
  detected_time: string;
}

export interface MissingPersonInfoTable {
  missing_id: string;
  name: string | null;
  age: number | null;
  sex: string | null;
  car_plate_number: string | null;
  description: string | null;
  reported_at: string | null;
}

export interface MissingPersonDetectionTable {
  detection_id: string;
  image_id: string | null;
  car_plate_number: string | null;
  missing_id: string | null;
  detection_success: number;
  detected_lat: number | null;
  detected_lon: number | null;
  detected_time: string;
}

/** Relay-owned tables. */
export interface QuarantinedMessageTable {
  id: Generated<number>;
  topic: string;
  partition_no: number | null;
  offset_no: string | null;
  reason: string;
  payload: string | null;
  received_at: string;
}

/** The plate of each vehicle, when a feed carries it (the seed's uservehicle has no plate). */
export interface VehiclePlateTable {
  car_id: string;
  car_plate_number: string;
  updated_at: string;
}

/** App users (people who log in); the hash is `scrypt$N$r$p$salt$hash`. */
export interface AppUserTable {
  username: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  /** Moves on with every password change; tokens of an older generation are refused. */
  token_generation: Generated<number>;
}

/**
 * Alerts. Ids and seqs are BIGINT on MariaDB, which the driver returns as strings: repositories
 * read them through Number().
 */
export interface AlertTable {
  id: Generated<number>;
  type: string;
  severity: string;
  severity_rank: number;
  status: string;
  escalated: number;
  version: number;
  seq: number;
  merge_count: number;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
  deadline_at: string;
  vehicle_key: string;
  car_id: string | null;
  plate: string | null;
  lon: number | null;
  lat: number | null;
  dong_code: string | null;
  dong_name: string | null;
  district_code: string | null;
  district_name: string | null;
  /** JSON of the (unmasked) evidence. */
  evidence: string;
  assignee: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  dispatched_by: string | null;
  dispatched_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
  resolution_note: string | null;
}

export interface AlertCommentTable {
  id: Generated<number>;
  alert_id: number;
  author: string;
  created_at: string;
  body: string;
}

/** Detections already counted into an alert, by `topic:id`. */
export interface AlertSourceTable {
  source_id: string;
  alert_id: number;
  created_at: string;
}

/** One minute of one relay's feed health (the 30-day availability KPI). */
export interface FeedHealthSampleTable {
  instance: string;
  /** Epoch ms of the minute's start. */
  minute_ms: number;
  /** 1 when the feed delivered within its stale time and the store answered. */
  up: number;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor: string;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

/** Interlock installers (seed 001 P-01). */
export interface InterlockOperatorTable {
  operator_id: string;
  company_name: string;
  status: string;
  approved_at: string | null;
  contact: string | null;
  created_at: string;
  updated_at: string;
}

/** Drivers obliged to drive with an interlock; name, licence and phone are personal data. */
export interface InterlockSubjectTable {
  subject_id: string;
  name: string;
  licence_number: string | null;
  phone: string | null;
  obligation_start: string;
  obligation_end: string;
  created_at: string;
  updated_at: string;
}

export interface InterlockDeviceTable {
  device_id: string;
  serial_number: string;
  model: string;
  install_date: string;
  last_calibration_at: string | null;
  last_log_submitted_at: string | null;
  subject_id: string | null;
  operator_id: string | null;
  car_id: string | null;
  plate: string | null;
  last_event_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The interlock_event topic's rows, once each. */
export interface InterlockDeviceEventTable {
  event_id: string;
  device_id: string;
  event_type: string;
  bac: number | null;
  result: string | null;
  lat: number | null;
  lon: number | null;
  occurred_at: string;
  received_at: string;
}

/** Ids are BIGINT on MariaDB (strings from the driver): repositories read them through Number(). */
export interface InterlockViolationTable {
  id: Generated<number>;
  source_key: string;
  rule: string;
  grade: string;
  status: string;
  version: number;
  device_id: string;
  subject_id: string | null;
  car_id: string | null;
  plate: string | null;
  lon: number | null;
  lat: number | null;
  dong_name: string | null;
  district_name: string | null;
  bac: number | null;
  /** JSON array of event ids. */
  evidence_event_ids: string;
  alert_id: number | null;
  occurred_at: string;
  created_at: string;
  updated_at: string;
}

export interface TcsDispatchTable {
  id: Generated<number>;
  violation_id: number;
  idempotency_key: string;
  state: string;
  version: number;
  attempts: number;
  attempt_limit: number;
  next_attempt_at: string | null;
  last_error: string | null;
  last_http_status: number | null;
  case_number: string | null;
  requested_by: string;
  requested_at: string;
  request_note: string | null;
  approved_by: string | null;
  approved_at: string | null;
  manual_outcome: string | null;
  manual_by: string | null;
  manual_at: string | null;
  manual_note: string | null;
  created_at: string;
  updated_at: string;
}

export interface TcsDispatchAttemptTable {
  id: Generated<number>;
  dispatch_id: number;
  attempt_no: number;
  started_at: string;
  duration_ms: number;
  http_status: number | null;
  outcome: string;
  error: string | null;
  case_number: string | null;
}

export interface Database {
  uservehicle: UservehicleTable;
  driving_session: DrivingSessionTable;
  driving_session_info: DrivingSessionInfoTable;
  drowsy_drive: DrowsyDriveTable;
  vehicle_exterior_image: VehicleExteriorImageTable;
  arrears_info: ArrearsInfoTable;
  arrears_detection: ArrearsDetectionTable;
  missing_person_info: MissingPersonInfoTable;
  missing_person_detection: MissingPersonDetectionTable;
  quarantined_message: QuarantinedMessageTable;
  vehicle_plate: VehiclePlateTable;
  app_user: AppUserTable;
  alert: AlertTable;
  alert_comment: AlertCommentTable;
  alert_source: AlertSourceTable;
  feed_health_sample: FeedHealthSampleTable;
  audit_event: AuditEventTable;
  interlock_operator: InterlockOperatorTable;
  interlock_subject: InterlockSubjectTable;
  interlock_device: InterlockDeviceTable;
  interlock_device_event: InterlockDeviceEventTable;
  interlock_violation: InterlockViolationTable;
  tcs_dispatch: TcsDispatchTable;
  tcs_dispatch_attempt: TcsDispatchAttemptTable;
  relay_lease: RelayLeaseTable;
  replay_chunk: ReplayChunkTable;
  replay_vehicle: ReplayVehicleTable;
}

/** Work that runs on one relay at a time (migration 0007); `expires_at` is epoch ms. */
export interface RelayLeaseTable {
  name: string;
  holder: string;
  expires_at: number;
}

/** Replay frames (migration 0008): a key frame and its deltas, compressed; times are epoch ms. */
export interface ReplayChunkTable {
  id: Generated<number>;
  run_id: string;
  start_ms: number;
  end_ms: number;
  frame_count: number;
  vehicle_count: number;
  raw_bytes: number;
  data: Uint8Array;
}

/** The car behind each vehicle index of one recording relay run. */
export interface ReplayVehicleTable {
  run_id: string;
  vehicle_index: number;
  car_id: string;
}
