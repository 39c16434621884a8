/**
 * Replay on screen (issue 18, DESIGN §13): the product client in headless Chromium, a relay with
 * hours of recorded frames at N vehicles, and the operator's two replay actions timed where the
 * operator sees them:
 *   - seek: the time bar's slider moved to a random moment of the recorded hours → the fleet at
 *     that moment drawn (the animation frame after the one that drew it), through the real path:
 *     GET /api/fleet/at (one chunk read, decompress, fold, pack), decode, the replay fleet, deck.gl;
 *   - playback at ×10: how fast the shown moment advances against the wall clock, and the longest
 *     the picture stood still.
 *
 * The relay is the client benchmark's (client/frame-feed.ts: the real relay in its embedded mode,
 * a synthetic fleet moving at 1 Hz). Before it opens its store, the hours of history are written
 * into it through the recorder's own encoder and compression (history.ts) as an earlier recording
 * run of the same cars, so each seek also maps that run's vehicle indexes, as after a relay
 * restart.
 */
import { chromium, type Page } from 'playwright-core';
import { openStore } from '../../../server/store/database';
import { CHROMIUM_ARGS, CHROMIUM_PATH, signedInContext } from '../client/client-bench';
import { feedCarId, startFrameFeed } from '../client/frame-feed';
import { percentile } from '../stats';
import { KEY_MS, writeHistory, type HistoryTotals } from './history';

const MS_PER_MINUTE = 60_000;
/** History ends this long before the relay starts recording its own frames. */
const HISTORY_END_BEFORE_START_MS = 30_000;
/** Seeks land at least this far inside the history (not on its first or last chunk). */
const SEEK_MARGIN_MS = 15_000;
const READY_TIMEOUT_MS = 180_000;
/** A seek or playback start not on screen by then is a failure, not a slow sample. */
const SHOWN_TIMEOUT_MS = 30_000;
/** Playback starts this far into the history, so it never reaches the live end in the window. */
const PLAYBACK_START_OFFSET_MS = 5 * MS_PER_MINUTE;
const HISTORY_RUN_ID = 'bench-history';

export interface ReplayScreenOptions {
  vehicles: number;
  historyMinutes: number;
  seeks: number;
  playbackSpeed: number;
  playbackMs: number;
  productDir: string;
  naiveDir: string;
  log: (line: string) => void;
}

export interface ReplayScreenResult {
  vehicles: number;
  historyMinutes: number;
  history: HistoryTotals & { writeMs: number };
  seek: {
    p50: number;
    p95: number;
    max: number;
    n: number;
    /** Of which GET /api/fleet/at: request sent → whole answer received. */
    answerP50: number;
    answerP95: number;
  };
  playback: {
    speed: number;
    wallMs: number;
    /** Replayed ms per wall ms of the shown moment over the window (holds: close to `speed`). */
    achievedSpeed: number;
    updatesPerSecond: number;
    /** Longest wall time the picture stood still between two shown moments. */
    longestStillMs: number;
    /** How far the shown moment trailed the time bar's moment, in replayed seconds. */
    trailP95S: number;
  };
}

interface ShownSeek {
  ms: number;
  atMs: number;
  shownAsOfMs: number;
  /** Requests of GET /api/fleet/at the seek made (one, unless the slider moved twice). */
  requests: number;
  /** The last request: sent → answer received, and of that the relay's time to first byte. */
  answerMs: number | null;
  waitMs: number | null;
}

interface PlaybackSample {
  wallMs: number;
  atMs: number;
  shownAsOfMs: number;
}

/**
 * Moves the slider to `target` and resolves at the animation frame after the one that drew the
 * fleet at it. Plain JavaScript text: a function handed to page.evaluate would carry the helpers
 * tsx adds to named functions, which the page does not have.
 */
