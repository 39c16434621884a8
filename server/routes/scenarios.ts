/**
 * QA scenarios at run time (docs/TESTING.md): `POST /api/sim/scenario` (admins) starts a scenario
 * now, replacing the one playing; `GET /api/sim/scenario` shows what has fired, with offsets.
 * Only the embedded simulator plays scenarios: on Kafka both answer 409 with the reason. A load is
 * audited (who, which scenario, how many events).
 */
import type { FastifyInstance } from 'fastify';
import type { ScenarioStatusResponse } from '../../shared/scenarios';
import { appendAudit } from '../store/audit-repository';
import { HTTP } from '../domain/outcome';
import { checkScenario } from '../sim/scenario-file';
import { sendError } from './reply-error';

/** A scenario file of a thousand events is far below this. */
const MAX_SCENARIO_BODY_BYTES = 1024 * 1024;

export async function scenarioRoutes(app: FastifyInstance): Promise<void> {
  const notHere = {
    status: HTTP.conflict,
    code: 'conflict' as const,
    message: `scenarios play only with the embedded simulator; this relay's source is ${app.source.kind}`,
  };

  app.get(
    '/api/sim/scenario',
    { onRequest: app.authorize('settings.manage') },
    async (_r, reply) => {
      if (!app.scenarios) return sendError(reply, notHere);
      return app.scenarios.status(Date.now()) satisfies ScenarioStatusResponse;
    },
  );

  app.post(
    '/api/sim/scenario',
    { onRequest: app.authorize('settings.manage'), bodyLimit: MAX_SCENARIO_BODY_BYTES },
    async (request, reply) => {
      const player = app.scenarios;
      if (!player) return sendError(reply, notHere);
      const loaded = checkScenario(request.body);
      if (typeof loaded === 'string') {
        return sendError(reply, { status: HTTP.badRequest, code: 'bad_request', message: loaded });
      }
      const refusal = player.refusal(loaded);
      if (refusal) return sendError(reply, { ...notHere, message: refusal });
      const now = Date.now();
      const user = request.user!;
      await appendAudit(app.store.db, {
        atMs: now,
        actor: user.username,
        actorRole: user.role,
        action: 'scenario.load',
        entityType: 'scenario',
        entityId: loaded.scenario.name,
        after: {
          name: loaded.scenario.name,
          events: loaded.scenario.events.map((e) => ({ at: e.at, type: e.type })),
          randomEvents: loaded.scenario.randomEvents ?? null,
        },
      });
      player.load(loaded, now);
      return player.status(now) satisfies ScenarioStatusResponse;
    },
  );
}
