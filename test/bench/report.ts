/**
 * Renders a benchmark run as Markdown (docs/PERFORMANCE.md): the budgets first, then the machine,
 * then each part's numbers and how they were taken, then the optimisation record (kept by hand in
 * test/bench/optimisations.md, with the before/after numbers of each change).
 */
import type { CrowdBenchResult, EmbeddedBenchResult } from './crowd/crowd-bench';
import { crowdSection, embeddedSection } from './crowd/crowd-report';
import type { RelaysBenchOptions, RelaysBenchResult } from './relays/relays-bench';
import { relaysSection } from './relays/relays-report';
import { replayBudgetRows, replaySection, type ReplayReport } from './replay/replay-report';
import type { MachineInfo } from './machine-info';
import type { RelayBenchOptions, RelayBenchResult, RelayLevelResult } from './relay/relay-bench';
import type { ClientBenchOptions, ClientRunResult } from './client/client-bench';
import type { ThreadBusy } from './client/trace-summary';
import type { StartupRun } from './startup/startup-bench';
import { fmt, percentile, ratio } from './stats';

/** DESIGN.md §8, and the aims the issue adds. */
export const BUDGETS = {
  relayRatePerSecond: 20_000,
  relayCores: 1,
  relayP99Ms: 500,
  relayP99AimMs: 300,
  relayClients: 20,
  relayRssVehicles: 50_000,
  relayRssMb: 400,
  clientVehicles: 50_000,
  clientMainThreadRatio: 10,
  clientP95Ms: 1_000,
  startupMs: 10_000,
} as const;
/** The relay kept up when it consumed at least this share of what was produced in its window. */
const KEPT_UP_SHARE = 0.95;

export interface BenchReport {
  mode: 'full' | 'quick';
  command: string;
  startedAt: Date;
  durationMs: number;
  machine: MachineInfo;
  load: { min: number; mean: number; max: number; cores: number };
  share: { machineCores: number; benchCores: number; otherCores: number };
  relay?: { options: Omit<RelayBenchOptions, 'log'>; result: RelayBenchResult };
  client?: {
    options: Omit<ClientBenchOptions, 'log'>;
    results: ClientRunResult[];
    productBuildMs: number | null;
    naiveBuildMs: number | null;
  };
  startup?: { runs: StartupRun[]; clientBuildMs: number | null };
  /** The embedded default at scale, and a crowd connecting at once (crowd/crowd-bench.ts). */
  embedded?: EmbeddedBenchResult;
  crowd?: CrowdBenchResult;
  /** Two relays side by side on one broker (relays/relays-bench.ts). */
  relays?: { options: Omit<RelaysBenchOptions, 'log'>; result: RelaysBenchResult };
  /** Replay storage, seek and playback (replay/replay-bench.ts, replay/replay-screen-bench.ts). */
  replay?: ReplayReport;
  /** Hand-kept Markdown: the optimisations, each with before and after. */
  optimisations: string;
}

type Verdict = 'met' | 'not met' | 'not measured';

interface BudgetRow {
  budget: string;
  measured: string;
  verdict: Verdict;
}

