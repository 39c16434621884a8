/**
 * Two relay benchmarks of the embedded default (simulator and SQLite, its own process):
 *
 * - embedded at scale: 50,000 simulated vehicles, the relay writing one history row per position.
 *   While it runs: /healthz latency (probed back to back), relay RSS and CPU, event-loop delay;
 *   then 20 sockets connect at once — how many connect and get a frame within 8 s (issue 14 §3:
 *   2.5 s /healthz and 16 of 20 failing before the seed-table writes left the serving thread).
 * - a crowd: 500 Socket.IO clients (own process) connect at once to a 20,000-vehicle relay: how
 *   many connect, how many were refused and retried, how long it took, frames per client per
 *   second once in, /healthz meanwhile, relay RSS and CPU; and how soon after they leave the relay
 *   is quiet and fast again.
 */
import { coresUsed, sampleProcess, type ProcSample } from '../proc-stats';
import { login, startRelayChild, type RelayChild } from '../relay-child';
import { percentile, sleep, waitFor } from '../stats';
import { HealthProbe, timeHealth } from './crowd-clients';
import { CrowdProcess, type CrowdStatus } from './crowd-ipc';

const MB = 1024 * 1024;
const LIVE_TIMEOUT_MS = 180_000;
/** Share of the fleet that must be live before measuring (sessions end and start: ~88 % at a time). */
const LIVE_SHARE = 0.8;
const HEALTH_TIMEOUT_MS = 5_000;
const HEALTH_PROBE_INTERVAL_MS = 250;
const SAMPLE_MS = 1_000;
/** The criterion for new sockets: connected and a frame within this long. */
const SOCKET_DEADLINE_MS = 8_000;
const POLL_MS = 500;

export interface HealthLatency {
  probes: number;
  failures: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface EmbeddedBenchResult {
  vehicles: number;
  windowMs: number;
  health: HealthLatency;
  relayCores: number;
  relayRssMb: number;
  relayPeakRssMb: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** relay_store_last_write_seconds at the end of the window (one batch of a tick). */
  storeWriteMs: number;
  sockets: number;
  socketsInTime: number;
  socketFirstFrameMaxMs: number;
}

export interface CrowdBenchResult {
  vehicles: number;
  clients: number;
  connected: number;
  /** Clients refused at least once (then retried), and refusals in all. */
  refusedClients: number;
  refusals: number;
  otherErrors: number;
  /** From the crowd's start to every client connected and receiving (ms), or null if not all. */
  allInMs: number | null;
  connectP50Ms: number;
  connectMaxMs: number;
  framesPerClientPerSecond: { min: number; p50: number; max: number };
  health: HealthLatency;
  relayCores: number;
  relayRssMb: number;
  relayPeakRssMb: number;
  /** After every client left: until /healthz says 0 clients, and /healthz latency then. */
  quietAfterMs: number;
  healthAfterMs: number;
}

/** One /metrics scrape, values by name (unlabelled series only). */
async function scrape(url: string): Promise<(name: string) => number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const lines = text.split('\n');
  return (name) => {
    const line = lines.find((l) => l.startsWith(`${name} `));
    return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
  };
}

function latency(probe: HealthProbe): HealthLatency {
  return {
    probes: probe.latenciesMs.length + probe.failures,
    failures: probe.failures,
    p50Ms: percentile(probe.latenciesMs, 50),
    p95Ms: percentile(probe.latenciesMs, 95),
    maxMs: probe.latenciesMs.length ? Math.max(...probe.latenciesMs) : Number.NaN,
  };
}

async function waitForFleet(relay: RelayChild, vehicles: number): Promise<void> {
  await waitFor(
    `${vehicles} vehicles live`,
    async () => {
      const health = (await (await fetch(new URL('/healthz', relay.url))).json()) as {
        vehicles: number;
      };
      return health.vehicles >= vehicles * LIVE_SHARE ? true : undefined;
    },
    LIVE_TIMEOUT_MS,
    POLL_MS,
  );
}

/** Peak RSS and mean CPU of the relay between `start` and the last `sample`. */
class RelaySampler {
  private first: ProcSample;
  private last: ProcSample;
  private peakRss = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number) {
    this.first = sampleProcess(pid);
    this.last = this.first;
  }

  start(): void {
    this.first = sampleProcess(this.pid);
    this.peakRss = this.first.rssBytes;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample(): void {
    this.last = sampleProcess(this.pid);
    this.peakRss = Math.max(this.peakRss, this.last.rssBytes);
  }

  stop(): { cores: number; rssMb: number; peakRssMb: number } {
    clearInterval(this.timer);
    this.sample();
    return {
      cores: coresUsed(this.first, this.last),
      rssMb: this.last.rssBytes / MB,
      peakRssMb: this.peakRss / MB,
    };
  }
}

/** Sockets connecting at once; resolves with how many got a frame in time and the slowest. */
async function connectSockets(
  url: string,
  token: string,
  count: number,
): Promise<{ inTime: number; slowestMs: number }> {
  const crowd = await CrowdProcess.fork();
  try {
    await crowd.start({ url, token, clients: count });
    const deadline = Date.now() + SOCKET_DEADLINE_MS;
    let status: CrowdStatus = await crowd.status();
    while (Date.now() < deadline && status.receiving < count) {
      await sleep(POLL_MS / 5);
      status = await crowd.status();
    }
    return { inTime: status.receiving, slowestMs: status.firstFrameMsMax };
  } finally {
    await crowd.close();
  }
}