const seekScript = (target: number) => `(async () => {
  const hook = window.__controlRoom;
  const slider = document.querySelector('[data-testid="replay-slider"]');
  if (!slider) throw new Error('no time bar slider');
  const before = hook.replay()?.shownAsOfMs ?? null;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const start = performance.now();
  setValue.call(slider, String(${target}));
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  return await new Promise((resolve, reject) => {
    const check = () => {
      const r = hook.replay();
      if (r && r.atMs !== null && r.shownAsOfMs !== null && r.shownAsOfMs !== before &&
          Math.abs(r.atMs - r.shownAsOfMs) <= ${KEY_MS}) {
        requestAnimationFrame(() => requestAnimationFrame((frameMs) => {
          const asked = performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/fleet/at') && e.startTime >= start);
          const answer = asked.at(-1);
          resolve({ ms: frameMs - start, atMs: r.atMs, shownAsOfMs: r.shownAsOfMs,
            requests: asked.length,
            answerMs: answer ? answer.responseEnd - answer.startTime : null,
            waitMs: answer ? answer.responseStart - answer.requestStart : null });
        }));
        return;
      }
      if (performance.now() - start > ${SHOWN_TIMEOUT_MS}) {
        reject(new Error('the fleet at ' + ${target} + ' was not shown in ${SHOWN_TIMEOUT_MS} ms'));
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
})()`;

/** Every animation frame for `durationMs`: the time bar's moment and the shown one. */
const playbackScript = (durationMs: number) => `(async () => {
  const hook = window.__controlRoom;
  const samples = [];
  const start = performance.now();
  return await new Promise((resolve) => {
    const sample = (frameMs) => {
      const r = hook.replay();
      if (r && r.atMs !== null && r.shownAsOfMs !== null)
        samples.push({ wallMs: frameMs, atMs: r.atMs, shownAsOfMs: r.shownAsOfMs });
      if (performance.now() - start >= ${durationMs}) resolve(samples);
      else requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
})()`;

export async function runReplayScreenBench(
  options: ReplayScreenOptions,
): Promise<ReplayScreenResult> {
  const { vehicles, log } = options;
  const nowMs = Date.now();
  const fromMs = nowMs - options.historyMinutes * MS_PER_MINUTE;
  const toMs = nowMs - HISTORY_END_BEFORE_START_MS;
  let history = null as ReplayScreenResult['history'] | null;
  log(`replay: writing ${options.historyMinutes} min of history at ${vehicles} vehicles …`);
  const feed = await startFrameFeed(vehicles, options.productDir, options.naiveDir, {
    prepareStore: async (sqlitePath) => {
      const store = await openStore({ sqlitePath });
      const start = Date.now();
      try {
        const totals = await writeHistory(store.db, {
          vehicles,
          fromMs,
          toMs,
          runId: HISTORY_RUN_ID,
          carId: feedCarId,
        });
        history = { ...totals, writeMs: Date.now() - start };
      } finally {
        await store.db.destroy();
      }
    },
  });
  if (history === null) throw new Error('the replay history was not written');
  const written: ReplayScreenResult['history'] = history;
  log(`replay: ${written.chunks} chunks written in ${(written.writeMs / 1000).toFixed(0)} s`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const context = await signedInContext(browser, feed.url);
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`replay page error: ${error.message}`));
    await page.goto(feed.url);
    await page.waitForFunction(
      () => (globalThis as unknown as { __controlRoom?: { ready: boolean } }).__controlRoom?.ready,
      undefined,
      { timeout: READY_TIMEOUT_MS, polling: 250 },
    );
    // The time bar knows the recorded hours once its range has been read.
    await page.waitForFunction(
      (oldest) => {
        const slider = (
          globalThis as unknown as {
            document: { querySelector(s: string): { min: string } | null };
          }
        ).document.querySelector('[data-testid="replay-slider"]');
        return slider !== null && Number(slider.min) <= oldest;
      },
      fromMs + KEY_MS,
      { timeout: READY_TIMEOUT_MS, polling: 250 },
    );

    const seeks = await measureSeeks(page, options.seeks, fromMs, toMs, log);
    const playback = await measurePlayback(page, fromMs, options);
    return {
      vehicles,
      historyMinutes: options.historyMinutes,
      history: written,
      seek: {
        p50: percentile(seeks.times, 50),
        p95: percentile(seeks.times, 95),
        max: percentile(seeks.times, 100),
        n: seeks.times.length,
        answerP50: percentile(seeks.answers, 50),
        answerP95: percentile(seeks.answers, 95),
      },
      playback,
    };
  } finally {
    await browser.close();
    await feed.stop();
  }
}

