/**
 * Relay benchmark: a real Kafka broker, fed position rows at a fixed rate, consumed by the real
 * relay (its own process) and delivered to Socket.IO clients that decode every frame. For each
 * rate the same load is then consumed by a bare kafkajs consumer that only counts: the ceiling.
 *
 * Per rate (vehicles = rate: every vehicle reports once a second):
 *   fresh topics → sessions → relay → clients → load (warm-up, then the measured window)
 *   fresh topics → counting consumer → the same load
 */
import { join } from 'node:path';
import { startKafkaBroker, type KafkaBroker } from '../../harness/kafka-broker';
import { forkHelper } from '../child-process';
import { coresUsed, sampleProcess, type ProcSample } from '../proc-stats';
import { login, startRelayChild, ROOT, type RelayChild } from '../relay-child';
import { percentile, sleep, waitFor } from '../stats';
import { AppendTimes, LatencyClients } from './latency-clients';
import {
  benchKafka,
  POSITION_PARTITIONS,
  POSITION_TOPIC,
  produceSessions,
  recreateTopics,
} from './bench-topics';
import type {
  CounterCommand,
  CounterMessage,
  GeneratorChunk,
  GeneratorCommand,
  GeneratorDone,
  GeneratorMessage,
} from './ipc';

const GENERATOR = join(ROOT, 'test/bench/relay/load-generator.ts');
const COUNTER = join(ROOT, 'test/bench/relay/count-consumer.ts');
const CHILD_ANSWER_TIMEOUT_MS = 60_000;
const TABLE_TIMEOUT_MS = 120_000;
const RESOLVE_INTERVAL_MS = 1_000;
/** After the load stops, how long clients may still receive what was in flight. */
const DRAIN_MS = 2_000;
/**
 * The load runs this long past the window at most: the bench stops it once the window's numbers
 * are read. Reading them (the relay's /metrics under full load) once took longer than a fixed
 * drain, and the generator had already exited when its CPU was sampled.
 */
const LOAD_SLACK_MS = 30_000;
const MB = 1024 * 1024;
const INGESTED_METRIC = new RegExp(
  `^relay_ingest_messages_total\\{topic="${POSITION_TOPIC}"\\} (\\d+)`,
  'm',
);

export interface RelayBenchOptions {
  /** Position messages per second offered to Kafka; one level each. */
  rates: number[];
  clients: number;
  warmupMs: number;
  measureMs: number;
  /** Also run the bare counting consumer at every rate (default true). */
  ceiling?: boolean;
  log: (line: string) => void;
}

export interface RelayLevelResult {
  ratePerSecond: number;
  vehicles: number;
  clients: number;
  /** Messages/s Kafka acknowledged to the generator during the relay's window. */
  producedPerSecond: number;
  relayPerSecond: number;
  /** Consumer lag (messages) the relay reported at the end of its window. */
  relayLagAtEnd: number | null;
  /** Relay CPU as a fraction of one core. */
  relayCores: number;
  relayRssMb: number;
  relayPeakRssMb: number;
  /** Vehicle rows each client received per second (coalesced per frame tick). */
  rowsPerClientPerSecond: number;
  framesPerClientPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  latencySamples: number;
  /** Kafka append → the relay built the frame (ingest and the wait for the frame tick), p50/p99. */
  toFrameP50Ms: number;
  toFrameP99Ms: number;
  /** Relay frame built → client received (Socket.IO send, transfer, decode), p50/p99. */
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  /** CPU of this process (the clients, the bookkeeping) as a fraction of one core. */
  clientProcessCores: number;
  /** CPU of the load generator as a fraction of one core. */
  generatorCores: number;
  unresolvedSamples: number;
  ceilingProducedPerSecond: number;
  ceilingPerSecond: number;
  ceilingCores: number;
  /** Kafka append → the counting consumer has the message, p50/p99: Kafka's own share. */
  ceilingAgeP50Ms: number;
  ceilingAgeP99Ms: number;
  generatorThrottled: boolean;
}

