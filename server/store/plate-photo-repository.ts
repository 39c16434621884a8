/**
 * Plate photos and the reads behind an alert: `vehicle_exterior_image` (the upstream fills it;
 * the embedded simulator writes generated ones) by `image_id`, and an alert's reads through its
 * alert sources (`arrears_detection:<id>` / `missing_person_detection:<id>`) and the detection rows.
 */
import type { Kysely } from 'kysely';
import { parseTimestamp } from '../../shared/time';
import type { Database } from './schema';

/** A merged alert can hold hundreds of reads; the strip shows the newest this many. */
export const MAX_READS_PER_ALERT = 24;

export interface AlertRead {
  detectionId: string;
  imageId: string | null;
  /** The plate as the camera read it (the original text, never the normal form). */
  plateText: string | null;
  success: boolean;
  detectedMs: number | null;
}

const DETECTION_TABLES = {
  arrears_detection: 'arrears_detection',
  missing_person_detection: 'missing_person_detection',
} as const;
type DetectionTable = keyof typeof DETECTION_TABLES;

export async function readPlatePhotoBase64(
  db: Kysely<Database>,
  imageId: string,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('vehicle_exterior_image')
    .select('image_base64')
    .where('image_id', '=', imageId)
    .executeTakeFirst();
  return row === undefined ? undefined : row.image_base64;
}

/** The reads merged into an alert, newest first. */
export async function listAlertReads(db: Kysely<Database>, alertId: number): Promise<AlertRead[]> {
  const sources = await db
    .selectFrom('alert_source')
    .select('source_id')
    .where('alert_id', '=', alertId)
    .execute();
  const idsByTable = new Map<DetectionTable, string[]>();
  for (const { source_id } of sources) {
    const colon = source_id.indexOf(':');
    const table = source_id.slice(0, colon);
    if (!(table in DETECTION_TABLES)) continue;
    const ids = idsByTable.get(table as DetectionTable) ?? [];
    ids.push(source_id.slice(colon + 1));
    idsByTable.set(table as DetectionTable, ids);
  }
  const reads: AlertRead[] = [];
  for (const [table, ids] of idsByTable) {
    const rows = await db
      .selectFrom(table)
      .select([
        'detection_id',
        'image_id',
        'car_plate_number',
        'detection_success',
        'detected_time',
      ])
      .where('detection_id', 'in', ids)
      .execute();
    for (const row of rows) {
      reads.push({
        detectionId: row.detection_id,
        imageId: row.image_id,
        plateText: row.car_plate_number,
        success: Number(row.detection_success) === 1,
        detectedMs: parseTimestamp(row.detected_time),
      });
    }
  }
  reads.sort((a, b) => (b.detectedMs ?? 0) - (a.detectedMs ?? 0));
  return reads.slice(0, MAX_READS_PER_ALERT);
}
