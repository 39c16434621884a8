/**
 * The interlock registry over REST (shared/registry.ts, docs/INTERLOCK-REGISTRY.md). Listing needs
 * `alert.view` (subjects are masked in every answer, as violations are); importing a registry file
 * and refreshing from the interlock system's tables need `settings.manage` (admins) and are
 * audited. The import's body is the CSV file itself (`text/csv`), at most 10 MB.
 */
import type { FastifyInstance } from 'fastify';
import {
  MAX_REGISTRY_CSV_BYTES,
  type RegistryDeviceListResponse,
  type RegistrySubjectListResponse,
} from '../../shared/registry';
import { restCommandAdmission } from '../limits/command-limiter';
import { sendError } from './reply-error';

export async function registryRoutes(app: FastifyInstance): Promise<void> {
  const admitCommand = restCommandAdmission(() => app.commandLimiter);
  // Scoped to these routes (this plugin is not wrapped with fastify-plugin).
  app.addContentTypeParser(
    ['text/csv', 'text/plain', 'application/csv'],
    { parseAs: 'string', bodyLimit: MAX_REGISTRY_CSV_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get('/api/registry/status', { onRequest: app.authorize('alert.view') }, async () =>
    app.registry.status(),
  );

  app.get(
    '/api/registry/subjects',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const result = await app.registry.listSubjects(request.query);
      if (!result.ok) return sendError(reply, result.error);
      return { subjects: result.value } satisfies RegistrySubjectListResponse;
    },
  );

  app.get(
    '/api/registry/devices',
    { onRequest: app.authorize('alert.view') },
    async (request, reply) => {
      const result = await app.registry.listDevices(request.query);
      if (!result.ok) return sendError(reply, result.error);
      return { devices: result.value } satisfies RegistryDeviceListResponse;
    },
  );

  app.post(
    '/api/registry/refresh',
    { onRequest: app.authorize('settings.manage'), preHandler: admitCommand },
    async (request, reply) => {
      const result = await app.registry.refreshAsAdmin(request.user!);
      if (!result.ok) return sendError(reply, result.error);
      // A refresh may have moved dates or linked devices: look for missed deadlines at once.
      await app.interlock.checkOverdue();
      return result.value;
    },
  );

  app.post(
    '/api/registry/import',
    {
      onRequest: app.authorize('settings.manage'),
      preHandler: admitCommand,
      bodyLimit: MAX_REGISTRY_CSV_BYTES,
    },
    async (request, reply) => {
      const result = await app.registry.importCsv(request.user!, request.query, request.body);
      if (!result.ok) return sendError(reply, result.error);
      if (result.value.accepted > 0) await app.interlock.checkOverdue();
      return result.value;
    },
  );
}
