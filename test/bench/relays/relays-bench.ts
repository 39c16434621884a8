/**
 * Two relays side by side (DESIGN §8, §12): one Kafka broker, one MariaDB database, one Redis
 * (a private redis-server), 20 clients on each relay, positions at a fixed rate.
 *
 * Per rate, in one run:
 *   1. one relay alone (the same many-relay configuration) with its clients: positions/s consumed;
 *   2. two relays together under the same load, each with its clients: each one's positions/s,
 *      as a share of the relay alone; and while the load runs, alerts acknowledged on relay A at
 *      a steady pace, timed until a client of relay B has the change (REST call sent → received).
 */
import { join } from 'node:path';
import { formatKstIso } from '../../../shared/time';
import { startKafkaBroker } from '../../harness/kafka-broker';
import { createTestDatabase } from '../../support/mariadb';
import { startTestRedis } from '../../support/redis-server';
import { forkHelper } from '../child-process';
import { coresUsed, sampleProcess } from '../proc-stats';
import { login, startRelayChild, type RelayChild } from '../relay-child';
import { percentile, sleep, waitFor } from '../stats';
import {
  benchKafka,
  POSITION_PARTITIONS,
  POSITION_TOPIC,
  produceSessions,
  recreateTopics,
} from '../relay/bench-topics';
import type { GeneratorChunk } from '../relay/ipc';
import { startLoad } from '../relay/relay-bench';
import type { ClientsCommand, ClientsMessage } from './clients-child';
import type { ProbeCommand, ProbeMessage } from './change-probe';

const JWT_SECRET = 'relays-bench-secret-0123456789abcdef0123';
const TABLE_TIMEOUT_MS = 120_000;
/** Alerts produced beside the positions must be consumed by then (both relays busy with positions). */
const ALERTS_TIMEOUT_MS = 180_000;
/** Acknowledgements on relay A per second while the two relays are measured. */
const ACKS_PER_SECOND = 5;
const MS_PER_S = 1000;
const MB = 1024 * 1024;
const LOAD_SLACK_MS = 240_000;
/** After the last acknowledgement, how long its change may take to reach B before it is lost. */
const CHANGE_DRAIN_MS = 2_000;
const PROBE_TIMEOUT_MS = 60_000;
const PROBE_MODULE = join(import.meta.dirname, 'change-probe.ts');
const CLIENTS_MODULE = join(import.meta.dirname, 'clients-child.ts');
const CLIENTS_ANSWER_MS = 60_000;

/** One relay's clients, in their own process (clients-child.ts). */
class RelayAudience {
  private constructor(
    private readonly child: ReturnType<typeof forkHelper<ClientsMessage, ClientsCommand>>,
  ) {}

  static async connect(
    url: string,
    token: string,
    vehicles: number,
    clients: number,
  ): Promise<RelayAudience> {
    const child = forkHelper<ClientsMessage, ClientsCommand>(CLIENTS_MODULE);
    child.send({ type: 'start', url, token, vehicles, partitions: POSITION_PARTITIONS, clients });
    await child.next(
      (m): m is Extract<ClientsMessage, { type: 'connected' }> => m.type === 'connected',
      CLIENTS_ANSWER_MS,
    );
    return new RelayAudience(child);
  }

  readonly pid = () => this.child.pid;

  record(chunk: GeneratorChunk): void {
    this.child.send({ type: 'chunk', chunk });
  }

  async vehiclesKnown(): Promise<number> {
    this.child.send({ type: 'known' });
    const answer = await this.child.next(
      (m): m is Extract<ClientsMessage, { type: 'known' }> => m.type === 'known',
      CLIENTS_ANSWER_MS,
    );
    return answer.vehicles;
  }

  startWindow(): void {
    this.child.send({ type: 'startWindow' });
  }

