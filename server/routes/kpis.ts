/** `GET /api/kpis`: the seed KPIs beside their targets and the pipeline's health (shared/kpis.ts). */
import type { FastifyInstance } from 'fastify';
import type { KpiReport } from '../../shared/kpis';

export async function kpiRoutes(app: FastifyInstance): Promise<void> {
  // Every logged-in role, walls included: the figures hold no personal data.
  app.get('/api/kpis', { onRequest: app.authorize('alert.view') }, async (): Promise<KpiReport> =>
    app.pipelineHealth.report(Date.now()),
  );
}
