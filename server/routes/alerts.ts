/**
 * The alert inbox over REST (DESIGN §6): list, detail, an alert's comments page by page, the
 * lifecycle commands (rate-limited per user, 429 with Retry-After), a supervisor's bulk
 * acknowledgement, the audited unmask, and the CSV export. Every payload is masked (server/domain/masking.ts); only unmask reveals.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ALERT_COMMAND_NAMES,
  alertCommentPageQuerySchema,
  alertIdSchema,
  alertListQuerySchema,
  type AlertCommentPage,
  type AlertListResponse,
  type AlertResponse,
  type BulkAckResponse,
  type UnmaskResponse,
} from '../../shared/alerts';
import type { ApiError } from '../../shared/errors';
import { alertsCsv, CSV_CONTENT_TYPE } from '../alerts/csv';
import { maskAlert } from '../domain/masking';
import { HTTP, zodMessage } from '../domain/outcome';
import { COMMAND_ACTIONS } from '../domain/permissions';
import { restCommandAdmission } from '../limits/command-limiter';
import { appendAudit } from '../store/audit-repository';
import { sendError } from './reply-error';

type IdParams = { Params: { id: string } };

const badRequest = (message: string): ApiError => ({
  status: HTTP.badRequest,
  code: 'bad_request',
  message,
});

function parseId(reply: FastifyReply, raw: string): number | null {
  const parsed = alertIdSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  sendError(reply, badRequest(zodMessage(parsed.error)));
  return null;
}

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  const admitCommand = restCommandAdmission(() => app.commandLimiter);
  app.get('/api/alerts', { onRequest: app.authorize('alert.view') }, async (request, reply) => {
    const query = alertListQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, badRequest(zodMessage(query.error)));
    const alerts = await app.alerts.list(query.data);
    return { alerts: alerts.map(maskAlert) } satisfies AlertListResponse;
  });

  app.get('/api/alerts.csv', { onRequest: app.authorize('export.csv') }, async (request, reply) => {
    const query = alertListQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, badRequest(zodMessage(query.error)));
    const alerts = (await app.alerts.list(query.data)).map(maskAlert);
    const user = request.user!;
    await appendAudit(app.store.db, {
      atMs: Date.now(),
      actor: user.username,
      actorRole: user.role,
      action: 'export.csv',
      entityType: 'export',
      entityId: 'alerts',
      after: { filters: request.query, rows: alerts.length },
    });
    app.metrics.alertChanges.inc({ action: 'export.csv' });
    return reply
      .type(CSV_CONTENT_TYPE)
      .header('Content-Disposition', `attachment; filename="alerts-${Date.now()}.csv"`)
      .send(alertsCsv(alerts));
  });

  app.get<IdParams>(
    '/api/alerts/:id',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const alert = await app.alerts.get(id);
      if (!alert) {
        return sendError(reply, {
          status: HTTP.notFound,
          code: 'not_found',
          message: `no alert ${id}`,
        });
      }
      return { alert: maskAlert(alert) } satisfies AlertResponse;
    },
  );

  app.get<IdParams>(
    '/api/alerts/:id/comments',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const query = alertCommentPageQuerySchema.safeParse(request.query);
      if (!query.success) return sendError(reply, badRequest(zodMessage(query.error)));
      const page = await app.alerts.comments(id, query.data);
      if (!page.ok) return sendError(reply, page.error);
      return page.value satisfies AlertCommentPage;
    },
  );

  // One request, one admission: the limiter counts what a person sends, and a bulk acknowledgement
  // is one decision (capped at MAX_BULK_ACK alerts by its schema).
  app.post(
    '/api/alerts/ack-bulk',
    { onRequest: app.authorize('alert.ack'), preHandler: admitCommand },
    async (request, reply) => {
      const result = await app.alerts.acknowledgeMany(request.user!, request.body);
      if (!result.ok) return sendError(reply, result.error);
      const { results, acknowledged, refused } = result.value;
      return {
        results: results.map((item) =>
          item.ok ? { ...item, alert: maskAlert(item.alert) } : item,
        ),
        acknowledged,
        refused,
      } satisfies BulkAckResponse;
    },
  );

  for (const name of ALERT_COMMAND_NAMES) {
    app.post<IdParams>(
      `/api/alerts/:id/${name}`,
      // The matrix check runs before the body is read: a role that may not gets 403, not 400.
      { onRequest: app.authorize(COMMAND_ACTIONS[name]), preHandler: admitCommand },
      async (request, reply) => {
        const id = parseId(reply, request.params.id);
        if (id === null) return reply;
        const result = await app.alerts.command(request.user!, name, id, request.body);
        if (!result.ok) return sendError(reply, result.error);
        return { alert: maskAlert(result.value) } satisfies AlertResponse;
      },
    );
  }

  app.post<IdParams>(
    '/api/alerts/:id/unmask',
    { onRequest: app.authorize('pii.unmask'), preHandler: admitCommand },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const result = await app.alerts.unmask(request.user!, id);
      if (!result.ok) return sendError(reply, result.error);
      return { alert: result.value } satisfies UnmaskResponse;
    },
  );
}