  async endWindow(): Promise<Extract<ClientsMessage, { type: 'window' }>> {
    this.child.send({ type: 'endWindow' });
    return this.child.next(
      (m): m is Extract<ClientsMessage, { type: 'window' }> => m.type === 'window',
      CLIENTS_ANSWER_MS,
    );
  }

  close(): void {
    this.child.send({ type: 'close' });
    this.child.kill();
  }
}
/** Positions consumed, whatever other labels (`instance`) the series carries. */
const INGESTED = new RegExp(
  `^relay_ingest_messages_total\\{[^}]*topic="${POSITION_TOPIC}"[^}]*\\} (\\d+)`,
  'm',
);

export interface RelaysBenchOptions {
  rates: number[];
  /** Clients on each relay. */
  clients: number;
  warmupMs: number;
  measureMs: number;
  log: (line: string) => void;
}

export interface RelayShare {
  perSecond: number;
  /** Share of what the relay alone consumed in the same run. */
  ofAlone: number;
  cores: number;
  rssMb: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export interface RelaysLevelResult {
  ratePerSecond: number;
  clientsPerRelay: number;
  producedPerSecond: number;
  alone: { perSecond: number; cores: number; latencyP50Ms: number; latencyP99Ms: number };
  pair: [RelayShare, RelayShare];
  /** Acknowledgement on A (REST sent) → a client of B has the change. */
  changeP50Ms: number;
  changeP99Ms: number;
  changeMaxMs: number;
  changeSamples: number;
  changesLost: number;
}

export interface RelaysBenchResult {
  levels: RelaysLevelResult[];
  /** Rates the pair could not be measured at, with why (the machine ran out first). */
  failed?: { ratePerSecond: number; reason: string }[];
}

async function ingested(relay: RelayChild): Promise<number> {
  const text = await (await fetch(new URL('/metrics', relay.url))).text();
  return Number(INGESTED.exec(text)?.[1] ?? 0);
}

interface Measured {
  perSecond: number;
  cores: number;
  rssMb: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/** Watches a set of relays over a window: consumed/s, CPU, RSS, append → client latency. */
async function measure(
  relays: { relay: RelayChild; clients: RelayAudience }[],
  windowMs: number,
): Promise<Measured[]> {
  for (const { clients } of relays) clients.startWindow();
  const before = await Promise.all(
    relays.map(async ({ relay }) => ({ cpu: sampleProcess(relay.pid), n: await ingested(relay) })),
  );
  const t0 = Date.now();
  await sleep(windowMs);
  const t1 = Date.now();
  const after = await Promise.all(
    relays.map(async ({ relay }) => ({ cpu: sampleProcess(relay.pid), n: await ingested(relay) })),
  );
  const windows = await Promise.all(relays.map(({ clients }) => clients.endWindow()));
  return relays.map((_, i) => ({
    perSecond: (after[i]!.n - before[i]!.n) / ((t1 - t0) / MS_PER_S),
    cores: coresUsed(before[i]!.cpu, after[i]!.cpu),
    rssMb: after[i]!.cpu.rssBytes / MB,
    latencyP50Ms: windows[i]!.latencyP50Ms,
    latencyP99Ms: windows[i]!.latencyP99Ms,
  }));
}

async function produceAlerts(brokers: string, count: number, tag: string): Promise<void> {
  const producer = benchKafka(brokers).producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: count }, (_, n) => {
      const row = {
        drowsy_id: `BENCH-${tag}-D${n}`,
        session_id: `BENCH-${tag}-S${n}`,
        detected_at: formatKstIso(Date.now()),
        gaze_closure: 4,
        head_drop: 1,
      };
      return { key: row.session_id, value: JSON.stringify(row) };
    });
    await producer.send({ topic: 'drowsy_drive', messages });
  } finally {
    await producer.disconnect();
  }
}

