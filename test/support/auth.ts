/** Logging in from tests: the relay refuses sockets and API calls without a token. */
import type { FastifyInstance } from 'fastify';
import type { LoginResponse } from '../../shared/auth';

/** What test relays get as ADMIN_PASSWORD, so tests can log in as `admin`. */
export const TEST_ADMIN_PASSWORD = 'test-chief-passphrase';

export async function loginToken(
  app: FastifyInstance,
  username = 'admin',
  password = TEST_ADMIN_PASSWORD,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<LoginResponse>().token;
}
