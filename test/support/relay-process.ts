/**
 * Starts the real relay as a child process (as `npm run relay` does) on a free port with its own
 * SQLite file, for browser and integration tests. Resolves once it prints its address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { RELAY_NODE_ARGS } from '../../scripts/relay-node-args.mjs';
import { TEST_ADMIN_PASSWORD } from './auth';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface RelayProcess {
  url: string;
  dataDir: string;
  output: string[];
  /** The relay's process id. */
  pid: number;
  stop(): Promise<void>;
  /** kill -9: no clean shutdown (no lease given back, no consumer group left); then cleans up. */
  kill(): Promise<void>;
}

export async function startRelay(env: Record<string, string> = {}): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'control-room-relay-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [...RELAY_NODE_ARGS, join(ROOT, 'server/server.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dataDir, 'control-room.sqlite'),
        SIM_SEED: 'e2e-seed',
        LOG_LEVEL: 'warn',
        // Log in as `admin` with TEST_ADMIN_PASSWORD (from ./auth) to get a token.
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay did not start in time:\n${output.join('\n')}`)),
      START_TIMEOUT_MS,
    );
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const ready = /^RELAY_READY (\S+)$/.exec(line);
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
  const stop = async () => {
    // A killed child has a signalCode and no exitCode: it is gone already.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, output, pid: child.pid!, stop, kill };
}