async function api<T>(
  relay: RelayChild,
  token: string,
  method: string,
  path: string,
  body?: object,
): Promise<T> {
  const response = await fetch(new URL(path, relay.url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as T;
}

export async function runRelaysBench(options: RelaysBenchOptions): Promise<RelaysBenchResult> {
  const { log } = options;
  const [broker, redis] = await Promise.all([startKafkaBroker(), startTestRedis()]);
  log(`relays: kafka at ${broker.brokers}, redis at ${redis.url}`);
  const kafka = benchKafka(broker.brokers);
  const admin = kafka.admin();
  await admin.connect();
  const levels: RelaysLevelResult[] = [];
  const failed: { ratePerSecond: number; reason: string }[] = [];
  try {
    for (const rate of options.rates) {
      const database = await createTestDatabase('cr_bench_relays');
      try {
        levels.push(
          await runLevel(rate, broker.brokers, redis.url, database.url, kafka, admin, options),
        );
      } catch (error) {
        // A level the machine cannot carry is a result to report, not a reason to lose the others.
        const reason = error instanceof Error ? error.message : String(error);
        log(`relays @ ${rate} msg/s: not measured: ${reason}`);
        failed.push({ ratePerSecond: rate, reason });
      } finally {
        await database.drop();
      }
    }
  } finally {
    await admin.disconnect();
    await Promise.all([broker.stop(), redis.stop()]);
  }
  return { levels, failed };
}

async function runLevel(
  rate: number,
  brokers: string,
  redisUrl: string,
  databaseUrl: string,
  kafka: ReturnType<typeof benchKafka>,
  admin: ReturnType<ReturnType<typeof benchKafka>['admin']>,
  options: RelaysBenchOptions,
): Promise<RelaysLevelResult> {
  const { warmupMs, measureMs, log } = options;
  const group = `bench-relays-${rate}-${Date.now()}`;
  const env = (instance: string) => ({
    KAFKA_BROKERS: brokers,
    KAFKA_GROUP_ID: group,
    KAFKA_FROM_BEGINNING: 'true',
    WRITE_SEED_TABLES: 'false',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET,
    INSTANCE_ID: instance,
    COMMAND_LIMIT_USER_PER_SECOND: '1000',
    COMMAND_LIMIT_USER_BURST: '1000',
  });
  // Both phases, the second relay's start and table, and the alerts: the load must outlast them
  // (a generator that finished by itself cannot be told to stop).
  const loadMs = 2 * (warmupMs + measureMs) + LOAD_SLACK_MS;

  // ── One relay alone ──
  log(`relays @ ${rate} msg/s: fresh topics, ${rate} sessions, one relay alone`);
  await recreateTopics(admin);
  await produceSessions(kafka, rate);
  const relays: RelayChild[] = [];
  const audiences: RelayAudience[] = [];
  /** A relay and its clients (in their own process), signed in with `token` or the admin's. */
  const start = async (instance: string, token?: string) => {
    const relay = await startRelayChild({ env: env(instance) });
    relays.push(relay);
    const signedIn = token ?? (await login(relay.url)).token;
    const clients = await RelayAudience.connect(relay.url, signedIn, rate, options.clients);
    audiences.push(clients);
    return { relay, clients, token: signedIn };
  };
  const load: RelayAudience[] = [];
  let loadRun: Awaited<ReturnType<typeof startLoad>> | null = null;
  let loadFinished = false;
  let probe: ReturnType<typeof forkHelper<ProbeMessage, ProbeCommand>> | null = null;
  try {
    const a = await start('bench-a');
    const { token } = a;
    await waitFor(
      'the vehicle table on A',
      async () => ((await a.clients.vehiclesKnown()) >= rate ? true : undefined),
      TABLE_TIMEOUT_MS,
      200,
    );
    load.push(a.clients);
    loadRun = await startLoad(brokers, rate, loadMs, (chunk) => {
      for (const l of load) l.record(chunk);
    });
    void loadRun.done.then(
      () => (loadFinished = true),
      () => (loadFinished = true),
    );
    {
      await sleep(warmupMs);
      const t0 = Date.now();
      const [alone] = await measure([a], measureMs);
      log(
        `relays @ ${rate} msg/s: alone ${alone!.perSecond.toFixed(0)}/s, cpu ${(alone!.cores * 100).toFixed(0)}%, p99 ${alone!.latencyP99Ms.toFixed(0)} ms`,
      );
      const producedAlone = loadRun.ackedBetween(t0, Date.now()) / (measureMs / MS_PER_S);

      // ── Two relays ──
      log(`relays @ ${rate} msg/s: second relay joins`);
      const b = await start('bench-b', token);
      await waitFor(
        'the vehicle table on B',
        async () => ((await b.clients.vehiclesKnown()) >= rate * 0.9 ? true : undefined),
        TABLE_TIMEOUT_MS,
        200,
      );
      load.push(b.clients);
      const alertsNeeded = Math.ceil(((measureMs + warmupMs) / MS_PER_S) * ACKS_PER_SECOND) + 10;
      await produceAlerts(brokers, alertsNeeded, String(rate));
      const alerts = await waitFor(
        'alerts to acknowledge',
        async () => {
          const { alerts: list } = await api<{ alerts: { id: number; version: number }[] }>(
            a.relay,
            token,
            'GET',
            '/api/alerts?status=new&limit=5000',
          );
          return list.length >= alertsNeeded ? list : undefined;
        },
        ALERTS_TIMEOUT_MS,
        500,
      );
      probe = forkHelper<ProbeMessage, ProbeCommand>(PROBE_MODULE);
      probe.send({
        type: 'start',
        relayA: a.relay.url,
        relayB: b.relay.url,
        token,
        alerts,
        acksPerSecond: ACKS_PER_SECOND,
        settleMs: warmupMs,
      });
      await probe.next(
        (m): m is Extract<ProbeMessage, { type: 'acking' }> => m.type === 'acking',
        warmupMs + PROBE_TIMEOUT_MS,
      );
      const t1 = Date.now();
      const pair = await measure([a, b], measureMs);
      const producedPair = loadRun.ackedBetween(t1, Date.now()) / (measureMs / MS_PER_S);
      probe.send({ type: 'stop', drainMs: CHANGE_DRAIN_MS });
      const { latencies, lost } = await probe.next(
        (m): m is Extract<ProbeMessage, { type: 'result' }> => m.type === 'result',
        PROBE_TIMEOUT_MS,
      );
      const result: RelaysLevelResult = {
        ratePerSecond: rate,
        clientsPerRelay: options.clients,
        producedPerSecond: Math.min(producedAlone, producedPair),
        alone: {
          perSecond: alone!.perSecond,
          cores: alone!.cores,
          latencyP50Ms: alone!.latencyP50Ms,
          latencyP99Ms: alone!.latencyP99Ms,
        },
        pair: pair.map((m) => ({ ...m, ofAlone: m.perSecond / alone!.perSecond })) as [
          RelayShare,
          RelayShare,
        ],
        changeP50Ms: percentile(latencies, 50),
        changeP99Ms: percentile(latencies, 99),
        changeMaxMs: percentile(latencies, 100),
        changeSamples: latencies.length,
        changesLost: lost,
      };
      log(
        `relays @ ${rate} msg/s: A ${pair[0]!.perSecond.toFixed(0)}/s (${(result.pair[0].ofAlone * 100).toFixed(0)}%), ` +
          `B ${pair[1]!.perSecond.toFixed(0)}/s (${(result.pair[1].ofAlone * 100).toFixed(0)}%), ` +
          `change A → client of B p50 ${result.changeP50Ms.toFixed(0)} ms p99 ${result.changeP99Ms.toFixed(0)} ms (${latencies.length} samples, ${lost} lost)`,
      );
      return result;
    }
  } finally {
    if (loadRun && !loadFinished) loadRun.stop();
    await loadRun?.done.catch(() => undefined);
    probe?.kill();
    for (const clients of audiences) clients.close();
    await Promise.all(relays.map((relay) => relay.stop()));
  }
}