export interface RelayBenchResult {
  levels: RelayLevelResult[];
  brokerStartMs: number;
}

export async function runRelayBench(options: RelayBenchOptions): Promise<RelayBenchResult> {
  const brokerStarted = Date.now();
  const broker = await startKafkaBroker();
  const brokerStartMs = Date.now() - brokerStarted;
  options.log(`kafka broker up at ${broker.brokers} in ${brokerStartMs} ms`);
  const kafka = benchKafka(broker.brokers);
  const admin = kafka.admin();
  await admin.connect();
  const levels: RelayLevelResult[] = [];
  try {
    for (const rate of options.rates) {
      levels.push(await runLevel(broker, kafka, admin, rate, options));
    }
  } finally {
    await admin.disconnect();
    await broker.stop();
  }
  return { levels, brokerStartMs };
}

type CeilingResult = Pick<
  RelayLevelResult,
  | 'ceilingProducedPerSecond'
  | 'ceilingPerSecond'
  | 'ceilingCores'
  | 'ceilingAgeP50Ms'
  | 'ceilingAgeP99Ms'
>;
type Kafka = ReturnType<typeof benchKafka>;
type Admin = ReturnType<Kafka['admin']>;

interface LoadRun {
  pid: number;
  /** Messages acknowledged with their ack inside [from, to]. */
  ackedBetween(fromMs: number, toMs: number): number;
  done: Promise<GeneratorDone>;
  stop(): void;
}

/** Starts the load generator; every acknowledged chunk also goes to `onChunk`. */
export async function startLoad(
  brokers: string,
  rate: number,
  durationMs: number,
  onChunk: (chunk: GeneratorChunk) => void,
): Promise<LoadRun> {
  const generator = forkHelper<GeneratorMessage, GeneratorCommand>(GENERATOR);
  const acks: { atMs: number; count: number }[] = [];
  generator.onMessage((message) => {
    if (message.type !== 'chunk') return;
    acks.push({ atMs: Date.now(), count: message.count });
    onChunk(message);
  });
  const ready = generator.next(
    (m): m is { type: 'ready' } => m.type === 'ready',
    CHILD_ANSWER_TIMEOUT_MS,
  );
  generator.send({
    type: 'start',
    brokers: [brokers],
    topic: POSITION_TOPIC,
    partitions: POSITION_PARTITIONS,
    vehicles: rate,
    ratePerSecond: rate,
    durationMs,
  });
  await ready;
  const done = generator.next(
    (m): m is GeneratorDone => m.type === 'done',
    durationMs + CHILD_ANSWER_TIMEOUT_MS,
  );
  return {
    pid: generator.pid,
    ackedBetween: (fromMs, toMs) =>
      acks.filter((a) => a.atMs >= fromMs && a.atMs <= toMs).reduce((sum, a) => sum + a.count, 0),
    done,
    stop: () => generator.send({ type: 'stop' }),
  };
}

/**
 * The generator's CPU and memory at the end of the window. A generator that already stopped has
 * said why (its Kafka error): that is the failure to report, not the missing /proc entry.
 */
async function sampleGenerator(load: LoadRun): Promise<ProcSample> {
  try {
    return sampleProcess(load.pid);
  } catch (error) {
    await load.done;
    throw error;
  }
}

async function ingestedCount(relay: RelayChild): Promise<number> {
  const text = await (await fetch(new URL('/metrics', relay.url))).text();
  return Number(INGESTED_METRIC.exec(text)?.[1] ?? 0);
}

