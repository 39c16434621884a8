/**
 * `GET /api/audit` (paged: `before`, `nextBefore`) and `GET /api/audit.csv` (supervisors and admins;
 * the export is audited too). Both filter by entity, actor, action and time (`from`, `to`).
 */
import type { FastifyInstance } from 'fastify';
import { auditQuerySchema, type AuditListResponse } from '../../shared/audit';
import { auditCsv, CSV_CONTENT_TYPE } from '../alerts/csv';
import { HTTP, zodMessage } from '../domain/outcome';
import { authorize } from '../domain/permissions';
import { appendAudit, listAudit, listAuditPage } from '../store/audit-repository';
import { sendError } from './reply-error';

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/audit', { onRequest: app.authorize('audit.view') }, async (request, reply) => {
    const query = auditQuerySchema.safeParse(request.query);
    if (!query.success) {
      return sendError(reply, {
        status: HTTP.badRequest,
        code: 'bad_request',
        message: zodMessage(query.error),
      });
    }
    return (await listAuditPage(app.store.db, query.data)) satisfies AuditListResponse;
  });

  app.get('/api/audit.csv', { onRequest: app.authorize('audit.view') }, async (request, reply) => {
    const user = request.user!;
    const refused = authorize(user.role, 'export.csv');
    if (refused) return sendError(reply, refused);
    const query = auditQuerySchema.safeParse(request.query);
    if (!query.success) {
      return sendError(reply, {
        status: HTTP.badRequest,
        code: 'bad_request',
        message: zodMessage(query.error),
      });
    }
    const events = await listAudit(app.store.db, query.data);
    await appendAudit(app.store.db, {
      atMs: Date.now(),
      actor: user.username,
      actorRole: user.role,
      action: 'export.csv',
      entityType: 'export',
      entityId: 'audit',
      after: { filters: request.query, rows: events.length },
    });
    app.metrics.alertChanges.inc({ action: 'export.csv' });
    return reply
      .type(CSV_CONTENT_TYPE)
      .header('Content-Disposition', `attachment; filename="audit-${Date.now()}.csv"`)
      .send(auditCsv(events));
  });
}
