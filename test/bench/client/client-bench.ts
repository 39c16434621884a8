/**
 * Client benchmark: headless Chromium (WebGL through SwiftShader) showing N vehicles that all move
 * once a second, through the product's path (the built client: binary frames into deck.gl) and,
 * in the same run, the naive path (a MapLibre GeoJSON source re-set on every update).
 *
 * Per path and size, after a warm-up, over one window:
 *   - main-thread ms per update: the renderer main thread's busy time (CDP Performance
 *     TaskDuration) divided by the updates that arrived;
 *   - update-to-screen: from the relay's frame time to the first animation frame that starts
 *     after the draw including the update (the browser begins no frame before the previous one,
 *     with its WebGL work, has been composited);
 *   - frames per second: animation frames the page got;
 *   - browser CPU per update by process (renderer, GPU: SwiftShader's rasterising is there).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { login } from '../relay-child';
import { percentile, sleep } from '../stats';
import type { UpdateTiming } from '../browser-globals';
import { browserCpu, cpuDelta, type BrowserCpu } from './browser-processes';
import { startFrameFeed, type FrameFeed } from './frame-feed';
import { summariseTrace, type ThreadBusy } from './trace-summary';

/** Trace categories: the main-thread timeline, GPU and compositor work. */
const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'gpu',
  'viz',
  'cc',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The launch flags of the brief, plus WebGL through SwiftShader (as playwright.config.ts). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
export const VIEWPORT = { width: 1400, height: 900 };
const READY_TIMEOUT_MS = 180_000;
/** Animation-frame times kept by the in-page probe (a minute at 60 frames/s, and more). */
const PROBE_MAX_FRAMES = 20_000;
/** After the window, how long updates that arrived in it may still take to reach the screen. */
const GRACE_MS = 15_000;
const SESSION_STORAGE_KEY = 'controlRoom.session';

/**
 * A page context at the benchmark's viewport, signed in to the relay at `relayUrl` as the admin
 * by putting a relay token in sessionStorage before any page loads (no typing in the login form).
 */
export async function signedInContext(browser: Browser, relayUrl: string) {
  const session = await login(relayUrl);
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(
    ([key, value]) =>
      (
        globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
      ).sessionStorage.setItem(key!, value!),
    [SESSION_STORAGE_KEY, JSON.stringify(session)],
  );
  return context;
}

export type ClientPath = 'product' | 'naive';

export interface ClientRunResult {
  path: ClientPath;
  vehicles: number;
  windowMs: number;
  updates: number;
  /** Renderer main-thread busy ms per update (CDP TaskDuration). */
  mainThreadMsPerUpdate: number;
  /** Of which receiving and applying the update (the page's own count). */
  applyMsPerUpdate: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** Updates of the window not on screen by the end of the grace period. */
  notShown: number;
  framesPerSecond: number;
  /** Browser CPU ms per update, by process kind. */
  cpuMsPerUpdate: BrowserCpu;
  /** Product: whether vehicles glided between updates (true) or stepped (false); naive: null. */
  gliding: boolean | null;
  /** Where the time went, when a trace was asked for. */
  trace?: ThreadBusy[];
  /** Which of the repeated runs this is (1 …). */
  run: number;
}

export interface ClientBenchOptions {
  sizes: number[];
  paths: ClientPath[];
  productDir: string;
  naiveDir: string;
  warmupMs: number;
  measureMs: number;
  /**
   * Runs per path and size (paths alternating within each): single runs swing by ±20 % on this
   * machine, so the report gives the median and the spread.
   */
  repeats?: number;
  /** Record a Chrome trace of this many ms after the window, for sizes listed in traceSizes. */
  traceMs?: number;
  traceSizes?: number[];
  log: (line: string) => void;
}

/** The page-side objects the benchmark reads (typed here: test/ has no DOM library). */
interface ProbePage {
  __controlRoom?: { ready: boolean; updateTiming(): UpdateTiming };
  __benchNaive?: { ready: boolean; updateTiming(): UpdateTiming };
  __benchProbe?: { frames: number[] };
}

