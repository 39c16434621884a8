/**
 * Serves the built client at `/` and the wall view at `/kiosk` (the same single-page app; it
 * reads its mode from the path). Headers make the browser enforce what Electron enforces.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The page's policy (the meta tag in renderer/index.html says the same for a page loaded without
 * this header). MapLibre's worker is a same-origin file, not a blob. `connectOrigins` are other
 * origins the page may call: the deployment's peer relays (RELAY_PEERS), which it moves to when
 * the link to this one is lost.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self' ws: wss:", ...connectOrigins].join(' '),
    "worker-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Origins other than its own that the page may call: the peer relays (and, e.g., a tile service). */
export function pageConnectOrigins(config: FastifyInstance['config']): string[] {
  const origins = [...config.RELAY_PEERS];
  // BASEMAP_STYLE: MapLibre fetches the style, its tiles, glyphs and sprites from that service.
  if (config.BASEMAP_STYLE) {
    const origin = new URL(config.BASEMAP_STYLE).origin;
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/** The meta tag's connect-src in the built index.html; widened the same way as the header. */
const META_CONNECT_SRC = "connect-src 'self' ws: wss:";

const SPA_PATHS = ['/', '/kiosk', '/kiosk/'];

export async function clientRoutes(app: FastifyInstance): Promise<void> {
  const root = resolve(app.config.CLIENT_DIR);
  const built = existsSync(resolve(root, 'index.html'));
  const connectOrigins = pageConnectOrigins(app.config);
  const policy = contentSecurityPolicy(connectOrigins);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('Content-Security-Policy', policy);
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
  // The page itself comes from memory with its meta policy widened like the header: a browser
  // enforces both, so a peer relay left out of either would be unreachable after a failover.
  const page = readFileSync(resolve(root, 'index.html'), 'utf8').replace(
    META_CONNECT_SRC,
    [META_CONNECT_SRC, ...connectOrigins].join(' '),
  );
  const sendPage = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  await app.register(fastifyStatic, { root, wildcard: true, index: false });
  for (const path of ['/', '/index.html', '/kiosk']) app.get(path, sendPage);
  // The build uses relative asset paths, which only resolve from `/kiosk` (no trailing slash).
  app.get('/kiosk/', async (_request, reply) => reply.redirect('/kiosk', 301));
}