const mark = (v: Verdict) =>
  v === 'met' ? '**met**' : v === 'not met' ? '**not met**' : 'not measured';
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${fmt(value)} ms`;
const pct = (value: number) => `${fmt(value * 100)} %`;

function relayAt(report: BenchReport, rate: number): RelayLevelResult | undefined {
  return report.relay?.result.levels.find((l) => l.ratePerSecond === rate);
}

function keptUp(level: RelayLevelResult): boolean {
  return level.relayPerSecond >= KEPT_UP_SHARE * level.producedPerSecond;
}

function clientRuns(report: BenchReport, vehicles: number, path: 'product' | 'naive') {
  return (report.client?.results ?? []).filter((r) => r.vehicles === vehicles && r.path === path);
}

/**
 * One path at one size as the median of its runs, figure by figure (a single run is itself).
 * Single runs swing by ±20 % on this machine; the tables give the spread beside the median.
 */
function clientAt(
  report: BenchReport,
  vehicles: number,
  path: 'product' | 'naive',
): ClientRunResult | undefined {
  const runs = clientRuns(report, vehicles, path);
  if (runs.length <= 1) return runs[0];
  const median = (pick: (r: ClientRunResult) => number) => percentile(runs.map(pick), 50);
  return {
    ...runs.at(-1)!,
    windowMs: median((r) => r.windowMs),
    updates: median((r) => r.updates),
    mainThreadMsPerUpdate: median((r) => r.mainThreadMsPerUpdate),
    applyMsPerUpdate: median((r) => r.applyMsPerUpdate),
    latencyP50Ms: median((r) => r.latencyP50Ms),
    latencyP95Ms: median((r) => r.latencyP95Ms),
    latencyMaxMs: median((r) => r.latencyMaxMs),
    notShown: Math.max(...runs.map((r) => r.notShown)),
    framesPerSecond: median((r) => r.framesPerSecond),
    cpuMsPerUpdate: {
      renderer: median((r) => r.cpuMsPerUpdate.renderer),
      gpu: median((r) => r.cpuMsPerUpdate.gpu),
      browser: median((r) => r.cpuMsPerUpdate.browser),
      other: median((r) => r.cpuMsPerUpdate.other),
    },
  };
}

/** naive ÷ product main-thread time of each run (runs pair up by their number). */
function mainThreadRatios(report: BenchReport, vehicles: number): number[] {
  const naive = clientRuns(report, vehicles, 'naive');
  return clientRuns(report, vehicles, 'product').flatMap((p) => {
    const n = naive.find((r) => r.run === p.run);
    return n ? [n.mainThreadMsPerUpdate / p.mainThreadMsPerUpdate] : [];
  });
}

/** ` (min–max of N runs)` after a median, or nothing for a single run. */
function spread(values: number[], format: (v: number) => string): string {
  if (values.length <= 1) return '';
  return ` (${format(Math.min(...values))}–${format(Math.max(...values))} over ${values.length} runs)`;
}

export function budgetRows(report: BenchReport): BudgetRow[] {
  const rows: BudgetRow[] = [];
  const at20k = relayAt(report, BUDGETS.relayRatePerSecond);
  rows.push(
    at20k
      ? {
          budget: `Relay: ${fmt(BUDGETS.relayRatePerSecond)} position messages/s from real Kafka on one core`,
          measured: `${fmt(at20k.relayPerSecond)}/s consumed of ${fmt(at20k.producedPerSecond)}/s produced, lag at end ${fmt(at20k.relayLagAtEnd)}, relay CPU ${pct(at20k.relayCores)} of one core`,
          verdict:
            at20k.producedPerSecond >= KEPT_UP_SHARE * BUDGETS.relayRatePerSecond &&
            keptUp(at20k) &&
            at20k.relayCores <= BUDGETS.relayCores
              ? 'met'
              : 'not met',
        }
      : {
          budget: `Relay: ${fmt(BUDGETS.relayRatePerSecond)} msg/s on one core`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  rows.push(
    at20k && at20k.clients >= BUDGETS.relayClients
      ? {
          budget: `Relay: Kafka append → client receive p99 under ${BUDGETS.relayP99Ms} ms with ${BUDGETS.relayClients} clients (aim ${BUDGETS.relayP99AimMs} ms)`,
          measured: `p99 ${ms(at20k.latencyP99Ms)} (p50 ${ms(at20k.latencyP50Ms)}) at ${fmt(at20k.ratePerSecond)} msg/s`,
          verdict: at20k.latencyP99Ms < BUDGETS.relayP99Ms ? 'met' : 'not met',
        }
      : {
          budget: `Relay: p99 under ${BUDGETS.relayP99Ms} ms with ${BUDGETS.relayClients} clients`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  const at50k = relayAt(report, BUDGETS.relayRssVehicles);
  rows.push(
    at50k
      ? {
          budget: `Relay: ${fmt(BUDGETS.relayRssVehicles)} tracked vehicles in under ${BUDGETS.relayRssMb} MB RSS`,
          measured: `${fmt(at50k.relayRssMb)} MB at the end of the window, peak ${fmt(at50k.relayPeakRssMb)} MB`,
          verdict: at50k.relayPeakRssMb < BUDGETS.relayRssMb ? 'met' : 'not met',
        }
      : {
          budget: `Relay: ${fmt(BUDGETS.relayRssVehicles)} vehicles under ${BUDGETS.relayRssMb} MB RSS`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  const product = clientAt(report, BUDGETS.clientVehicles, 'product');
  const naive = clientAt(report, BUDGETS.clientVehicles, 'naive');
  const ratios = mainThreadRatios(report, BUDGETS.clientVehicles);
  const medianRatio = percentile(ratios, 50);
  rows.push(
    product && naive
      ? {
          budget: `Client at ${fmt(BUDGETS.clientVehicles)} vehicles: main-thread time per update at most a tenth of the naive path's`,
          measured: `${fmt(product.mainThreadMsPerUpdate)} ms vs ${fmt(naive.mainThreadMsPerUpdate)} ms: ${fmt(medianRatio, 1)}× less${spread(ratios, (v) => `${fmt(v, 1)}×`)}${ratios.length > 1 ? ', medians' : ''}`,
          verdict: medianRatio >= BUDGETS.clientMainThreadRatio ? 'met' : 'not met',
        }
      : {
          budget: `Client at ${fmt(BUDGETS.clientVehicles)}: a tenth of the naive main-thread time`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  rows.push(
    product
      ? {
          budget: `Client at ${fmt(BUDGETS.clientVehicles)} vehicles: update-to-screen p95 under ${fmt(BUDGETS.clientP95Ms)} ms`,
          measured: `p95 ${ms(product.latencyP95Ms)} (naive ${naive ? ms(naive.latencyP95Ms) : '—'})`,
          verdict:
            product.latencyP95Ms < BUDGETS.clientP95Ms && product.notShown === 0
              ? 'met'
              : 'not met',
        }
      : {
          budget: `Client at ${fmt(BUDGETS.clientVehicles)}: p95 under ${fmt(BUDGETS.clientP95Ms)} ms`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  const startup = report.startup?.runs ?? [];
  const startupMedian = percentile(
    startup.map((r) => r.totalMs),
    50,
  );
  rows.push(
    startup.length > 0
      ? {
          budget: `Embedded \`npm start\` to a live map under ${fmt(BUDGETS.startupMs / 1000)} s`,
          measured: `${fmt(startupMedian)} ms (median of ${startup.length})`,
          verdict: startupMedian < BUDGETS.startupMs ? 'met' : 'not met',
        }
      : {
          budget: `Embedded \`npm start\` under ${fmt(BUDGETS.startupMs / 1000)} s`,
          measured: '—',
          verdict: 'not measured',
        },
  );
  rows.push(...replayBudgetRows(report.replay));
  return rows;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function machineSection(report: BenchReport): string {
  const m = report.machine;
  const { share, load } = report;
  const shared = share.otherCores >= 0.25;
  const packages = Object.entries(m.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    '## Machine and run',
    '',
    table(
      ['', ''],
      [
        ['Command', `\`${report.command}\``],
        [
          'Mode',
          report.mode === 'quick'
            ? 'quick (tiny sizes: checks the harness, not the budgets)'
            : 'full',
        ],
        [
          'Started',
          `${report.startedAt.toISOString()} (took ${fmt(report.durationMs / 60_000, 1)} min)`,
        ],
        [
          'Code',
          `commit ${m.gitCommit}${m.gitDirty ? ' with uncommitted changes in the working tree' : ''}`,
        ],
        ['CPU', `${m.cpuModel}, ${m.cores} cores; ${fmt(m.memoryGib, 1)} GiB RAM`],
        ['OS', `${m.os}, Linux ${m.kernel}`],
        [
          'Runtime',
          `Node ${m.node}; ${m.chromium} (headless, WebGL through SwiftShader: no GPU); ${m.java}; ${m.kafka}`,
        ],
        ['Packages', packages],
        [
          'Load average (1 min) during the run',
          `min ${fmt(load.min, 1)}, mean ${fmt(load.mean, 1)}, max ${fmt(load.max, 1)} on ${load.cores} cores`,
        ],
        [
          'CPU use during the run',
          `whole machine ${fmt(share.machineCores, 2)} cores busy on average: this benchmark ${fmt(share.benchCores, 2)}, other processes ${fmt(share.otherCores, 2)}`,
        ],
      ],
    ),
    '',
    shared
      ? `**The machine was shared during this run**: other processes (other engineers' builds and test runs) kept ${fmt(share.otherCores, 2)} of its ${load.cores} cores busy on average, beside the benchmark. Every number below was taken under that competition; latencies and frame rates suffer most. Ratios taken side by side in the same run (relay vs. bare consumer, product vs. naive path) are the more robust figures.`
      : `The machine was not noticeably shared: other processes used ${fmt(share.otherCores, 2)} cores on average.`,
  ].join('\n');
}

function relaySection(report: BenchReport): string {
  if (!report.relay) return '';
  const { options, result } = report.relay;
  const rows = result.levels.map((l) => [
    fmt(l.ratePerSecond),
    fmt(l.producedPerSecond),
    `${fmt(l.relayPerSecond)}${keptUp(l) ? '' : ' (fell behind)'}`,
    fmt(l.ceilingPerSecond),
    pct(l.relayPerSecond / l.ceilingPerSecond),
    `${ms(l.latencyP50Ms)} / ${ms(l.latencyP99Ms)}`,
    `${ms(l.toFrameP50Ms)} / ${ms(l.toFrameP99Ms)}`,
    `${ms(l.deliveryP50Ms)} / ${ms(l.deliveryP99Ms)}`,
    `${ms(l.ceilingAgeP50Ms)} / ${ms(l.ceilingAgeP99Ms)}`,
    pct(l.relayCores),
    `${fmt(l.relayRssMb)} (${fmt(l.relayPeakRssMb)})`,
    fmt(l.rowsPerClientPerSecond),
  ]);
  return [
    '## Relay: Kafka → relay → Socket.IO clients',
    '',
    table(
      [
        'offered msg/s (= vehicles at 1 Hz)',
        'produced msg/s',
        'relay consumed msg/s',
        'bare consumer msg/s (ceiling)',
        'relay / ceiling',
        'append → client p50 / p99',
        'of which append → frame built p50 / p99',
        'frame → client p50 / p99',
        'ceiling: append → consumer p50 / p99',
        'relay CPU (one core = 100 %)',
        'relay RSS MB (peak)',
        'rows per client per s',
      ],
      rows,
    ),
    '',
    `${options.clients} Socket.IO clients; ${fmt(options.warmupMs / 1000)} s warm-up then a ${fmt(options.measureMs / 1000)} s window per rate; broker start ${fmt(result.brokerStartMs / 1000, 1)} s.`,
    '',
    '### How it was measured',
    '',
    '- A real single-node Kafka broker (KRaft, from Kafka’s jars: test/harness/kafka-broker.ts). For every rate the seed topics are deleted and created again, the position topic (`driving_session_info`, 6 partitions) with `message.timestamp.type=LogAppendTime`, so each record’s timestamp is the moment Kafka appended it.',
    '- Load: not the full simulator (its road-network motion costs a core by itself at 50k vehicles) but `test/bench/relay/load-generator.ts`, a child process that replays position rows in the seed’s `driving_session_info` JSON shape, built by string concatenation, with kafkajs `sendBatch` (acks 1, no compression) every 50 ms. One open `driving_session` row per vehicle is produced first. Vehicles = rate: every vehicle reports once a second.',
    '- The relay is the real one, started as its own process exactly as `npm run relay` (test/bench/relay-child.ts), with `KAFKA_BROKERS`, `WRITE_SEED_TABLES=false` (in a connected deployment the upstream writes the seed tables), SQLite for its own tables. CPU is the relay process’s utime+stime from `/proc/<pid>/stat` over the window; RSS is `VmRSS`/`VmHWM` from `/proc/<pid>/status`. Consumed messages come from its `/metrics` counter.',
    '- Clients: Socket.IO clients in the benchmark process, logged in with a token, WebSocket transport; every client decodes every frame (shared/frames.ts) and walks every row. Latency: each row’s speed carries a generation code, so a received row is traced to the exact message behind it; Kafka’s LogAppendTime for it comes from the producer’s acknowledgement; the client’s receive time is `Date.now()` on the same machine. Each vehicle is timed by one client; only the first arrival of a message counts (key frames repeat rows). The split "append → frame built" uses the frame header’s server time; the rest is the Socket.IO send, transfer and decode.',
    '- The ceiling: with the same load on fresh topics, a bare kafkajs consumer in its own process (test/bench/relay/count-consumer.ts) with the relay’s consumer settings (fetch sizes, wait, 3 partitions at a time, a commit per batch) that only counts messages. Its "append → consumer" is Kafka’s own share of the latency.',
  ].join('\n');
}

function clientRow(
  report: BenchReport,
  product: ClientRunResult | undefined,
  naive: ClientRunResult | undefined,
  vehicles: number,
) {
  const cell = (r: ClientRunResult | undefined, f: (r: ClientRunResult) => string) =>
    r ? f(r) : '—';
  const latency = (r: ClientRunResult) =>
    `${ms(r.latencyP50Ms)} / ${ms(r.latencyP95Ms)}${spread(
      clientRuns(report, vehicles, r.path).map((run) => run.latencyP95Ms),
      (v) => fmt(v),
    )}${r.notShown > 0 ? ` (${r.notShown} not shown in time)` : ''}`;
  const mainThread = (r: ClientRunResult) =>
    `${fmt(r.mainThreadMsPerUpdate, 1)} ms${spread(
      clientRuns(report, vehicles, r.path).map((run) => run.mainThreadMsPerUpdate),
      (v) => fmt(v, 1),
    )} (apply ${fmt(r.applyMsPerUpdate, 1)})`;
  const ratios = mainThreadRatios(report, vehicles);
  return [
    fmt(vehicles),
    cell(product, mainThread),
    cell(naive, mainThread),
    ratios.length > 0
      ? `${fmt(percentile(ratios, 50), 1)}×${spread(ratios, (v) => `${fmt(v, 1)}×`)}`
      : '—',
    cell(product, latency),
    cell(naive, latency),
    product && naive ? ratio(naive.latencyP95Ms, product.latencyP95Ms) : '—',
    `${cell(product, (r) => fmt(r.framesPerSecond, 1))} / ${cell(naive, (r) => fmt(r.framesPerSecond, 1))}`,
    `${cell(product, (r) => `${fmt(r.cpuMsPerUpdate.renderer)} + ${fmt(r.cpuMsPerUpdate.gpu)}`)} / ${cell(naive, (r) => `${fmt(r.cpuMsPerUpdate.renderer)} + ${fmt(r.cpuMsPerUpdate.gpu)}`)}`,
  ];
}

function traceTable(label: string, trace: ThreadBusy[]): string {
  return [
    `**${label}** (busy ms per second of trace, top-level tasks; the costliest events on each thread):`,
    '',
    table(
      ['process / thread', 'busy ms/s', 'top events (ms/s)'],
      trace.map((t) => [
        `${t.process} / ${t.thread}`,
        fmt(t.busyMsPerSecond),
        t.top.map((e) => `${e.name} ${fmt(e.msPerSecond)}`).join(', '),
      ]),
    ),
  ].join('\n');
}

/** Which sizes the product glided at and which it stepped at, e.g. "glides at 10,000, steps at 50,000". */
function motionSummary(results: ClientRunResult[]): string {
  const product = results.filter((r) => r.path === 'product' && r.gliding !== null);
  if (product.length === 0) return 'not reported';
  const sizes = (gliding: boolean) =>
    product
      .filter((r) => r.gliding === gliding)
      .map((r) => fmt(r.vehicles))
      .join(', ');
  return [
    sizes(true) ? `glides at ${sizes(true)}` : '',
    sizes(false) ? `steps at ${sizes(false)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function clientSection(report: BenchReport): string {
  if (!report.client) return '';
  const { options, results } = report.client;
  const rows = options.sizes.map((n) =>
    clientRow(report, clientAt(report, n, 'product'), clientAt(report, n, 'naive'), n),
  );
  const traces = results
    .filter((r) => r.trace && r.trace.length > 0)
    .map((r) => traceTable(`${r.path} path, ${fmt(r.vehicles)} vehicles`, r.trace!));
  const builds =
    report.client.productBuildMs === null
      ? 'The pages were already built from the current sources (quick mode reuses a current build).'
      : `Built for this run: the product client in ${fmt(report.client.productBuildMs / 1000)} s, the naive page in ${fmt((report.client.naiveBuildMs ?? 0) / 1000)} s.`;
  return [
    '## Client: the product path vs the naive path, headless Chromium',
    '',
    table(
      [
        'vehicles (all moving at 1 Hz)',
        'product: main thread per update',
        'naive: main thread per update',
        'naive / product',
        'product: update → screen p50 / p95',
        'naive: update → screen p50 / p95',
        'naive / product (p95)',
        'frames/s product / naive',
        'browser CPU ms per update, renderer + GPU process: product / naive',
      ],
      rows,
    ),
    '',
    `${(options.repeats ?? 1) > 1 ? `Each figure is the median of ${options.repeats} runs (product and naive alternating, on the same relay), with the lowest and highest in brackets; the ratio is the median of each run's own ratio. ` : ''}${fmt(options.warmupMs / 1000)} s warm-up, then two ${fmt(options.measureMs / 1000)} s windows per path, size and run (costs, then screen); product motion: ${motionSummary(results)}; viewport 1400×900 at device scale 1. ${builds}`,
    '',
    '### How it was measured',
    '',
    '- Source: the real relay, built in the benchmark process in its embedded mode with no simulated vehicles, serving the product client; a synthetic fleet of N vehicles (test/bench/client/frame-feed.ts) moves every vehicle once a second through the relay’s fleet state, so the relay builds its own binary frames (a delta every tick, a key frame every 10 s) and vehicle table as for real traffic. The ingest path is skipped here; the relay section measures it.',
    '- Product path: the real client, built with the product’s electron-vite configuration into .cache/bench (not out/, which other test runs serve), signed in by putting a relay token in sessionStorage (`controlRoom.session`) before the page loads.',
    '- Naive path: test/bench/naive, a page that does what a first live map on MapLibre does: on every update it rebuilds a GeoJSON FeatureCollection from the same binary frame and calls `setData` on a GeoJSON source drawn by a circle layer (same dot size and colours). Same relay, same socket, same basemap style and data (renderer/src/map/basemap-style.ts, resources/map); it does not draw the district labels.',
    '- Two windows per path and size. The first measures costs with nothing else in the page: the frame probe below makes the browser run a frame sixty times a second, which a page that draws only when data arrives would not do, so it is started only for the second window, which measures frames and update-to-screen latency.',
    '- Main thread per update: the renderer main thread’s busy time (CDP `Performance.getMetrics` TaskDuration) over the first window, divided by the updates that arrived. "apply" is the page’s own count of decoding and applying updates (the product’s QA hook `window.__controlRoom.updateTiming()`).',
    '- Update → screen: from the moment the relay built the update’s frame (its header time, the same wall clock) to the first animation frame that starts after the draw that included the update. The browser begins no frame before the previous one, with its WebGL work, has been composited, so that frame’s start is when the update was on screen. Product: the draw is deck.gl’s render after the vehicle layer was handed the update. Naive: the worker has processed the update (MapLibre’s `content` event), every visible tile of the source has reloaded since, and the map rendered. Updates not on screen within 15 s of the window’s end are counted, not timed.',
    '- Frames per second: animation frames the page received in the second window (an in-page requestAnimationFrame probe): how often the browser could put a frame on screen, whether or not it showed anything new. Product motion: whether the vehicles glided between updates (a draw every frame) or stepped (a draw per update), as the product’s frame pacer chose from its measured draw cost. Browser CPU per update: utime+stime of Chromium’s renderer and GPU processes (/proc) over the first window, per update; under SwiftShader the GPU process is where WebGL is rasterised, on the CPU.',
    '',
    traces.length > 0 ? '### Where the time goes (Chrome trace)\n\n' + traces.join('\n\n') : '',
  ].join('\n');
}

function startupSection(report: BenchReport): string {
  if (!report.startup) return '';
  const { runs } = report.startup;
  const entry =
    runs[0]?.entry === 'npm-start' ? '`npm start` itself' : 'the relay as `npm start` starts it';
  return [
    '## Start-up: embedded `npm start` to a live map',
    '',
    table(
      [
        'run',
        'spawn → relay answers',
        'relay → login form shown',
        'login → vehicles on screen',
        'total (no typing)',
        'vehicles',
      ],
      runs.map((r, i) => [
        String(i + 1),
        ms(r.relayReadyMs),
        ms(r.loginShownMs),
        ms(r.liveAfterLoginMs),
        ms(r.totalMs),
        fmt(r.vehicles),
      ]),
    ),
    '',
    `Ran ${entry} (simulator with the default 2,000 vehicles, SQLite in a fresh folder, so the first start creates the admin user and the tables), then Chromium opened the address, signed in through the login form and waited for \`window.__controlRoom.ready\` (basemap, labels and a frame of vehicles drawn). No Electron binary can run on this machine, so this is the browser path \`npm start\` prints.` +
      (runs[0]?.entry === 'relay'
        ? ' out/ was older than the sources, and `npm start` would have rebuilt it first; other test runs on this machine serve out/, so the benchmark started the relay exactly as start.mjs does after that check, serving its own current build.'
        : '') +
      (report.startup.clientBuildMs !== null
        ? ` A client build, which \`npm start\` runs only when out/ is missing or stale, took ${fmt(report.startup.clientBuildMs / 1000)} s here.`
        : ''),
  ].join('\n');
}

export function renderReport(report: BenchReport): string {
  const budgets = budgetRows(report);
  return [
    '# Performance',
    '',
    `Measured by \`${report.command}\` (test/bench/run.ts) on ${report.startedAt.toISOString().slice(0, 10)}. This file is written by the benchmark; the optimisation record at the end comes from test/bench/optimisations.md.`,
    '',
    '## Budgets (DESIGN.md §8)',
    '',
    table(
      ['budget', 'measured', 'verdict'],
      budgets.map((b) => [b.budget, b.measured, mark(b.verdict)]),
    ),
    '',
    machineSection(report),
    '',
    relaySection(report),
    '',
    clientSection(report),
    '',
    startupSection(report),
    '',
    embeddedSection(report.embedded),
    '',
    crowdSection(report.crowd),
    '',
    relaysSection(report.relays),
    '',
    replaySection(report.replay),
    '',
    report.optimisations.trim(),
    '',
  ]
    .filter((part, i, all) => !(part === '' && all[i - 1] === ''))
    .join('\n');
}