interface PageSnapshot {
  nowMs: number;
  frames: number[];
  timing: UpdateTiming;
}

/**
 * Records the time of every animation frame the page gets. Plain JavaScript text: a function
 * handed to page.evaluate would carry the helpers tsx adds to named functions, which the page
 * does not have.
 */
const probeScript = (maxFrames: number) => `(() => {
  const frames = [];
  window.__benchProbe = { frames };
  const loop = (frameTimeMs) => {
    frames.push(frameTimeMs);
    if (frames.length > ${maxFrames}) frames.splice(0, frames.length - ${maxFrames});
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})()`;

const hookName = (path: ClientPath) => (path === 'product' ? '__controlRoom' : '__benchNaive');

async function snapshot(page: Page, path: ClientPath): Promise<PageSnapshot> {
  return page.evaluate((hook) => {
    const w = globalThis as unknown as ProbePage;
    return {
      nowMs: performance.now(),
      frames: w.__benchProbe?.frames.slice() ?? [],
      timing: w[hook as '__controlRoom']!.updateTiming(),
    };
  }, hookName(path));
}

export async function runClientBench(options: ClientBenchOptions): Promise<ClientRunResult[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const results: ClientRunResult[] = [];
  try {
    for (const vehicles of options.sizes) {
      const feed = await startFrameFeed(vehicles, options.productDir, options.naiveDir);
      try {
        const repeats = options.repeats ?? 1;
        for (let run = 1; run <= repeats; run++) {
          for (const path of options.paths) {
            const result = await measure(browser, feed, path, options, run, run === repeats);
            results.push(result);
            options.log(
              `client ${path} @ ${vehicles} (run ${run} of ${repeats}): ${result.updates} updates, main thread ${result.mainThreadMsPerUpdate.toFixed(0)} ms/update ` +
                `(apply ${result.applyMsPerUpdate.toFixed(1)}), to screen p50 ${result.latencyP50Ms.toFixed(0)} p95 ${result.latencyP95Ms.toFixed(0)} ms, ` +
                `${result.framesPerSecond.toFixed(1)} fps, gpu ${result.cpuMsPerUpdate.gpu.toFixed(0)} ms/update, not shown ${result.notShown}`,
            );
          }
        }
      } finally {
        await feed.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

async function measure(
  browser: Browser,
  feed: FrameFeed,
  path: ClientPath,
  options: ClientBenchOptions,
  run: number,
  /** The trace, when asked for, is taken in the last run only. */
  lastRun: boolean,
): Promise<ClientRunResult> {
  const context = await signedInContext(browser, feed.url);
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => options.log(`page error (${path}): ${error.message}`));
    await page.goto(path === 'product' ? feed.url : feed.naiveUrl);
    const loading = Date.now();
    try {
      await page.waitForFunction(
        (hook) => (globalThis as unknown as ProbePage)[hook as '__controlRoom']?.ready === true,
        hookName(path),
        { timeout: READY_TIMEOUT_MS, polling: 250 },
      );
    } catch (error) {
      await page.screenshot({ path: `test-results/bench/not-ready-${path}-${feed.vehicles}.png` });
      throw error;
    }
    options.log(`client ${path} @ ${feed.vehicles}: live after ${Date.now() - loading} ms`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    };

    await sleep(options.warmupMs);
    // First window, undisturbed: main-thread time and CPU per update. The frame probe is not
    // running yet: it would make the browser run a frame sixty times a second on a page that
    // otherwise runs frames only when it draws, and bill the product for the measurement.
    const cpu0 = browserCpu();
    const task0 = await taskMs();
    const costStart = await snapshot(page, path);
    await sleep(options.measureMs);
    const costEnd = await snapshot(page, path);
    const task1 = await taskMs();
    const cpu1 = browserCpu();

    // Second window, with the probe: frames per second and update-to-screen latency.
    await page.evaluate(probeScript(PROBE_MAX_FRAMES));
    const start = await snapshot(page, path);
    await sleep(options.measureMs);
    const end = await snapshot(page, path);
    // Let updates of the window that are still on their way reach the screen.
    const lastArrived = end.timing.first + end.timing.arrivedAtMs.length - 1;
    let late = end;
    const graceUntil = Date.now() + GRACE_MS;
    while (Date.now() < graceUntil) {
      late = await snapshot(page, path);
      const k = lastArrived - late.timing.first;
      if (k < 0 || late.timing.drawnAtMs[k] !== null) {
        await sleep(500); // a frame after the draw
        late = await snapshot(page, path);
        break;
      }
      await sleep(250);
    }
    const gliding =
      path === 'product'
        ? await page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  __controlRoom: { motion(): { interpolating: boolean } };
                }
              ).__controlRoom.motion().interpolating,
          )
        : null;
    const result = analyse(
      run,
      path,
      feed.vehicles,
      gliding,
      { start, end, late },
      {
        start: costStart,
        end: costEnd,
        taskMs: task1 - task0,
        cpu: cpuDelta(cpu0, cpu1),
      },
    );
    if (lastRun && options.traceMs && options.traceSizes?.includes(feed.vehicles)) {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await sleep(options.traceMs);
      const trace = await browser.stopTracing();
      if (process.env.BENCH_TRACE_FILE)
        (await import('node:fs')).writeFileSync(process.env.BENCH_TRACE_FILE, trace);
      result.trace = summariseTrace(trace);
    }
    return result;
  } finally {
    await context.close();
  }
}

