/**
 * POST/GET /api/sim/scenario where the source is Kafka: 409 with the reason, before the body is
 * even looked at (the route on a bare Fastify instance; the sign-in check is the relay's own and
 * is tested with the whole relay in test/integration/scenario-relay.test.ts).
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { scenarioRoutes } from '../../../server/routes/scenarios';

describe('scenario endpoint on a Kafka relay', () => {
  it('answers 409 naming the source', async () => {
    const app = Fastify();
    app.decorate('source', { kind: 'kafka', lag: () => ({ total: 0, byPartition: [] }) });
    app.decorate('authorize', () => async (request: { user: unknown }) => {
      request.user = { username: 'admin', role: 'admin' };
    });
    app.decorateRequest('user', null);
    await app.register(scenarioRoutes);
    for (const method of ['GET', 'POST'] as const) {
      const response = await app.inject({
        method,
        url: '/api/sim/scenario',
        ...(method === 'POST' ? { payload: { version: 1, name: 'x', events: [] } } : {}),
      });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: {
          code: 'conflict',
          message: "scenarios play only with the embedded simulator; this relay's source is kafka",
        },
      });
    }
    await app.close();
  });
});
