/**
 * Alert rules: which decoded rows are detections worth an alert, how severe, where and of which
 * vehicle. Pure: the live fleet and the master data come in through `RuleContext`.
 */
import type {
  AlertEvidence,
  AlertType,
  ArrearsEvidence,
  MissingPersonEvidence,
  Severity,
} from '../../shared/alerts';
import type { TopicRow } from '../../shared/topics';
import { ageBand } from '../../shared/vehicles';
import type { PlateHit } from './plate-hits';

/**
 * A drowsy detection's score: eye closures plus head drops, a head drop weighing double (a driver
 * whose head falls has already nodded off; closing eyes comes before it).
 */
export const HEAD_DROP_WEIGHT = 2;
/** Scores at or over these make a drowsy alert this severe (most severe first). */
export const DROWSY_SCORE_THRESHOLDS: readonly { severity: Severity; score: number }[] = [
  { severity: 'critical', score: 18 },
  { severity: 'high', score: 12 },
  { severity: 'medium', score: 7 },
];

/** Arrears at or over this amount (KRW) or notice count make an arrears hit this severe. */
export const ARREARS_THRESHOLDS: readonly {
  severity: Severity;
  amountKrw: number;
  noticeCount: number;
}[] = [
  { severity: 'high', amountKrw: 3_000_000, noticeCount: 10 },
  { severity: 'medium', amountKrw: 1_000_000, noticeCount: 5 },
];

/** A missing person may be in danger (often older people with dementia): always critical. */
export const MISSING_PERSON_SEVERITY: Severity = 'critical';

/** Longest free text kept from a feed; keeps a hostile row from bloating every payload. */
const MAX_EVIDENCE_TEXT = 500;

export function drowsySeverity(gazeClosure: number | null, headDrop: number | null): Severity {
  const score = Math.max(0, gazeClosure ?? 0) + HEAD_DROP_WEIGHT * Math.max(0, headDrop ?? 0);
  for (const t of DROWSY_SCORE_THRESHOLDS) {
    if (score >= t.score) return t.severity;
  }
  return 'low';
}

export function arrearsSeverity(amountKrw: number | null, noticeCount: number | null): Severity {
  const amount = amountKrw ?? 0;
  const notices = noticeCount ?? 0;
  for (const t of ARREARS_THRESHOLDS) {
    if (amount >= t.amountKrw || notices >= t.noticeCount) return t.severity;
  }
  return 'low';
}

export interface Position {
  lon: number;
  lat: number;
}

export interface VehicleRef {
  carId: string;
  plate: string | null;
  /** The last known position, null before the first. */
  position: Position | null;
}

export interface Place {
  dongCode: string;
  dongName: string;
  districtCode: string;
  districtName: string | null;
}

/** The live fleet and places, as the rules see them (the master lists are the hit rule's). */
export interface RuleContext {
  vehicleOfSession(sessionId: string): VehicleRef | null;
  /** By the plate's normal form (shared/plates.ts). */
  vehicleOfPlate(plate: string): VehicleRef | null;
  /** The neighbourhood at a point, null at sea or outside Busan. */
  placeAt(lon: number, lat: number): Place | null;
}

/** One thing worth an alert, before it is merged into an open alert or becomes a new one. */
export interface Detection {
  /** `topic:id` of the row: a redelivered row (at-least-once) is recognised by it. */
  sourceId: string;
  type: AlertType;
  severity: Severity;
  atMs: number;
  /** What "the same vehicle" means for merging: the car id, else the plate, else the session. */
  vehicleKey: string;
  carId: string | null;
  plate: string | null;
  position: Position | null;
  place: Place | null;
  evidence: AlertEvidence;
}

export interface DetectionRows {
  drowsy_drive: TopicRow<'drowsy_drive'>[];
}

/**
 * The alerts rows cause directly (drowsy driving). Plate reads become alerts only through the one
 * hit rule (server/domain/plate-hits.ts → `plateHitDetection`), which also sets the map flag.
 */
export function deriveDetections(rows: DetectionRows, ctx: RuleContext): Detection[] {
  const detections = rows.drowsy_drive.map((row) => drowsyDetection(row, ctx));
  // Oldest first, so merging sees detections in the order they happened.
  return detections.sort((a, b) => a.atMs - b.atMs);
}

