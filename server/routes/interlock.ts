/**
 * Interlock violations and TCS hand-offs over REST (DESIGN §6). Reading needs `alert.view`
 * (every role, walls included); asking for a hand-off `dispatch.request` (operators and up);
 * approving, retrying and taking over `dispatch.approve` (supervisors and admins). Violations are
 * masked in every answer except the audited unmask.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiError } from '../../shared/errors';
import {
  type Dispatch,
  dispatchListQuerySchema,
  entityIdSchema,
  violationListQuerySchema,
  type DispatchListResponse,
  type DispatchResponse,
  type DispatchStats,
  type RequestDispatchResponse,
  type ViolationListResponse,
  type ViolationResponse,
} from '../../shared/interlock';
import { maskViolation } from '../domain/interlock-masking';
import { HTTP, zodMessage, type Outcome } from '../domain/outcome';
import type { Actor } from '../domain/permissions';
import { sendError } from './reply-error';
import { restCommandAdmission } from '../limits/command-limiter';

type IdParams = { Params: { id: string } };
type DispatchCommand = (actor: Actor, id: number, body: unknown) => Promise<Outcome<Dispatch>>;

const badRequest = (message: string): ApiError => ({
  status: HTTP.badRequest,
  code: 'bad_request',
  message,
});

function parseId(reply: FastifyReply, raw: string): number | null {
  const parsed = entityIdSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  sendError(reply, badRequest(zodMessage(parsed.error)));
  return null;
}

const HTTP_CREATED = 201;

export async function interlockRoutes(app: FastifyInstance): Promise<void> {
  const admitCommand = restCommandAdmission(() => app.commandLimiter);
  app.get('/api/violations', { onRequest: app.authorize('alert.view') }, async (request, reply) => {
    const query = violationListQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, badRequest(zodMessage(query.error)));
    const violations = await app.interlock.list(query.data);
    return { violations: violations.map(maskViolation) } satisfies ViolationListResponse;
  });

  app.get<IdParams>(
    '/api/violations/:id',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const violation = await app.interlock.get(id);
      if (!violation) {
        return sendError(reply, {
          status: HTTP.notFound,
          code: 'not_found',
          message: `no violation ${id}`,
        });
      }
      return { violation: maskViolation(violation) } satisfies ViolationResponse;
    },
  );

  app.post<IdParams>(
    '/api/violations/:id/unmask',
    { onRequest: app.authorize('pii.unmask'), preHandler: admitCommand },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const result = await app.interlock.unmask(request.user!, id);
      if (!result.ok) return sendError(reply, result.error);
      return { violation: result.value } satisfies ViolationResponse;
    },
  );

  app.post<IdParams>(
    '/api/violations/:id/dispatch',
    // The matrix check runs before the body is read: a role that may not gets 403, not 400.
    { onRequest: app.authorize('dispatch.request'), preHandler: admitCommand },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const result = await app.tcs.request(request.user!, id, request.body);
      if (!result.ok) return sendError(reply, result.error);
      const answer: RequestDispatchResponse = {
        dispatch: result.value.dispatch,
        violation: maskViolation(result.value.violation),
      };
      return reply.code(HTTP_CREATED).send(answer);
    },
  );

  app.get('/api/dispatches', { onRequest: app.authorize('alert.view') }, async (request, reply) => {
    const query = dispatchListQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, badRequest(zodMessage(query.error)));
    return {
      dispatches: await app.tcs.list(query.data),
      tcs: app.tcs.status(),
    } satisfies DispatchListResponse;
  });

  app.get('/api/dispatches/stats', { onRequest: app.authorize('alert.view') }, async () => {
    return (await app.tcs.stats()) satisfies DispatchStats;
  });

  app.get<IdParams>(
    '/api/dispatches/:id',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const id = parseId(reply, request.params.id);
      if (id === null) return reply;
      const dispatch = await app.tcs.get(id);
      if (!dispatch) {
        return sendError(reply, {
          status: HTTP.notFound,
          code: 'not_found',
          message: `no dispatch ${id}`,
        });
      }
      return { dispatch } satisfies DispatchResponse;
    },
  );

  const commands: Record<'approve' | 'retry' | 'takeover', DispatchCommand> = {
    approve: (actor, id, body) => app.tcs.approve(actor, id, body),
    retry: (actor, id, body) => app.tcs.retry(actor, id, body),
    takeover: (actor, id, body) => app.tcs.takeover(actor, id, body),
  };

  for (const [name, run] of Object.entries(commands)) {
    app.post<IdParams>(
      `/api/dispatches/:id/${name}`,
      { onRequest: app.authorize('dispatch.approve'), preHandler: admitCommand },
      async (request, reply) => {
        const id = parseId(reply, request.params.id);
        if (id === null) return reply;
        const result = await run(request.user!, id, request.body);
        if (!result.ok) return sendError(reply, result.error);
        return { dispatch: result.value } satisfies DispatchResponse;
      },
    );
  }
}
