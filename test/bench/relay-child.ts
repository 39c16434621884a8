/**
 * Starts the real relay as its own process (as `npm run relay` and test/support/relay-process.ts
 * do), keeping its pid so the benchmark can read its CPU time and memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { RELAY_NODE_ARGS } from '../../scripts/relay-node-args.mjs';
import { TEST_ADMIN_PASSWORD } from '../support/auth';

export const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of relay output kept for an error message. */
const OUTPUT_TAIL = 80;

export interface RelayChild {
  url: string;
  pid: number;
  /** When the process was spawned (epoch ms). */
  spawnedAtMs: number;
  /** When it printed RELAY_READY (epoch ms). */
  readyAtMs: number;
  output: string[];
  stop(): Promise<void>;
}

export interface RelayChildOptions {
  env?: Record<string, string>;
  /** The script to run: the relay itself, or `scripts/start.mjs` (`npm start`). */
  entry?: 'relay' | 'npm-start';
  /** More Node arguments for the relay (`--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
}

/**
 * `BENCH_RELAY_CPU_PROF_DIR=/tmp/prof npm run bench …`: every relay the benchmark starts writes a
 * V8 CPU profile there when it stops (to see where a relay's time goes under the benchmark's load).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_RELAY_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export async function startRelayChild(options: RelayChildOptions = {}): Promise<RelayChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'control-room-bench-'));
  const args =
    options.entry === 'npm-start'
      ? [join(ROOT, 'scripts/start.mjs')]
      : [
          ...RELAY_NODE_ARGS,
          ...profileArgs(),
          ...(options.nodeArgs ?? []),
          join(ROOT, 'server/server.ts'),
        ];
  const spawnedAtMs = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dataDir, 'control-room.sqlite'),
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > OUTPUT_TAIL) output.shift();
  };
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay did not start in time:\n${output.join('\n')}`)),
      START_TIMEOUT_MS,
    );
    createInterface({ input: child.stderr! }).on('line', keep);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      // `npm start` prints the browser address instead of RELAY_READY when Electron is missing.
      const ready =
        /^RELAY_READY (\S+)$/.exec(line) ?? /open (http:\/\/\S+?\/) in a browser/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolveUrl(ready[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${output.join('\n')}`));
    });
  });
  const readyAtMs = Date.now();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, pid: child.pid!, spawnedAtMs, readyAtMs, output, stop };
}

/** Logs in over HTTP as the admin every bench relay is started with. */
export async function login(baseUrl: string): Promise<{ token: string; user: unknown }> {
  const response = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { token: string; user: unknown };
}