export async function runEmbeddedBench(options: {
  vehicles: number;
  windowMs: number;
  sockets: number;
  log: (line: string) => void;
}): Promise<EmbeddedBenchResult> {
  const relay = await startRelayChild({ env: { SIM_VEHICLES: String(options.vehicles) } });
  try {
    options.log(`embedded relay with ${options.vehicles} vehicles: waiting for the fleet`);
    await waitForFleet(relay, options.vehicles);
    const { token } = await login(relay.url);
    const sampler = new RelaySampler(relay.pid);
    const probe = new HealthProbe(relay.url, HEALTH_TIMEOUT_MS, HEALTH_PROBE_INTERVAL_MS);
    // prom-client's event-loop histogram restarts at every scrape: this one starts the window.
    await scrape(relay.url);
    sampler.start();
    probe.start();
    await sleep(options.windowMs);
    const sockets = await connectSockets(relay.url, token, options.sockets);
    await probe.stop();
    const proc = sampler.stop();
    const metrics = await scrape(relay.url);
    const result: EmbeddedBenchResult = {
      vehicles: options.vehicles,
      windowMs: options.windowMs,
      health: latency(probe),
      relayCores: proc.cores,
      relayRssMb: proc.rssMb,
      relayPeakRssMb: proc.peakRssMb,
      eventLoopP99Ms: metrics('nodejs_eventloop_lag_p99_seconds') * 1000,
      eventLoopMaxMs: metrics('nodejs_eventloop_lag_max_seconds') * 1000,
      storeWriteMs: metrics('relay_store_last_write_seconds') * 1000,
      sockets: options.sockets,
      socketsInTime: sockets.inTime,
      socketFirstFrameMaxMs: sockets.slowestMs,
    };
    options.log(
      `embedded ${options.vehicles}: /healthz p95 ${result.health.p95Ms.toFixed(0)} ms, ` +
        `${result.socketsInTime}/${result.sockets} sockets in time, RSS ${result.relayRssMb.toFixed(0)} MB`,
    );
    return result;
  } finally {
    await relay.stop();
  }
}

export async function runCrowdBench(options: {
  vehicles: number;
  clients: number;
  connectTimeoutMs: number;
  windowMs: number;
  log: (line: string) => void;
}): Promise<CrowdBenchResult> {
  const relay = await startRelayChild({ env: { SIM_VEHICLES: String(options.vehicles) } });
  let crowd: CrowdProcess | undefined;
  try {
    options.log(`crowd: relay with ${options.vehicles} vehicles, waiting for the fleet`);
    await waitForFleet(relay, options.vehicles);
    const { token } = await login(relay.url);
    crowd = await CrowdProcess.fork();
    const sampler = new RelaySampler(relay.pid);
    const probe = new HealthProbe(relay.url, HEALTH_TIMEOUT_MS, HEALTH_PROBE_INTERVAL_MS);
    sampler.start();
    probe.start();
    const startedMs = Date.now();
    await crowd.start({ url: relay.url, token, clients: options.clients });
    let status = await crowd.status();
    while (
      Date.now() - startedMs < options.connectTimeoutMs &&
      status.receiving < options.clients
    ) {
      await sleep(POLL_MS);
      status = await crowd.status();
    }
    const allInMs = status.receiving === options.clients ? Date.now() - startedMs : null;
    options.log(
      `crowd: ${status.receiving}/${options.clients} in after ${Date.now() - startedMs} ms ` +
        `(${status.refusedClients} refused at first, ${status.refusals} refusals)`,
    );
    await crowd.resetWindow();
    await sleep(options.windowMs);
    status = await crowd.status();
    await probe.stop();
    const proc = sampler.stop();
    await crowd.close();
    crowd = undefined;
    const leftMs = Date.now();
    await waitFor(
      'clients gone',
      async () => {
        const health = (await (await fetch(new URL('/healthz', relay.url))).json()) as {
          clients: number;
        };
        return health.clients === 0 ? true : undefined;
      },
      LIVE_TIMEOUT_MS,
      POLL_MS / 5,
    );
    const quietAfterMs = Date.now() - leftMs;
    return {
      vehicles: options.vehicles,
      clients: options.clients,
      connected: status.connected,
      refusedClients: status.refusedClients,
      refusals: status.refusals,
      otherErrors: status.errors,
      allInMs,
      connectP50Ms: status.connectMsP50,
      connectMaxMs: status.connectMsMax,
      framesPerClientPerSecond: status.framesPerClientPerSecond,
      health: latency(probe),
      relayCores: proc.cores,
      relayRssMb: proc.rssMb,
      relayPeakRssMb: proc.peakRssMb,
      quietAfterMs,
      healthAfterMs: await timeHealth(relay.url, HEALTH_TIMEOUT_MS),
    };
  } finally {
    await crowd?.close();
    await relay.stop();
  }
}