/** The probed window: frames and update-to-screen latency. */
interface ScreenWindow {
  start: PageSnapshot;
  end: PageSnapshot;
  /** After the grace period: when the window's last updates reached the screen. */
  late: PageSnapshot;
}

/** The undisturbed window: main-thread and CPU time. */
interface CostWindow {
  start: PageSnapshot;
  end: PageSnapshot;
  taskMs: number;
  cpu: BrowserCpu;
}

function analyse(
  run: number,
  path: ClientPath,
  vehicles: number,
  gliding: boolean | null,
  screen: ScreenWindow,
  cost: CostWindow,
): ClientRunResult {
  const t0 = screen.start.nowMs;
  const t1 = screen.end.nowMs;
  const frames = screen.late.frames;
  const latencies: number[] = [];
  let notShown = 0;
  const timing = screen.late.timing;
  for (let i = 0; i < timing.arrivedAtMs.length; i++) {
    const arrived = timing.arrivedAtMs[i]!;
    if (arrived < t0 || arrived > t1) continue;
    const sent = timing.sentAtMs[i]!;
    const origin = Number.isFinite(sent) ? Math.min(sent, arrived) : arrived;
    const drawn = timing.drawnAtMs[i];
    const shown = drawn === null || drawn === undefined ? undefined : frames.find((f) => f > drawn);
    if (shown === undefined) notShown++;
    else latencies.push(shown - origin);
  }
  const updates = cost.end.timing.arrived - cost.start.timing.arrived;
  const { cpu } = cost;
  const framesInWindow = frames.filter((f) => f >= t0 && f <= t1).length;
  const perUpdate = (ms: number) => (updates > 0 ? ms / updates : Number.NaN);
  return {
    run,
    path,
    vehicles,
    gliding,
    windowMs: cost.end.nowMs - cost.start.nowMs,
    updates,
    mainThreadMsPerUpdate: perUpdate(cost.taskMs),
    applyMsPerUpdate: perUpdate(cost.end.timing.applyMs - cost.start.timing.applyMs),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    latencyMaxMs: percentile(latencies, 100),
    notShown,
    framesPerSecond: (framesInWindow / (t1 - t0)) * 1000,
    cpuMsPerUpdate: {
      renderer: perUpdate(cpu.renderer * 1000),
      gpu: perUpdate(cpu.gpu * 1000),
      browser: perUpdate(cpu.browser * 1000),
      other: perUpdate(cpu.other * 1000),
    },
  };
}
