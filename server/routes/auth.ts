/**
 * Sign-in: `POST /api/auth/login` (the password; rate limited per client address, shared across
 * relays through Redis) and, where two-factor sign-in applies, `POST /api/auth/login/totp` (the
 * code, under the same limit); `GET /api/auth/me`; TOTP enrolment, status and turning it off for
 * oneself; an admin's reset of a user's TOTP.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loginRequestSchema, type MeResponse } from '../../shared/auth';
import type {
  LoginResult,
  TotpConfirmResponse,
  TotpEnrolment,
  TotpStatus,
} from '../../shared/two-factor';
import type { LoginResponse } from '../../shared/auth';
import { HTTP, zodMessage } from '../domain/outcome';
import type { Actor } from '../domain/permissions';
import { sendError } from './reply-error';

const RATE_WINDOW = '1 minute';
const BEARER = /^Bearer\s+\S+$/i;

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const loginLimit = {
    config: {
      rateLimit: { max: app.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: RATE_WINDOW },
    },
  };

  app.post('/api/auth/login', loginLimit, async (request, reply) => {
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
    return result.value satisfies LoginResult;
  });

  // The code guesses of one address count against the same limit as its password guesses.
  app.post('/api/auth/login/totp', loginLimit, async (request, reply) => {
    const result = await app.twoFactor.login(request.body, { ip: request.ip });
    if (!result.ok) return sendError(reply, result.error);
    return result.value satisfies LoginResponse;
  });

  app.get('/api/auth/me', { onRequest: app.authorize() }, async (request) => {
    return { user: request.user! } satisfies MeResponse;
  });

  app.get('/api/auth/totp', { onRequest: app.authorize() }, async (request) => {
    return (await app.twoFactor.status(request.user!)) satisfies TotpStatus;
  });

  /**
   * Enrolment is open to the signed-in user (Bearer) and, at a sign-in that requires it, to the
   * holder of the `enrol` ticket (in the body; no session exists yet).
   */
  const authorizeSession = app.authorize();
  const sessionOrTicket = async (
    request: FastifyRequest,
    reply: Parameters<typeof sendError>[0],
  ): Promise<void> => {
    if (BEARER.test(request.headers.authorization ?? '')) {
      await authorizeSession.call(app, request, reply);
    }
  };

  app.post(
    '/api/auth/totp/enrol',
    { ...loginLimit, onRequest: sessionOrTicket },
    async (request, reply) => {
      const result = await app.twoFactor.enrol(actorOf(request), request.body ?? {});
      if (!result.ok) return sendError(reply, result.error);
      return result.value satisfies TotpEnrolment;
    },
  );

  app.post(
    '/api/auth/totp/confirm',
    { ...loginLimit, onRequest: sessionOrTicket },
    async (request, reply) => {
      const result = await app.twoFactor.confirm(actorOf(request), request.body ?? {}, {
        ip: request.ip,
      });
      if (!result.ok) return sendError(reply, result.error);
      return result.value satisfies TotpConfirmResponse;
    },
  );

  app.post(
    '/api/auth/totp/disable',
    { ...loginLimit, onRequest: app.authorize() },
    async (request, reply) => {
      const result = await app.twoFactor.disable(request.user!, request.body ?? {});
      if (!result.ok) return sendError(reply, result.error);
      return result.value satisfies TotpStatus;
    },
  );

  app.post<{ Params: { username: string } }>(
    '/api/users/:username/totp/reset',
    { onRequest: app.authorize('users.manage') },
    async (request, reply) => {
      const result = await app.twoFactor.reset(request.user!, request.params.username);
      if (!result.ok) return sendError(reply, result.error);
      return result.value satisfies TotpStatus;
    },
  );
}

function actorOf(request: FastifyRequest): Actor | null {
  return request.user ?? null;
}
