/**
 * Fault: a client that stops reading (its TCP socket paused: a hung wall PC, a laptop lid closed)
 * while 20,000 positions a second flow, beside a client that keeps reading.
 *
 * Promised: the relay never queues frames for it without bound — once its backlog is over its
 * frame budget it leaves the live room, its frames are dropped (relay_position_frames_dropped_total
 * rises) and the relay's memory stays bounded; the other client keeps receiving frames at its
 * normal rate; when the slow client reads again it gets a fresh snapshot (a full vehicle table
 * and a key frame) and is live again.
 *
 * Real relay child process (embedded default, 20,000 simulated vehicles) on loopback.
 */
import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type HealthSnapshot,
  type ServerToClientEvents,
} from '../../shared/events';
import { decodePositionFrame, FrameKind } from '../../shared/frames';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { startRelay, type RelayProcess } from '../support/relay-process';

/** 20,000 vehicles at 1 Hz: 20,000 positions a second, ~340 KB of frames per client a second. */
const SIM_VEHICLES = 20_000;
/** Kernel buffers on loopback take several MB before the relay's own backlog grows. */
const DROP_TIMEOUT_MS = 75_000;
const RESYNC_TIMEOUT_MS = 30_000;
/** Memory the relay may gain while the reader is stuck: a budget's worth, not a minute of frames. */
const RSS_GROWTH_LIMIT_MB = 150;
const MB = 1024 * 1024;
/** The feed is 1 frame a second; the reading client must keep close to it throughout. */
const MIN_FRAMES_PER_SECOND = 0.8;
const POLL_MS = 500;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The TCP socket under a socket.io-client WebSocket (engine.io-client → ws → net.Socket). */
function tcpSocketOf(socket: ClientSocket): NetSocket {
  const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } };
  const tcp = transport.ws?._socket;
  if (!tcp) throw new Error('no TCP socket under the WebSocket transport');
  return tcp;
}

function connect(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('positions', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('a client that stops reading', () => {
  let relay: RelayProcess;
  let token: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    relay = await startRelay({ SIM_VEHICLES: String(SIM_VEHICLES) });
    const response = await fetch(new URL('/api/auth/login', relay.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    token = ((await response.json()) as { token: string }).token;
    await waitUntil(
      'the whole fleet live',
      async () => {
        const health = (await (
          await fetch(new URL('/healthz', relay.url))
        ).json()) as HealthSnapshot;
        return health.vehicles >= SIM_VEHICLES * 0.9;
      },
      60_000,
    );
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await relay?.stop();
  });

  it(
    'has its frames dropped, not queued; the relay stays bounded and the other client unaffected',
    async () => {
      const reader = await connect(relay.url, token);
      const stuck = await connect(relay.url, token);
      sockets.push(reader, stuck);
      const readerFrames: number[] = [];
      reader.on('positions', () => readerFrames.push(Date.now()));
      let stuckFullTables = 0;
      let stuckKeyFrames = 0;
      stuck.on('vehicles', (update) => {
        if (update.full) stuckFullTables++;
      });
      stuck.on('positions', (data) => {
        if (decodePositionFrame(data).kind === FrameKind.Key) stuckKeyFrames++;
      });

      const rssBeforeMb = (await metric(relay.url, 'process_resident_memory_bytes')) / MB;
      const droppedBefore = await metric(relay.url, 'relay_position_frames_dropped_total');
      const pausedAt = Date.now();
      tcpSocketOf(stuck).pause();

      let rssMaxMb = rssBeforeMb;
      await waitUntil(
        'frames dropped for the stuck client',
        async () => {
          rssMaxMb = Math.max(
            rssMaxMb,
            (await metric(relay.url, 'process_resident_memory_bytes')) / MB,
          );
          return (await metric(relay.url, 'relay_position_frames_dropped_total')) > droppedBefore;
        },
        DROP_TIMEOUT_MS,
      );
      const droppedAfterMs = Date.now() - pausedAt;
      // Keep it stuck a while longer: drops go on, memory does not climb.
      // The gauge is sampled through the hold: a single read at its end can fall in the moment
      // the relay tries the stuck socket again (its backlog under budget while the kernel takes a
      // little more), which a busy machine made likely.
      let mostBehind = 0;
      const holdUntil = Date.now() + 10_000;
      while (Date.now() < holdUntil) {
        rssMaxMb = Math.max(
          rssMaxMb,
          (await metric(relay.url, 'process_resident_memory_bytes')) / MB,
        );
        mostBehind = Math.max(mostBehind, await metric(relay.url, 'relay_socket_clients_behind'));
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const dropped =
        (await metric(relay.url, 'relay_position_frames_dropped_total')) - droppedBefore;
      const stuckSeconds = (Date.now() - pausedAt) / 1000;
      const readerRate = readerFrames.filter((at) => at >= pausedAt).length / stuckSeconds;
      const readerLastFrameAgeMs = Date.now() - readerFrames[readerFrames.length - 1]!;
      console.log(
        `stuck client: frames dropped after ${droppedAfterMs} ms, ${dropped} dropped in ` +
          `${stuckSeconds.toFixed(0)} s; relay RSS ${rssBeforeMb.toFixed(0)} → max ` +
          `${rssMaxMb.toFixed(0)} MB; reading client ${readerRate.toFixed(2)} frames/s`,
      );
      expect(dropped).toBeGreaterThan(0);
      expect(mostBehind).toBe(1);
      expect(rssMaxMb - rssBeforeMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
      expect(readerRate).toBeGreaterThanOrEqual(MIN_FRAMES_PER_SECOND);
      expect(readerLastFrameAgeMs).toBeLessThan(3_000);

      // Reading again: the backlog drains, then a fresh snapshot, and it is live once more.
      const tablesBefore = stuckFullTables;
      const keysBefore = stuckKeyFrames;
      // On a slow machine the drop can take long enough that the client's own ping check (25 s +
      // 20 s without a ping read) already closed the paused link: a client then reconnects (this
      // test's sockets do not by themselves) and gets its snapshot that way, which is what this
      // step checks either way.
      const pausedLink = (stuck.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } })
        .ws?._socket;
      if (pausedLink && stuck.connected) pausedLink.resume();
      else stuck.connect();
      await waitUntil(
        'a fresh snapshot for the client reading again',
        async () => stuckFullTables > tablesBefore && stuckKeyFrames > keysBefore,
        RESYNC_TIMEOUT_MS,
      );
      await waitUntil(
        'the client live again',
        async () => (await metric(relay.url, 'relay_socket_clients_behind')) === 0,
        RESYNC_TIMEOUT_MS,
      );
    },
    DROP_TIMEOUT_MS + RESYNC_TIMEOUT_MS * 2 + 30_000,
  );
});
