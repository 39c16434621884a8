/**
 * The relay link (renderer/src/live/relay-link.ts) and the page's socket client, joined by a real
 * MessageChannel as the worker and the page are, against a real embedded relay: frames reach the
 * page's FleetBuffer by transfer (the link keeps no copy), every handshake asks the page for its
 * token, alert commands come back with the relay's answer, a refused token ends the session, and
 * stopping closes the socket at the relay.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { AlertCommandChannel } from '../../renderer/src/live/alert-commands';
import { FleetBuffer } from '../../renderer/src/live/fleet-buffer';
import { runRelayLink } from '../../renderer/src/live/relay-link';
import type { LinkPort } from '../../renderer/src/live/relay-link-protocol';
import { startSocketClient, type RelayLinkHandle } from '../../renderer/src/live/socket-client';
import { useAppStore } from '../../renderer/src/store';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';

const VEHICLES = 40;
const NO_SUCH_ALERT = 987_654_321;

let app: FastifyInstance;
let url: string;
let token: string;

beforeAll(async () => {
  app = await buildApp(
    loadConfig({
      PORT: '0',
      SIM_VEHICLES: String(VEHICLES),
      SIM_SEED: 'relay-link',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      JWT_SECRET: 'relay-link-test-secret-relay-link-test-secret',
    }),
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  token = await loginToken(app);
});
afterAll(async () => {
  await app?.close();
});

/**
 * socket.io-client as a browser runs it: binary arrives as ArrayBuffer (in Node it is a Buffer,
 * which the link cannot hand over without a copy). Switched once the engine is open, before the
 * relay sends any frame.
 */
const browserLikeIo = ((uri: string, options: Parameters<typeof io>[1]) => {
  const socket = io(uri, options);
  socket.io.on('open', () => {
    const engine = socket.io.engine as unknown as {
      binaryType: string;
      transport: { ws?: { binaryType: string } };
    };
    engine.binaryType = 'arraybuffer';
    if (engine.transport.ws) engine.transport.ws.binaryType = 'arraybuffer';
  });
  return socket;
}) as typeof io;

/** Wraps a Node MessagePort as one end of the link's channel. */
function portEnd<Out, In>(port: MessagePort): LinkPort<Out, In> {
  return {
    post: (message, transfer = []) => port.postMessage(message, transfer as ArrayBuffer[]),
    listen: (handler) => {
      const listener = (message: In): void => handler(message);
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

interface RunningLink {
  stop: () => void;
  fleet: FleetBuffer;
  commands: AlertCommandChannel;
  /** Buffers the link handed over, as the link saw them after posting. */
  handedOver: ArrayBuffer[];
  authRequests: () => number;
  linkStopped: Promise<void>;
  refused: string[];
}

function startLink(auth: () => { token: string }): RunningLink {
  const { port1: pagePort, port2: linkPort } = new MessageChannel();
  const handedOver: ArrayBuffer[] = [];
  const linkEnd = portEnd<never, never>(linkPort) as unknown as Parameters<typeof runRelayLink>[0];
  const post = linkEnd.post;
  linkEnd.post = (message, transfer) => {
    post(message, transfer);
    for (const buffer of transfer ?? []) handedOver.push(buffer as ArrayBuffer);
  };
  let resolveStopped!: () => void;
  const linkStopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  runRelayLink(linkEnd, browserLikeIo, () => {
    resolveStopped();
    linkPort.close();
  });
  let authRequests = 0;
  const fleet = new FleetBuffer();
  const commands = new AlertCommandChannel();
  const refused: string[] = [];
  const handle: RelayLinkHandle = {
    port: portEnd(pagePort),
    close: () => pagePort.close(),
  };
  const stop = startSocketClient({
    fleet,
    store: useAppStore,
    commands,
    relays: [url],
    openLink: () => handle,
    getAuth: () => {
      authRequests++;
      return auth();
    },
    onAuthRefused: (message) => refused.push(message),
  });
  return {
    stop,
    fleet,
    commands,
    handedOver,
    authRequests: () => authRequests,
    linkStopped,
    refused,
  };
}

describe('relay link over a message channel', () => {
  it('delivers frames by transfer, answers commands, and closes the socket on stop', async () => {
    const link = startLink(() => ({ token }));
    try {
      // Several frames applied, with the simulated fleet in them (some may be parked or between trips).
      await vi.waitFor(() => expect(link.fleet.frameCount).toBeGreaterThanOrEqual(3), {
        timeout: 20_000,
      });
      expect(link.fleet.count).toBeGreaterThan(VEHICLES / 2);
      expect(useAppStore.getState().connected).toBe(true);
      expect(link.authRequests()).toBeGreaterThanOrEqual(1);
      // The vehicle table came through the same channel, in order before the frames using it.
      expect(useAppStore.getState().vehicles.size).toBeGreaterThanOrEqual(link.fleet.count);
      // The link kept no copy: every frame buffer it posted is detached on its side.
      expect(link.handedOver.length).toBeGreaterThan(0);
      expect(link.handedOver.every((buffer) => buffer.byteLength === 0)).toBe(true);

      // A command's answer is the relay's own (here: no such alert), not a timeout.
      const outcome = await link.commands.send('ack', { id: NO_SUCH_ALERT, version: 1 });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.status).toBe(404);
    } finally {
      link.stop();
    }
    await link.linkStopped;
    await vi.waitFor(() => expect(app.io.engine.clientsCount).toBe(0), { timeout: 10_000 });
  });

  it('a refused token ends the session on the page', async () => {
    const link = startLink(() => ({ token: 'not-a-token' }));
    try {
      await vi.waitFor(() => expect(link.refused).not.toHaveLength(0), { timeout: 10_000 });
      expect(link.refused[0]).toMatch(/^unauthorized/);
      expect(useAppStore.getState().connected).toBe(false);
    } finally {
      link.stop();
    }
    await link.linkStopped;
  });
});
