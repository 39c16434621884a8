/**
 * People and permissions: the users table, login tokens, the first admin, and the `authorize`
 * hook every API route uses. The first start (no users yet) creates `admin` with ADMIN_PASSWORD,
 * or with a generated password printed once.
 */
import fp from 'fastify-plugin';
import { authorize as checkRole } from '../domain/permissions';
import { HTTP } from '../domain/outcome';
import { createTokenService } from '../auth/tokens';
import { FIRST_ADMIN_USERNAME } from '../../shared/auth';
import { UserService } from '../auth/user-service';
import { TwoFactorService } from '../auth/two-factor-service';
import { sendError } from '../routes/reply-error';

declare module 'fastify' {
  interface FastifyInstance {
    /** Two-factor sign-in (TOTP): enrolment, the code step, reset (server/auth/two-factor-service.ts). */
    twoFactor: TwoFactorService;
  }
}

const MS_PER_HOUR = 3_600_000;
const BEARER = /^Bearer\s+(\S+)$/i;

export default fp(
  async (app) => {
    const tokens = createTokenService({
      secret: app.config.JWT_SECRET,
      ttlMs: app.config.AUTH_TOKEN_TTL_HOURS * MS_PER_HOUR,
    });
    if (tokens.ephemeral) {
      app.log.warn(
        'JWT_SECRET is not set: tokens are signed with a per-start secret (log in again after a restart)',
      );
    }
    const users = new UserService(app.store.db, tokens);
    const twoFactor = new TwoFactorService({
      db: app.store.db,
      tokens,
      requiredRoles: app.config.TOTP_REQUIRED_ROLES,
      secretKey: app.config.TOTP_SECRET_KEY,
      completeLogin: (user, origin, secondFactor) =>
        users.completeLogin(user, origin, secondFactor),
    });
    users.useTwoFactor(twoFactor);
    if (app.config.TOTP_SECRET_KEY === undefined && app.config.TOTP_REQUIRED_ROLES.length > 0) {
      app.log.warn(
        'TOTP_SECRET_KEY is not set: two-factor secrets are stored unencrypted (never sent back after enrolment)',
      );
    }
    const first = await users.ensureFirstAdmin(app.config.ADMIN_PASSWORD);
    if (first.created && first.generatedPassword !== null) {
      // Once, on stdout (not the log, which may be filtered or shipped): whoever started the relay
      // must see it, and it is never shown again.
      process.stdout.write(
        `초기 관리자 계정이 생성되었습니다 / First admin created — 사용자 username: ${FIRST_ADMIN_USERNAME}  ` +
          `비밀번호 password: ${first.generatedPassword}  ` +
          `(이 비밀번호는 다시 표시되지 않습니다 / shown only this once; change it after logging in)\n`,
      );
    } else if (first.created) {
      app.log.info({ username: FIRST_ADMIN_USERNAME }, 'first admin created from ADMIN_PASSWORD');
    }

    app.decorate('tokens', tokens);
    app.decorate('users', users);
    app.decorate('twoFactor', twoFactor);
    app.decorateRequest('user', null);
    app.decorate('authorize', (action) => async (request, reply) => {
      const match = BEARER.exec(request.headers.authorization ?? '');
      const user = match ? await users.authenticate(match[1]!) : null;
      if (!user) {
        return sendError(reply, {
          status: HTTP.unauthorized,
          code: 'unauthorized',
          message: match
            ? 'invalid or expired token, the user is disabled, or the password was changed: log in again'
            : 'log in first: send Authorization: Bearer <token> from POST /api/auth/login',
        });
      }
      request.user = { username: user.username, role: user.role };
      const refused = action ? checkRole(user.role, action) : null;
      if (refused) return sendError(reply, refused);
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
