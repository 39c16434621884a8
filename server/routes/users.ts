/**
 * User administration (admins): `GET/POST /api/users`, `PATCH /api/users/:username` (role,
 * disabled, password), `POST/DELETE /api/users/:username/device-token` (a wall's credential); and
 * `GET /api/assignees` for whoever may assign alerts. Every change is audited and goes through the
 * command limiter like every other state-changing route.
 */
import type { FastifyInstance } from 'fastify';
import type {
  AssigneeListResponse,
  DeviceTokenResponse,
  UserListResponse,
  UserResponse,
} from '../../shared/auth';
import { can } from '../../shared/roles';
import { restCommandAdmission } from '../limits/command-limiter';
import { sendError } from './reply-error';
import { sessionRoutes } from './sessions';

const CREATED = 201;
const MS_PER_DAY = 24 * 60 * 60 * 1000;

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const admitCommand = restCommandAdmission(() => app.commandLimiter);
  const manage = { onRequest: app.authorize('users.manage'), preHandler: admitCommand };
  // Who is signed in where belongs to the same admin screen.
  await sessionRoutes(app);

  app.get('/api/users', { onRequest: app.authorize('users.manage') }, async () => {
    return { users: await app.users.list() } satisfies UserListResponse;
  });

  app.post('/api/users', manage, async (request, reply) => {
    const result = await app.users.create(request.user!, request.body);
    if (!result.ok) return sendError(reply, result.error);
    return reply.code(CREATED).send({ user: result.value } satisfies UserResponse);
  });

  app.patch<{ Params: { username: string } }>(
    '/api/users/:username',
    manage,
    async (request, reply) => {
      const username = request.params.username.toLowerCase();
      const result = await app.users.update(request.user!, username, request.body);
      if (!result.ok) return sendError(reply, result.error);
      return { user: result.value } satisfies UserResponse;
    },
  );

  app.post<{ Params: { username: string } }>(
    '/api/users/:username/device-token',
    manage,
    async (request, reply) => {
      const ttlMs = app.config.DEVICE_TOKEN_TTL_DAYS * MS_PER_DAY;
      const result = await app.users.issueDeviceToken(
        request.user!,
        request.params.username.toLowerCase(),
        ttlMs,
      );
      if (!result.ok) return sendError(reply, result.error);
      return reply.code(CREATED).send(result.value satisfies DeviceTokenResponse);
    },
  );

  // Revokes every credential of the account (and closes its live sockets): for a wall that was
  // lost, moved, or had its address shared.
  app.delete<{ Params: { username: string } }>(
    '/api/users/:username/device-token',
    manage,
    async (request, reply) => {
      const result = await app.users.revokeTokens(
        request.user!,
        request.params.username.toLowerCase(),
      );
      if (!result.ok) return sendError(reply, result.error);
      return { user: result.value } satisfies UserResponse;
    },
  );

  app.get('/api/assignees', { onRequest: app.authorize('alert.assign') }, async () => {
    const assignees = (await app.users.list())
      .filter((u) => !u.disabled && can(u.role, 'alert.claim'))
      .map((u) => ({ username: u.username, role: u.role }));
    return { assignees } satisfies AssigneeListResponse;
  });
}