async function runLevel(
  broker: KafkaBroker,
  kafka: Kafka,
  admin: Admin,
  rate: number,
  options: RelayBenchOptions,
): Promise<RelayLevelResult> {
  const { warmupMs, measureMs, log } = options;
  const vehicles = rate;
  const loadMs = warmupMs + measureMs + LOAD_SLACK_MS;

  // ── The relay ──
  log(`relay @ ${rate} msg/s: fresh topics, ${vehicles} sessions`);
  await recreateTopics(admin);
  await produceSessions(kafka, vehicles);
  const relay = await startRelayChild({
    env: {
      KAFKA_BROKERS: broker.brokers,
      KAFKA_GROUP_ID: `bench-relay-${rate}-${Date.now()}`,
      KAFKA_FROM_BEGINNING: 'true',
      WRITE_SEED_TABLES: 'false',
    },
  });
  const appendTimes = new AppendTimes(vehicles, POSITION_PARTITIONS);
  const clients = new LatencyClients(appendTimes, options.clients);
  let relayResult: Omit<RelayLevelResult, keyof CeilingResult>;
  try {
    const { token } = await login(relay.url);
    await clients.connect(relay.url, token);
    await waitFor(
      'the vehicle table',
      () => (clients.vehiclesKnown >= vehicles ? true : undefined),
      TABLE_TIMEOUT_MS,
      200,
    );
    log(`relay @ ${rate} msg/s: ${options.clients} clients have the table; loading`);
    const load = await startLoad(broker.brokers, rate, loadMs, (chunk) =>
      appendTimes.record(chunk),
    );
    const resolver = setInterval(() => clients.resolvePending(Date.now()), RESOLVE_INTERVAL_MS);
    await sleep(warmupMs);
    clients.startWindow();
    const cpu0 = sampleProcess(relay.pid);
    const generatorCpu0 = sampleProcess(load.pid);
    const ingested0 = await ingestedCount(relay);
    const ownCpu0 = process.cpuUsage();
    const t0 = Date.now();
    await sleep(measureMs);
    const t1 = Date.now();
    const ownCpu = process.cpuUsage(ownCpu0);
    const cpu1 = sampleProcess(relay.pid);
    const generatorCpu1 = await sampleGenerator(load);
    clients.endWindow();
    const ingested1 = await ingestedCount(relay);
    // Read while the load still runs: the lag says whether the relay keeps up.
    const health = (await (await fetch(new URL('/healthz', relay.url))).json()) as {
      consumerLag: number | null;
    };
    load.stop();
    const done = await load.done;
    await sleep(DRAIN_MS);
    clearInterval(resolver);
    clients.resolvePending(Date.now(), true);
    const seconds = (t1 - t0) / 1000;
    const latencies = clients.latencies;
    relayResult = {
      ratePerSecond: rate,
      vehicles,
      clients: options.clients,
      producedPerSecond: load.ackedBetween(t0, t1) / seconds,
      relayPerSecond: (ingested1 - ingested0) / seconds,
      relayLagAtEnd: health.consumerLag,
      relayCores: coresUsed(cpu0, cpu1),
      relayRssMb: cpu1.rssBytes / MB,
      relayPeakRssMb: cpu1.peakRssBytes / MB,
      rowsPerClientPerSecond: clients.rowsInWindow / options.clients / seconds,
      framesPerClientPerSecond: clients.framesInWindow / options.clients / seconds,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      latencyMaxMs: percentile(latencies, 100),
      latencySamples: latencies.length,
      toFrameP50Ms: percentile(clients.toFrameMs, 50),
      toFrameP99Ms: percentile(clients.toFrameMs, 99),
      deliveryP50Ms: percentile(clients.deliveryMs, 50),
      deliveryP99Ms: percentile(clients.deliveryMs, 99),
      clientProcessCores: (ownCpu.user + ownCpu.system) / 1000 / (t1 - t0),
      generatorCores: coresUsed(generatorCpu0, generatorCpu1),
      unresolvedSamples: clients.unresolved,
      generatorThrottled: done.throttledTicks > 0,
    };
    log(
      `relay @ ${rate} msg/s: produced ${relayResult.producedPerSecond.toFixed(0)}/s, relay ${relayResult.relayPerSecond.toFixed(0)}/s, ` +
        `p50 ${relayResult.latencyP50Ms.toFixed(0)} ms, p99 ${relayResult.latencyP99Ms.toFixed(0)} ms ` +
        `(to frame p50 ${relayResult.toFrameP50Ms.toFixed(0)} p99 ${relayResult.toFrameP99Ms.toFixed(0)}, delivery p99 ${relayResult.deliveryP99Ms.toFixed(0)}), ` +
        `clients' process ${(relayResult.clientProcessCores * 100).toFixed(0)}%, generator ${(relayResult.generatorCores * 100).toFixed(0)}%, ` +
        `cpu ${(relayResult.relayCores * 100).toFixed(0)}%, rss ${relayResult.relayRssMb.toFixed(0)} MB, lag ${health.consumerLag}`,
    );
  } finally {
    clients.close();
    await relay.stop();
  }

  // ── The ceiling: a consumer that only counts ──
  if (options.ceiling === false) {
    const nothing = Number.NaN;
    return {
      ...relayResult,
      ceilingProducedPerSecond: nothing,
      ceilingPerSecond: nothing,
      ceilingCores: nothing,
      ceilingAgeP50Ms: nothing,
      ceilingAgeP99Ms: nothing,
    };
  }
  log(`ceiling @ ${rate} msg/s: fresh topics, counting consumer`);
  await recreateTopics(admin);
  const counter = forkHelper<CounterMessage, CounterCommand>(COUNTER);
  const counts: { atMs: number; total: number }[] = [];
  let ages: number[] = [];
  let collectAges = false;
  counter.onMessage((m) => {
    if (m.type !== 'count') return;
    counts.push({ atMs: Date.now(), total: m.total });
    if (collectAges) ages = ages.concat(m.ages);
  });
  let ceiling: CeilingResult;
  try {
    const joined = counter.next(
      (m): m is { type: 'joined' } => m.type === 'joined',
      CHILD_ANSWER_TIMEOUT_MS,
    );
    counter.send({
      type: 'start',
      brokers: [broker.brokers],
      groupId: `bench-count-${rate}-${Date.now()}`,
      topic: POSITION_TOPIC,
    });
    await joined;
    const load = await startLoad(broker.brokers, rate, loadMs, () => undefined);
    await sleep(warmupMs);
    const totalAt = () => counts.at(-1)?.total ?? 0;
    const cpu0 = sampleProcess(counter.pid);
    const c0 = totalAt();
    const t0 = Date.now();
    collectAges = true;
    await sleep(measureMs);
    collectAges = false;
    const t1 = Date.now();
    const c1 = totalAt();
    const cpu1 = sampleProcess(counter.pid);
    load.stop();
    await load.done;
    const seconds = (t1 - t0) / 1000;
    ceiling = {
      ceilingProducedPerSecond: load.ackedBetween(t0, t1) / seconds,
      ceilingPerSecond: (c1 - c0) / seconds,
      ceilingCores: coresUsed(cpu0, cpu1),
      ceilingAgeP50Ms: percentile(ages, 50),
      ceilingAgeP99Ms: percentile(ages, 99),
    };
    log(
      `ceiling @ ${rate} msg/s: produced ${ceiling.ceilingProducedPerSecond.toFixed(0)}/s, counted ${ceiling.ceilingPerSecond.toFixed(0)}/s, ` +
        `cpu ${(ceiling.ceilingCores * 100).toFixed(0)}%, age p50 ${ceiling.ceilingAgeP50Ms} p99 ${ceiling.ceilingAgeP99Ms} ms`,
    );
  } finally {
    counter.send({ type: 'stop' });
    await Promise.race([counter.exited, sleep(10_000)]);
    counter.kill();
  }
  return { ...relayResult, ...ceiling };
}
