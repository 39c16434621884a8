/**
 * The benchmark runs and reports (`npm run bench -- --quick`): every part — relay against a real
 * Kafka broker, client in headless Chromium beside the naive path, embedded start-up — produces
 * its section with numbers. Its sizes are tiny, so this checks the harness, not the budgets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../bench/report';

const ROOT = resolve(import.meta.dirname, '../..');
/** The quick run takes about two minutes; a busy shared machine can take several times that. */
const RUN_TIMEOUT_MS = 12 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
const markdownPath = join(dir, 'PERFORMANCE.md');
const rawPath = join(dir, 'raw.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runQuickBench(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/bench/run.ts', '--quick', '--out', markdownPath, '--raw', rawPath],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

/** A number as the report prints it: 1,234 or 12.5. */
const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;

describe('npm run bench -- --quick', () => {
  it(
    'runs every part and writes a report with its sections and numbers',
    async () => {
      const { code, output } = await runQuickBench();
      expect(code, output).toBe(0);
      const markdown = readFileSync(markdownPath, 'utf8');
      for (const heading of [
        '# Performance',
        '## Budgets (DESIGN.md §8)',
        '## Machine and run',
        '## Relay: Kafka → relay → Socket.IO clients',
        '## Client: the product path vs the naive path, headless Chromium',
        '## Start-up: embedded `npm start` to a live map',
        '## Embedded default at 5,000 vehicles',
        '## A crowd: 50 clients connecting at once',
        '## Two relays on one broker (DESIGN §12)',
        '## Replay (issue 18, DESIGN §13)',
        '## Optimisations',
      ]) {
        expect(markdown).toContain(heading);
      }
      expect(markdown).toMatch(/Load average \(1 min\) during the run \| min \d/);
      // Relay row: offered rate, produced, consumed, ceiling, then latencies in ms.
      expect(markdown).toMatch(
        new RegExp(
          String.raw`\| 2,000 +\| ${NUMBER} +\| ${NUMBER} +\| ${NUMBER} +\| ${NUMBER} % +\| ${NUMBER} ms / ${NUMBER} ms`,
        ),
      );
      // Client row: both paths' main-thread time per update, the median of two runs with the spread.
      const runs = String.raw`\(${NUMBER}–${NUMBER} over 2 runs\)`;
      expect(markdown).toMatch(
        new RegExp(
          String.raw`\| 2,000 +\| ${NUMBER} ms ${runs} \(apply ${NUMBER}\) +\| ${NUMBER} ms ${runs} \(apply`,
        ),
      );
      // Replay: seeks on screen and playback.
      expect(markdown).toMatch(
        new RegExp(String.raw`seek, on screen at 2,000 vehicles .*p95 ${NUMBER} ms`),
      );
      // Start-up row: four durations.
      expect(markdown).toMatch(
        new RegExp(
          String.raw`\| 1 +\| ${NUMBER} ms +\| ${NUMBER} ms +\| ${NUMBER} ms +\| ${NUMBER} ms`,
        ),
      );

      const raw = JSON.parse(readFileSync(rawPath, 'utf8')) as BenchReport;
      const relay = raw.relay!.result.levels[0]!;
      expect(relay.relayPerSecond).toBeGreaterThan(0);
      expect(relay.latencySamples).toBeGreaterThan(0);
      expect(relay.latencyP99Ms).toBeGreaterThan(0);
      expect(relay.relayRssMb).toBeGreaterThan(0);
      const paths = raw.client!.results.map((r) => `${r.path} ${r.run}`).sort();
      expect(paths).toEqual(['naive 1', 'naive 2', 'product 1', 'product 2']);
      for (const result of raw.client!.results) {
        expect(result.updates).toBeGreaterThan(0);
        expect(result.mainThreadMsPerUpdate).toBeGreaterThan(0);
        expect(Number.isFinite(result.latencyP95Ms)).toBe(true);
      }
      expect(raw.startup!.runs[0]!.totalMs).toBeGreaterThan(0);
      expect(raw.startup!.runs[0]!.vehicles).toBeGreaterThan(0);
      expect(raw.embedded!.socketsInTime).toBe(raw.embedded!.sockets);
      expect(raw.embedded!.health.failures).toBe(0);
      expect(raw.crowd!.connected).toBe(raw.crowd!.clients);
      const relays = raw.relays!.result.levels[0]!;
      expect(relays.pair.every((r) => r.perSecond > 0)).toBe(true);
      expect(relays.changeSamples).toBeGreaterThan(0);
      const replay = raw.replay!;
      expect(replay.storage.storedBytesPerHour).toBeGreaterThan(0);
      expect(replay.screen.seek.n).toBe(10);
      expect(replay.screen.seek.p95).toBeGreaterThan(0);
      expect(replay.screen.playback.achievedSpeed).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS,
  );
});
