/**
 * The camera evidence of a plate hit (issue 15): an alert's reads and each read's plate photo.
 * Operators and up only (walls and viewers get 403); every photo opened is audited like an
 * unmask (who, which alert, which image). Photos never travel in socket events: the client fetches
 * them here with its token and shows them as blob: URLs (same origin, inside the page's CSP).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { alertIdSchema } from '../../shared/alerts';
import {
  platePhotoPath,
  type AlertReadsResponse,
  type AlertReadView,
} from '../../shared/plate-photos';
import { HTTP, zodMessage } from '../domain/outcome';
import { decodePlatePhoto, etagMatches, MAX_PLATE_PHOTO_BYTES } from '../domain/plate-photo';
import { appendAudit } from '../store/audit-repository';
import { listAlertReads, readPlatePhotoBase64 } from '../store/plate-photo-repository';
import { sendError } from './reply-error';

/** The browser may keep a photo this long for the same user (it never changes for an image id). */
const PHOTO_MAX_AGE_S = 300;
/**
 * An SVG opened on its own is a document: no scripts, no external loads, sandboxed. Shown through
 * an <img>, it never runs anything anyway.
 */
const PHOTO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
const PLATE_HIT_TYPES = new Set(['ARREARS_HIT', 'MISSING_PERSON_HIT']);

type AlertParams = { Params: { id: string } };
type PhotoParams = { Params: { id: string; imageId: string } };

function parseId(reply: FastifyReply, raw: string): number | null {
  const parsed = alertIdSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  sendError(reply, {
    status: HTTP.badRequest,
    code: 'bad_request',
    message: zodMessage(parsed.error),
  });
  return null;
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return sendError(reply, { status: HTTP.notFound, code: 'not_found', message });
}

export async function platePhotoRoutes(app: FastifyInstance): Promise<void> {
  app.get<AlertParams>(
    '/api/alerts/:id/reads',
    { onRequest: app.authorize('alert.photo') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const alert = await app.alerts.get(id);
      if (!alert) return notFound(reply, `no alert ${id}`);
      if (!PLATE_HIT_TYPES.has(alert.type)) return { reads: [] } satisfies AlertReadsResponse;
      const evidence = alert.evidence;
      const latest =
        evidence.type === 'ARREARS_HIT' || evidence.type === 'MISSING_PERSON_HIT'
          ? evidence.detectionId
          : null;
      const confidence = evidence.type === 'ARREARS_HIT' ? evidence.ocrConfidence : null;
      const reads: AlertReadView[] = (await listAlertReads(app.store.db, id)).map((r) => ({
        detectionId: r.detectionId,
        plateText: r.plateText,
        success: r.success,
        detectedMs: r.detectedMs,
        ocrConfidence: r.detectionId === latest ? confidence : null,
        imageId: r.imageId,
        photoPath: r.imageId === null ? null : platePhotoPath(id, r.imageId),
      }));
      return { reads } satisfies AlertReadsResponse;
    },
  );

  app.get<PhotoParams>(
    '/api/alerts/:id/photos/:imageId',
    { onRequest: app.authorize('alert.photo') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const imageId = request.params.imageId;
      const alert = await app.alerts.get(id);
      if (!alert) return notFound(reply, `no alert ${id}`);
      // Only the photos of this alert's own reads: the endpoint is not a browser of all images.
      const reads = await listAlertReads(app.store.db, id);
      if (!reads.some((r) => r.imageId === imageId)) {
        return notFound(reply, `alert ${id} has no read with image ${imageId}`);
      }
      const base64 = await readPlatePhotoBase64(app.store.db, imageId);
      if (base64 === undefined) {
        return notFound(
          reply,
          `the photo ${imageId} is gone from the store (vehicle_exterior_image): it may have been purged`,
        );
      }
      const photo = decodePlatePhoto(base64);
      if (!photo.ok) {
        if (photo.reason === 'too_large') {
          return sendError(reply, {
            status: 413,
            code: 'payload_too_large',
            message: `the photo ${imageId} is larger than ${MAX_PLATE_PHOTO_BYTES} bytes and is not served`,
          });
        }
        return notFound(
          reply,
          photo.reason === 'empty'
            ? `the photo ${imageId} has no image data`
            : `the photo ${imageId} is not an image the relay can serve (${photo.reason})`,
        );
      }
      const user = request.user!;
      await appendAudit(app.store.db, {
        atMs: Date.now(),
        actor: user.username,
        actorRole: user.role,
        action: 'alert.photo',
        entityType: 'alert',
        entityId: String(id),
        after: { imageId },
      });
      reply
        .header('ETag', photo.etag)
        .header('Cache-Control', `private, max-age=${PHOTO_MAX_AGE_S}`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', PHOTO_CSP)
        .header('Vary', 'Authorization');
      if (etagMatches(request.headers['if-none-match'], photo.etag)) return reply.code(304).send();
      return reply.type(photo.contentType).send(photo.bytes);
    },
  );
}
