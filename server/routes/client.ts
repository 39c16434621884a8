/**
 * Serves the built client at `/` and the wall view at `/kiosk` (the same single-page app; it
 * reads its mode from the path). Headers make the browser enforce what Electron enforces.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The same policy as the page's meta tag; MapLibre's worker is a same-origin file, not a blob. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SPA_PATHS = ['/', '/kiosk', '/kiosk/'];

export async function clientRoutes(app: FastifyInstance): Promise<void> {
  const root = resolve(app.config.CLIENT_DIR);
  const built = existsSync(resolve(root, 'index.html'));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });
  if (!built) {
    app.log.warn({ root }, 'client not built: run `npm run build`');
    for (const path of SPA_PATHS) {
      app.get(path, async (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            '클라이언트가 빌드되지 않았습니다. `npm run build` 후 다시 시작하세요.\n' +
              'The client is not built: run `npm run build`, then restart the relay.\n',
          ),
      );
    }
    return;
  }
  await app.register(fastifyStatic, { root, wildcard: true, index: ['index.html'] });
  app.get('/kiosk', async (_request, reply) => reply.sendFile('index.html'));
  // The build uses relative asset paths, which only resolve from `/kiosk` (no trailing slash).
  app.get('/kiosk/', async (_request, reply) => reply.redirect('/kiosk', 301));
}
