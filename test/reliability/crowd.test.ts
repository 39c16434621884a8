/**
 * Fault: a crowd — 500 Socket.IO clients connecting to the relay at the same moment (a room of
 * walls and operators after a relay restart), in the embedded default (simulator, SQLite).
 *
 * Promised: every client either connects and receives position frames, or is refused with a
 * reason and a retry hint (`connect_error` 'overloaded') and retries until it connects; /healthz
 * answers throughout, each within about a second; once the crowd has gone the relay is healthy
 * within seconds (clients back to 0, /healthz fast, a new client connects and gets frames).
 *
 * The crowd runs in its own process (test/bench/crowd), so its CPU does not delay the /healthz
 * timings taken here. Real relay child process on loopback.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_PATH, type HealthSnapshot } from '../../shared/events';
import { HealthProbe, timeHealth } from '../bench/crowd/crowd-clients';
import { CrowdProcess, type CrowdStatus } from '../bench/crowd/crowd-ipc';
import { percentile } from '../bench/stats';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { startRelay, type RelayProcess } from '../support/relay-process';

const CLIENTS = 500;
/** Half the fleet of the report: the vehicle table each client gets is ~1.5 MB. */
const SIM_VEHICLES = 10_000;
/** /healthz is probed this often during the crowd; an answer slower than the timeout fails. */
const HEALTH_PROBE_INTERVAL_MS = 250;
const HEALTH_TIMEOUT_MS = 2_000;
/** "Within about a second": the 95th percentile, as single probes on a shared 2-core box vary. */
const HEALTH_P95_BUDGET_MS = 1_000;
const CROWD_CONNECT_TIMEOUT_MS = 60_000;
const FRAME_WINDOW_MS = 5_000;
/** The simulator ticks at 1 Hz; a client that keeps up gets about one frame a second. */
const MIN_FRAMES_PER_SECOND = 0.5;
const RECOVERY_TIMEOUT_MS = 10_000;
const RECOVERED_HEALTH_MS = 200;
const POLL_MS = 250;

async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function health(url: string): Promise<HealthSnapshot> {
  return (await (await fetch(new URL('/healthz', url))).json()) as HealthSnapshot;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

describe('a crowd of clients connecting at once', () => {
  let relay: RelayProcess;
  let crowd: CrowdProcess | undefined;
  let token: string;

  beforeAll(async () => {
    relay = await startRelay({ SIM_VEHICLES: String(SIM_VEHICLES) });
    const response = await fetch(new URL('/api/auth/login', relay.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    token = ((await response.json()) as { token: string }).token;
    await waitUntil(
      'vehicles live',
      async () => ((await health(relay.url)).vehicles > 0 ? true : undefined),
      30_000,
    );
  });

  afterAll(async () => {
    await crowd?.close();
    await relay?.stop();
  });

  it(
    `lets ${CLIENTS} clients in (refused ones retry), answers /healthz throughout, and recovers`,
    async () => {
      crowd = await CrowdProcess.fork();
      const probe = new HealthProbe(relay.url, HEALTH_TIMEOUT_MS, HEALTH_PROBE_INTERVAL_MS);
      probe.start();
      await crowd.start({ url: relay.url, token, clients: CLIENTS });
      let status: CrowdStatus | undefined;
      try {
        status = await waitUntil(
          `all ${CLIENTS} clients connected and receiving`,
          async () => {
            const s = await crowd!.status();
            return s.connected === CLIENTS && s.receiving === CLIENTS ? s : undefined;
          },
          CROWD_CONNECT_TIMEOUT_MS,
        );
      } finally {
        await probe.stop();
        if (!status) console.log('crowd status', await crowd.status());
      }
      const refused = await metric(relay.url, 'relay_socket_refused_total');
      console.log(
        `crowd: ${status.connected} connected, ${status.refusedClients} refused at first ` +
          `(${status.refusals} refusals, relay counted ${refused}), other errors ${status.errors}; ` +
          `connect p50 ${status.connectMsP50} ms, slowest ${status.connectMsMax} ms; ` +
          `/healthz p50 ${percentile(probe.latenciesMs, 50).toFixed(0)} ms, ` +
          `p95 ${percentile(probe.latenciesMs, 95).toFixed(0)} ms, ` +
          `max ${Math.max(...probe.latenciesMs).toFixed(0)} ms over ${probe.latenciesMs.length} probes`,
      );
      // Admission control engaged (500 at once is far over MAX_CONCURRENT_HANDSHAKES), and every
      // refusal the clients saw was a load refusal with its hint (retried), nothing else.
      expect(status.refusedClients).toBeGreaterThan(0);
      expect(Object.keys(status.lastErrors).every((m) => m.startsWith('overloaded'))).toBe(true);
      expect(status.refusals).toBe(refused);
      expect(probe.failures).toBe(0);
      expect(percentile(probe.latenciesMs, 95)).toBeLessThan(HEALTH_P95_BUDGET_MS);

      // Once in, every client keeps receiving frames at the feed's rate.
      await crowd.resetWindow();
      await new Promise((resolve) => setTimeout(resolve, FRAME_WINDOW_MS));
      const rates = (await crowd.status()).framesPerClientPerSecond;
      console.log(`frames per client per second: min ${rates.min}, p50 ${rates.p50}`);
      expect(rates.min).toBeGreaterThanOrEqual(MIN_FRAMES_PER_SECOND);

      // The crowd leaves: the relay is healthy again within seconds.
      await crowd.close();
      crowd = undefined;
      const left = Date.now();
      await waitUntil(
        'clients back to 0',
        async () => ((await health(relay.url)).clients === 0 ? true : undefined),
        RECOVERY_TIMEOUT_MS,
      );
      const recovered = await timeHealth(relay.url, HEALTH_TIMEOUT_MS);
      expect(recovered).toBeLessThan(RECOVERED_HEALTH_MS);
      const socket = io(relay.url, {
        path: SOCKET_PATH,
        transports: ['websocket'],
        auth: { token },
        forceNew: true,
        reconnection: false,
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('a new client got no frame after the crowd left')),
            RECOVERY_TIMEOUT_MS,
          );
          socket.once('positions', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.once('connect_error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        });
      } finally {
        socket.disconnect();
      }
      console.log(`healthy again ${Date.now() - left} ms after the crowd left`);
    },
    CROWD_CONNECT_TIMEOUT_MS + 60_000,
  );
});
