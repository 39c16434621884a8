/**
 * The camera evidence of a plate hit: `GET /api/alerts/:id/reads` lists the reads merged into an
 * alert (newest first, as read), each with the address of its photo,
 * `GET /api/alerts/:id/photos/:imageId` (the bytes; audited, never in socket events). Viewers
 * and walls get 403 for both.
 */

export interface AlertReadView {
  detectionId: string;
  /** The plate as the camera read it (original text). */
  plateText: string | null;
  success: boolean;
  detectedMs: number | null;
  /** OCR confidence 0–1 where the message carried one (the latest read's, from the alert). */
  ocrConfidence: number | null;
  imageId: string | null;
  /** Same-origin path of the photo (fetch it with the bearer token), null without an image. */
  photoPath: string | null;
}

export interface AlertReadsResponse {
  reads: AlertReadView[];
}

export function platePhotoPath(alertId: number, imageId: string): string {
  return `/api/alerts/${alertId}/photos/${encodeURIComponent(imageId)}`;
}
