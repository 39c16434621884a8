/** `POST /api/auth/login` (rate limited per client address) and `GET /api/auth/me`. */
import type { FastifyInstance } from 'fastify';
import { loginRequestSchema, type LoginResponse, type MeResponse } from '../../shared/auth';
import { HTTP, zodMessage } from '../domain/outcome';
import { sendError } from './reply-error';

const RATE_WINDOW = '1 minute';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/api/auth/login',
    {
      config: {
        rateLimit: { max: app.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: RATE_WINDOW },
      },
    },
    async (request, reply) => {
      const parsed = loginRequestSchema.safeParse(request.body);
      if (!parsed.success) {
        return sendError(reply, {
          status: HTTP.badRequest,
          code: 'bad_request',
          message: zodMessage(parsed.error),
        });
      }
      const result = await app.users.login(parsed.data.username, parsed.data.password, {
        ip: request.ip,
      });
      if (!result.ok) return sendError(reply, result.error);
      return result.value satisfies LoginResponse;
    },
  );

  app.get('/api/auth/me', { onRequest: app.authorize() }, async (request) => {
    return { user: request.user! } satisfies MeResponse;
  });
}