function drowsyDetection(row: TopicRow<'drowsy_drive'>, ctx: RuleContext): Detection {
  const vehicle = ctx.vehicleOfSession(row.session_id);
  const gazeClosure = row.gaze_closure ?? null;
  const headDrop = row.head_drop ?? null;
  // drowsy_drive carries no position: the alert goes where the car was last seen.
  const position = vehicle?.position ?? null;
  return {
    sourceId: `drowsy_drive:${row.drowsy_id}`,
    type: 'DROWSY',
    severity: drowsySeverity(gazeClosure, headDrop),
    atMs: row.detected_at,
    vehicleKey: vehicle ? `car:${vehicle.carId}` : `session:${row.session_id}`,
    carId: vehicle?.carId ?? null,
    plate: vehicle?.plate ?? null,
    position,
    place: position ? ctx.placeAt(position.lon, position.lat) : null,
    evidence: {
      type: 'DROWSY',
      drowsyId: row.drowsy_id,
      sessionId: row.session_id,
      gazeClosure,
      headDrop,
    },
  };
}

/**
 * The alert of one plate hit (server/domain/plate-hits.ts decided it is one): the same hit sets
 * the map flag, so the two cannot disagree.
 */
export function plateHitDetection(
  hit: PlateHit,
  ctx: Pick<RuleContext, 'vehicleOfPlate' | 'placeAt'>,
): Detection {
  return hit.list === 'arrears'
    ? arrearsHitDetection(hit.read, hit.listing, hit.plate, ctx)
    : missingHitDetection(hit.read, hit.listing, hit.plate, ctx);
}

/** A plate on the arrears (체납) list was read: severity from the amount and notices. */
function arrearsHitDetection(
  row: TopicRow<'arrears_detection'>,
  arrears: TopicRow<'arrears_info'>,
  plate: string,
  ctx: Pick<RuleContext, 'vehicleOfPlate' | 'placeAt'>,
): Detection {
  const vehicle = ctx.vehicleOfPlate(plate);
  const amountKrw = arrears.total_arrears_amount ?? null;
  const noticeCount = arrears.notice_count ?? null;
  const position =
    detectedPosition(row.detected_lon, row.detected_lat) ?? vehicle?.position ?? null;
  const evidence: ArrearsEvidence = {
    type: 'ARREARS_HIT',
    detectionId: row.detection_id,
    imageId: row.image_id ?? null,
    amountKrw,
    noticeCount,
    ocrConfidence: row.confidence ?? null,
    arrearsUserId: arrears.arrears_user_id ?? null,
  };
  return {
    sourceId: `arrears_detection:${row.detection_id}`,
    type: 'ARREARS_HIT',
    severity: arrearsSeverity(amountKrw, noticeCount),
    atMs: row.detected_time,
    vehicleKey: vehicle ? `car:${vehicle.carId}` : `plate:${plate}`,
    carId: vehicle?.carId ?? null,
    plate,
    position,
    place: position ? ctx.placeAt(position.lon, position.lat) : null,
    evidence,
  };
}

/** A missing person's (실종자) car was read: always critical. */
function missingHitDetection(
  row: TopicRow<'missing_person_detection'>,
  person: TopicRow<'missing_person_info'>,
  plate: string,
  ctx: Pick<RuleContext, 'vehicleOfPlate' | 'placeAt'>,
): Detection {
  const vehicle = ctx.vehicleOfPlate(plate);
  const position =
    detectedPosition(row.detected_lon, row.detected_lat) ?? vehicle?.position ?? null;
  const age = person.age;
  const evidence: MissingPersonEvidence = {
    type: 'MISSING_PERSON_HIT',
    detectionId: row.detection_id,
    imageId: row.image_id,
    missingId: person.missing_id,
    name: clip(person.name),
    age,
    ageBand: ageBand(age),
    sex: person.sex,
    description: clip(person.description),
    reportedAtMs: person.reported_at,
  };
  return {
    sourceId: `missing_person_detection:${row.detection_id}`,
    type: 'MISSING_PERSON_HIT',
    severity: MISSING_PERSON_SEVERITY,
    atMs: row.detected_time,
    vehicleKey: vehicle ? `car:${vehicle.carId}` : `plate:${plate}`,
    carId: vehicle?.carId ?? null,
    plate,
    position,
    place: position ? ctx.placeAt(position.lon, position.lat) : null,
    evidence,
  };
}

function detectedPosition(
  lon: number | null | undefined,
  lat: number | null | undefined,
): Position | null {
  return lon === null || lon === undefined || lat === null || lat === undefined
    ? null
    : { lon, lat };
}

function clip(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return trimmed.length > MAX_EVIDENCE_TEXT ? trimmed.slice(0, MAX_EVIDENCE_TEXT) : trimmed;
}
