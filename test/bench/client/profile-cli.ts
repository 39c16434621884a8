/**
 * Where the product client's main-thread time goes: `node --import tsx
 * test/bench/client/profile-cli.ts [vehicles] [seconds]` opens the built client (.cache/bench,
 * from `npm run bench`) against the frame feed, records a V8 CPU profile of the page and prints
 * self time by function (and by script). A tool for finding the next optimisation, not a budget.
 * PROFILE_CPU_FILE=<path> also writes the V8 profile; PROFILE_TRACE_FILE=<path> records a Chrome
 * trace afterwards.
 */
import { chromium } from 'playwright-core';
import { login } from '../relay-child';
import { sleep } from '../stats';
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from './client-bench';
import { NAIVE_PAGE_DIR, PRODUCT_CLIENT_DIR } from './build-pages';
import { startFrameFeed } from './frame-feed';

const DEFAULT_VEHICLES = 50_000;
const DEFAULT_SECONDS = 15;
const WARMUP_MS = 8_000;
const TOP = 30;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

async function main(): Promise<void> {
  const vehicles = Number(process.argv[2] ?? DEFAULT_VEHICLES);
  const seconds = Number(process.argv[3] ?? DEFAULT_SECONDS);
  const feed = await startFrameFeed(vehicles, PRODUCT_CLIENT_DIR, NAIVE_PAGE_DIR);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const session = await login(feed.url);
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await context.addInitScript(
      ([value]) =>
        (
          globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
        ).sessionStorage.setItem('controlRoom.session', value!),
      [JSON.stringify(session)],
    );
    // Counts draw calls and frames per canvas: which canvas keeps the GPU busy.
    await context.addInitScript(`(() => {
      const counts = new Map();
      window.__drawCounts = counts;
      const proto = WebGL2RenderingContext.prototype;
      for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
        const original = proto[name];
        proto[name] = function (...args) {
          const id = this.canvas.className || this.canvas.id || 'canvas';
          const c = counts.get(id) ?? { calls: 0, frames: 0, lastFrame: -1 };
          c.calls++;
          const frame = window.__frameNo ?? 0;
          if (c.lastFrame !== frame) { c.frames++; c.lastFrame = frame; }
          counts.set(id, c);
          return original.apply(this, args);
        };
      }
    })()`);
    const page = await context.newPage();
    await page.goto(feed.url);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __controlRoom?: { ready: boolean } }).__controlRoom?.ready ===
        true,
      undefined,
      { timeout: 180_000 },
    );
    await sleep(WARMUP_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Performance.enable');
    const taskSeconds = async (): Promise<number> =>
      (await cdp.send('Performance.getMetrics')).metrics.find(
        (metric) => metric.name === 'TaskDuration',
      )?.value ?? 0;
    // First the main thread's busy time with nothing attached, as the benchmark measures it.
    const idleStart = await taskSeconds();
    await sleep(seconds * 1000);
    console.log(
      `main thread busy (TaskDuration): ${((((await taskSeconds()) - idleStart) * 1000) / seconds).toFixed(1)} ms/s`,
    );
    const tasksBefore = await taskSeconds();
    await cdp.send('Profiler.start');
    // The frame pacer's choice and its measured draw cost, once a second: glide or step.
    const motion: string[] = [];
    for (let second = 0; second < seconds; second++) {
      await sleep(1000);
      const { interpolating, drawCostMs } = await page.evaluate(() =>
        (
          globalThis as unknown as {
            __controlRoom: { motion(): { interpolating: boolean; drawCostMs: number } };
          }
        ).__controlRoom.motion(),
      );
      motion.push(`${interpolating ? 'glide' : 'step'} ${drawCostMs.toFixed(0)}`);
    }
    const { profile } = await cdp.send('Profiler.stop');
    // The whole profile, for a closer look (e.g. inclusive time under one function).
    if (process.env.PROFILE_CPU_FILE) {
      (await import('node:fs')).writeFileSync(
        process.env.PROFILE_CPU_FILE,
        JSON.stringify(profile),
      );
    }
    const mainThreadMsPerSecond = (((await taskSeconds()) - tasksBefore) * 1000) / seconds;
    console.log(
      `main thread busy (TaskDuration, profiler running): ${mainThreadMsPerSecond.toFixed(1)} ms/s`,
    );
    if (process.env.PROFILE_TRACE_FILE) {
      await browser.startTracing(page, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'blink',
          'cc',
          'gpu',
          'toplevel',
          'v8',
        ],
      });
      await sleep(seconds * 1000);
      (await import('node:fs')).writeFileSync(
        process.env.PROFILE_TRACE_FILE,
        await browser.stopTracing(),
      );
    }
    console.log('motion (mode, draw cost ms) each second:', motion.join(', '));
    console.log(
      'draws per canvas since load:',
      await page.evaluate(() =>
        JSON.stringify([
          ...(globalThis as unknown as { __drawCounts: Map<string, unknown> }).__drawCounts,
        ]),
      ),
      'frames:',
      await page.evaluate(() => (globalThis as unknown as { __frameNo: number }).__frameNo),
    );
    const nodes = new Map<number, ProfileNode>();
    for (const node of profile.nodes) nodes.set(node.id, node as ProfileNode);
    const selfUs = new Map<string, number>();
    const byScript = new Map<string, number>();
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const frame = nodes.get(id)!.callFrame;
      const us = deltas[i] ?? 0;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`;
      selfUs.set(key, (selfUs.get(key) ?? 0) + us);
      const script = frame.url.split('/').pop() || frame.functionName;
      byScript.set(script, (byScript.get(script) ?? 0) + us);
    });
    const perSecond = (us: number) => (us / 1000 / seconds).toFixed(1);
    console.log(`self time, ms per second, ${vehicles} vehicles over ${seconds} s`);
    for (const [key, us] of [...byScript].sort((a, b) => b[1] - a[1]).slice(0, 10))
      console.log(`  script ${perSecond(us).padStart(7)}  ${key}`);
    for (const [key, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`  ${perSecond(us).padStart(7)}  ${key}`);
  } finally {
    await browser.close();
    await feed.stop();
  }
}

void main().then(() => process.exit(0));
