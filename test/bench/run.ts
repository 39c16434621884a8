/**
 * `npm run bench [-- --quick] [--only relay,client,startup,embedded,crowd,relays,replay] [--rates 20000]
 *   [--sizes 50000] [--out FILE] [--raw FILE]`
 *
 * Runs the benchmarks of DESIGN.md §8 on this machine and writes a Markdown report (by default
 * docs/PERFORMANCE.md): the relay against a real Kafka broker with 20 clients, the client in
 * headless Chromium side by side with the naive MapLibre path, and the embedded start-up.
 * `--quick` runs tiny sizes in about two minutes: it checks that the harness works and reports,
 * not that the budgets are met.
 */
import { existsSync, mkdirSync, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import {
  buildNaivePage,
  buildProductPage,
  NAIVE_PAGE_DIR,
  PRODUCT_CLIENT_DIR,
} from './client/build-pages';
import { runClientBench, type ClientBenchOptions } from './client/client-bench';
import { runCrowdBench, runEmbeddedBench } from './crowd/crowd-bench';
import { machineInfo } from './machine-info';
import { LoadAverageRecorder, MachineShareRecorder } from './proc-stats';
import { runRelayBench, type RelayBenchOptions } from './relay/relay-bench';
import { runRelaysBench, type RelaysBenchOptions } from './relays/relays-bench';
import { runReplayStorageBench } from './replay/replay-bench';
import { runReplayScreenBench, type ReplayScreenOptions } from './replay/replay-screen-bench';
import { ROOT } from './relay-child';
import { renderReport, type BenchReport } from './report';
import { runStartupBench } from './startup/startup-bench';

const PARTS = ['relay', 'client', 'startup', 'embedded', 'crowd', 'relays', 'replay'] as const;
type Part = (typeof PARTS)[number];

interface Plan {
  relay: Omit<RelayBenchOptions, 'log'>;
  client: Omit<ClientBenchOptions, 'log' | 'productDir' | 'naiveDir'>;
  startupRuns: number;
  /** The embedded default at scale: vehicles, measuring window, sockets connecting at once. */
  embedded: { vehicles: number; windowMs: number; sockets: number };
  /** Clients connecting at once to an embedded relay of this many vehicles. */
  crowd: { vehicles: number; clients: number; connectTimeoutMs: number; windowMs: number };
  /** Two relays side by side on one broker (DESIGN §12). */
  relays: Omit<RelaysBenchOptions, 'log'>;
  /** Replay: storage and relay-side seeks over `storageMinutes`, then seeks and playback on screen. */
  replay: { storageMinutes: number; storageSeeks: number } & Omit<
    ReplayScreenOptions,
    'log' | 'productDir' | 'naiveDir'
  >;
}

/** The budgets' sizes: 10k/20k/50k messages/s, 10k/50k/100k vehicles, windows long enough for p99. */
const FULL: Plan = {
  relay: { rates: [10_000, 20_000, 50_000], clients: 20, warmupMs: 10_000, measureMs: 30_000 },
  client: {
    sizes: [10_000, 50_000, 100_000],
    paths: ['product', 'naive'],
    repeats: 3,
    warmupMs: 10_000,
    measureMs: 20_000,
    traceMs: 6_000,
    traceSizes: [50_000],
  },
  startupRuns: 3,
  embedded: { vehicles: 50_000, windowMs: 20_000, sockets: 20 },
  crowd: { vehicles: 20_000, clients: 500, connectTimeoutMs: 120_000, windowMs: 10_000 },
  relays: { rates: [20_000, 50_000], clients: 20, warmupMs: 10_000, measureMs: 30_000 },
  replay: {
    vehicles: 50_000,
    storageMinutes: 5,
    storageSeeks: 40,
    historyMinutes: 120,
    seeks: 30,
    playbackSpeed: 10,
    playbackMs: 20_000,
  },
};

/** Tiny sizes: every part runs and reports, in about two minutes. */
const QUICK: Plan = {
  relay: { rates: [2_000], clients: 5, warmupMs: 3_000, measureMs: 6_000 },
  client: {
    sizes: [2_000],
    paths: ['product', 'naive'],
    repeats: 2,
    warmupMs: 3_000,
    measureMs: 6_000,
  },
  startupRuns: 1,
  embedded: { vehicles: 5_000, windowMs: 5_000, sockets: 5 },
  crowd: { vehicles: 2_000, clients: 50, connectTimeoutMs: 60_000, windowMs: 3_000 },
  relays: { rates: [2_000], clients: 5, warmupMs: 3_000, measureMs: 6_000 },
  replay: {
    vehicles: 2_000,
    storageMinutes: 2,
    storageSeeks: 10,
    historyMinutes: 10,
    seeks: 10,
    playbackSpeed: 10,
    playbackMs: 5_000,
  },
};

const DEFAULT_OUT = 'docs/PERFORMANCE.md';
const OPTIMISATIONS = join(ROOT, 'test/bench/optimisations.md');
/** Every number of the run as JSON, beside the Markdown (not checked in). */
const DEFAULT_RAW = 'test-results/bench/last-run.json';
const LOAD_SAMPLE_MS = 5_000;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Whether a built page is at least as new as everything it is built from. */
function isCurrent(builtIndex: string, sources: string[]): boolean {
  if (!existsSync(builtIndex)) return false;
  const builtAt = statSync(builtIndex).mtimeMs;
  return sources
    .map((s) => join(ROOT, s))
    .every((s) => !existsSync(s) || newestMtime(s) <= builtAt);
}

/** A comma-separated list of positive whole numbers, or undefined when the option is absent. */
function numbersOption(name: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const numbers = text.split(',').map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`--${name} takes positive whole numbers separated by commas; got "${text}"`);
  }
  return numbers;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      raw: { type: 'string', default: DEFAULT_RAW },
      /** Only these relay rates (msg/s) or client sizes (vehicles), comma-separated. */
      rates: { type: 'string' },
      sizes: { type: 'string' },
    },
  });
  const parts = new Set<Part>(
    values.only === undefined ? PARTS : (values.only.split(',').map((p) => p.trim()) as Part[]),
  );
  for (const part of parts) {
    if (!PARTS.includes(part)) throw new Error(`--only takes ${PARTS.join(', ')}; got "${part}"`);
  }
  const base = values.quick ? QUICK : FULL;
  const plan: Plan = {
    ...base,
    relay: { ...base.relay, rates: numbersOption('rates', values.rates) ?? base.relay.rates },
    relays: { ...base.relays, rates: numbersOption('rates', values.rates) ?? base.relays.rates },
    client: { ...base.client, sizes: numbersOption('sizes', values.sizes) ?? base.client.sizes },
  };
  const out = resolve(ROOT, values.out);
  const command = [
    'npm run bench',
    values.quick || values.only || values.rates || values.sizes || values.out !== DEFAULT_OUT
      ? '--'
      : '',
  ]
    .concat(values.quick ? ['--quick'] : [], values.only ? [`--only ${values.only}`] : [])
    .concat(values.rates ? [`--rates ${values.rates}`] : [])
    .concat(values.sizes ? [`--sizes ${values.sizes}`] : [])
    .concat(values.out !== DEFAULT_OUT ? [`--out ${relative(ROOT, out)}`] : [])
    .filter(Boolean)
    .join(' ');

  const startedAt = new Date();
  const load = new LoadAverageRecorder();
  load.start(LOAD_SAMPLE_MS);
  const share = new MachineShareRecorder();
  share.begin();
  const machine = machineInfo();
  log(
    `bench (${values.quick ? 'quick' : 'full'}): ${[...parts].join(', ')} → ${relative(ROOT, out)}`,
  );

  const report: Omit<BenchReport, 'durationMs' | 'load' | 'share'> = {
    mode: values.quick ? 'quick' : 'full',
    command,
    startedAt,
    machine,
    optimisations: existsSync(OPTIMISATIONS) ? readFileSync(OPTIMISATIONS, 'utf8') : '',
  };

  let productBuildMs: number | null = null;
  let naiveBuildMs: number | null = null;
  if (parts.has('client') || parts.has('startup') || parts.has('replay')) {
    // A full run always builds; a quick run reuses a build that is newer than its sources.
    const productSources = [
      'renderer',
      'shared',
      'resources',
      'electron.vite.config.ts',
      'package.json',
    ];
    if (!values.quick || !isCurrent(join(PRODUCT_CLIENT_DIR, 'index.html'), productSources)) {
      log('building the product client into .cache/bench …');
      productBuildMs = await buildProductPage();
    }
    const naiveSources = [...productSources, 'test/bench/naive', 'test/bench/browser-globals.ts'];
    if (
      (parts.has('client') || parts.has('replay')) &&
      (!values.quick || !isCurrent(join(NAIVE_PAGE_DIR, 'index.html'), naiveSources))
    ) {
      log('building the naive page into .cache/bench …');
      naiveBuildMs = await buildNaivePage();
    }
  }

  if (parts.has('relay')) {
    log('relay benchmark');
    const result = await runRelayBench({ ...plan.relay, log });
    report.relay = { options: plan.relay, result };
  }
  if (parts.has('client')) {
    log('client benchmark');
    const options = { ...plan.client, productDir: PRODUCT_CLIENT_DIR, naiveDir: NAIVE_PAGE_DIR };
    const results = await runClientBench({ ...options, log });
    report.client = { options, results, productBuildMs, naiveBuildMs };
  }
  if (parts.has('startup')) {
    log('start-up benchmark');
    const runs = await runStartupBench({
      runs: plan.startupRuns,
      clientDir: PRODUCT_CLIENT_DIR,
      log,
    });
    report.startup = { runs, clientBuildMs: productBuildMs };
  }

  if (parts.has('embedded')) {
    log(`embedded default at ${plan.embedded.vehicles} vehicles`);
    report.embedded = await runEmbeddedBench({ ...plan.embedded, log });
  }
  if (parts.has('crowd')) {
    log(`crowd: ${plan.crowd.clients} clients at once`);
    report.crowd = await runCrowdBench({ ...plan.crowd, log });
  }
  if (parts.has('relays')) {
    log('two relays side by side');
    const options = plan.relays;
    report.relays = { options, result: await runRelaysBench({ ...options, log }) };
  }
  if (parts.has('replay')) {
    const { storageMinutes, storageSeeks, ...screen } = plan.replay;
    log(`replay at ${screen.vehicles} vehicles`);
    const storage = await runReplayStorageBench(screen.vehicles, storageMinutes, storageSeeks);
    log(
      `replay: ${(storage.storedBytesPerHour / 1e6).toFixed(0)} MB/hour stored; relay-side seek p95 ${storage.seekMs.p95.toFixed(0)} ms`,
    );
    const onScreen = await runReplayScreenBench({
      ...screen,
      productDir: PRODUCT_CLIENT_DIR,
      naiveDir: NAIVE_PAGE_DIR,
      log,
    });
    report.replay = { storage, screen: onScreen };
  }

  const finished: BenchReport = {
    ...report,
    durationMs: Date.now() - startedAt.getTime(),
    load: load.stop(),
    share: share.end(),
  };
  const markdown = renderReport(finished);
  // The report is checked in and linted like every other file: write it as Prettier would.
  const prettierConfig = (await resolveConfig(out)) ?? {};
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await format(markdown, { ...prettierConfig, parser: 'markdown' }));
  const raw = resolve(ROOT, values.raw);
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, JSON.stringify(finished, null, 2));
  log(`report written to ${relative(ROOT, out)} (every number in ${relative(ROOT, raw)})`);
}

main().then(
  // Sockets, timers and child processes of the parts are closed; exit without waiting on stragglers.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