async function measureSeeks(
  page: Page,
  seeks: number,
  fromMs: number,
  toMs: number,
  log: (line: string) => void,
): Promise<{ times: number[]; answers: number[]; waits: number[] }> {
  const span = toMs - fromMs - 2 * SEEK_MARGIN_MS;
  const times: number[] = [];
  const answers: number[] = [];
  const waits: number[] = [];
  // Evenly over the hours, in a shuffled order: every seek reads a chunk no recent seek read
  // (the relay keeps a few decoded chunks; a seek into one of them would flatter the figure).
  const order = Array.from({ length: seeks }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = (i * 7919 + 13) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const slot of order) {
    const target = Math.round(fromMs + SEEK_MARGIN_MS + ((slot + 0.5) / seeks) * span);
    const shown = (await page.evaluate(seekScript(target))) as ShownSeek;
    times.push(shown.ms);
    answers.push(shown.answerMs ?? Number.NaN);
    waits.push(shown.waitMs ?? Number.NaN);
  }
  log(
    `replay: ${seeks} seeks over the recorded hours, on screen p50 ${percentile(times, 50).toFixed(0)} ms, ` +
      `p95 ${percentile(times, 95).toFixed(0)} ms; of which the answer p50 ${percentile(answers, 50).toFixed(0)} ms ` +
      `(relay's first byte p50 ${percentile(waits, 50).toFixed(0)}, p95 ${percentile(waits, 95).toFixed(0)} ms)`,
  );
  return { times, answers, waits };
}

async function measurePlayback(
  page: Page,
  fromMs: number,
  options: ReplayScreenOptions,
): Promise<ReplayScreenResult['playback']> {
  await page.evaluate(seekScript(fromMs + PLAYBACK_START_OFFSET_MS));
  await page.getByTestId('replay-speed').selectOption(String(options.playbackSpeed));
  await page.getByTestId('replay-play').click();
  const samples = (await page.evaluate(playbackScript(options.playbackMs))) as PlaybackSample[];
  await page.getByTestId('replay-back-to-live').click();
  if (samples.length < 2) throw new Error('playback: no replayed moment was shown');
  const changes = samples.filter(
    (s, i) => i === 0 || s.shownAsOfMs !== samples[i - 1]!.shownAsOfMs,
  );
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const wallMs = last.wallMs - first.wallMs;
  let longestStillMs = 0;
  for (let i = 1; i < changes.length; i++) {
    longestStillMs = Math.max(longestStillMs, changes[i]!.wallMs - changes[i - 1]!.wallMs);
  }
  longestStillMs = Math.max(longestStillMs, last.wallMs - changes.at(-1)!.wallMs);
  const result = {
    speed: options.playbackSpeed,
    wallMs,
    achievedSpeed: (last.shownAsOfMs - first.shownAsOfMs) / wallMs,
    updatesPerSecond: ((changes.length - 1) / wallMs) * 1000,
    longestStillMs,
    trailP95S: percentile(
      samples.map((s) => (s.atMs - s.shownAsOfMs) / 1000),
      95,
    ),
  };
  options.log(
    `replay: playback ×${result.speed} for ${(wallMs / 1000).toFixed(0)} s: shown moment at ×${result.achievedSpeed.toFixed(1)}, ` +
      `${result.updatesPerSecond.toFixed(1)} updates/s, longest still ${result.longestStillMs.toFixed(0)} ms, trail p95 ${result.trailP95S.toFixed(1)} s`,
  );
  return result;
}
