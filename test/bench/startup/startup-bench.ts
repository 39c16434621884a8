/**
 * Start-up: `npm start` in its embedded mode (simulator and SQLite, a fresh data folder as after
 * install) to the first frame of vehicles on screen. No Electron binary can run here, so the
 * client is the browser path `npm start` prints: Chromium opens the relay's address, signs in
 * through the login form, and waits for the QA hook's `ready` (basemap, labels and a frame of
 * vehicles drawn). Times are machine time; typing the password is not counted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { TEST_ADMIN_PASSWORD } from '../../support/auth';
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from '../client/client-bench';
import { ROOT } from '../relay-child';
import { sleep } from '../stats';

const LIVE_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const HEALTH_POLL_MS = 25;

export interface StartupRun {
  /** `npm start` ran as is (its build check found the client current), or the relay directly. */
  entry: 'npm-start' | 'relay';
  /** Process spawned → the relay answers HTTP. */
  relayReadyMs: number;
  /** Relay ready → the login form is on screen. */
  loginShownMs: number;
  /** Login submitted → the live map (vehicles drawn). */
  liveAfterLoginMs: number;
  /** Process spawned → live map, without the person's typing. */
  totalMs: number;
  vehicles: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm start` (or the relay it starts) on a fresh data folder, as on a machine just installed. */
function spawnEntry(entry: StartupRun['entry'], port: number, clientDir: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'control-room-bench-start-'));
  const args =
    entry === 'npm-start'
      ? [join(ROOT, 'scripts/start.mjs')]
      : ['--import', 'tsx', join(ROOT, 'server/server.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dataDir, 'control-room.sqlite'),
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      CLIENT_DIR: clientDir,
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
    // Its own process group: start.mjs runs the relay as a child, and stopping must reach both.
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        signalGroup('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      // start.mjs exits when its relay does; anything left of the group goes too.
      signalGroup('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether `npm start` would build the client first (scripts/ensure-client-build.mjs decides). */
async function clientBuildIsCurrent(): Promise<boolean> {
  const module = (await import(
    pathToFileURL(join(ROOT, 'scripts/ensure-client-build.mjs')).href
  )) as {
    clientBuildIsCurrent: () => boolean;
  };
  return module.clientBuildIsCurrent();
}

export async function runStartupBench(options: {
  runs: number;
  clientDir: string;
  log: (line: string) => void;
}): Promise<StartupRun[]> {
  // `npm start` rebuilds out/ when it is older than the sources; other test runs on this machine
  // serve out/, so the benchmark never triggers that build. It then starts the relay exactly as
  // start.mjs does after its check.
  const entry = (await clientBuildIsCurrent()) ? 'npm-start' : 'relay';
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const runs: StartupRun[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const port = await freePort();
      const spawned = Date.now();
      // Readiness is taken from HTTP, polled from the spawn: start.mjs prints the address only
      // after probing for an Electron binary.
      const child = spawnEntry(entry, port, options.clientDir);
      const url = `http://127.0.0.1:${port}/`;
      let relayReadyAt = 0;
      while (relayReadyAt === 0) {
        try {
          const response = await fetch(new URL('/healthz', url));
          if (response.ok) relayReadyAt = Date.now();
        } catch {
          await sleep(HEALTH_POLL_MS);
        }
        if (Date.now() - spawned > LIVE_TIMEOUT_MS) throw new Error('relay did not start in time');
      }
      const context = await browser.newContext({ viewport: VIEWPORT });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await page.getByTestId('login-username').waitFor({ timeout: LIVE_TIMEOUT_MS });
        const loginShownAt = Date.now();
        await page.getByTestId('login-username').fill('admin');
        await page.getByTestId('login-password').fill(TEST_ADMIN_PASSWORD);
        const submittedAt = Date.now();
        await page.getByTestId('login-submit').click();
        await page.waitForFunction(
          () =>
            (globalThis as unknown as { __controlRoom?: { ready: boolean } }).__controlRoom
              ?.ready === true,
          undefined,
          { timeout: LIVE_TIMEOUT_MS, polling: 50 },
        );
        const liveAt = Date.now();
        const vehicles = await page.evaluate(
          () =>
            (
              globalThis as unknown as { __controlRoom: { liveVehicleIndexes(): number[] } }
            ).__controlRoom.liveVehicleIndexes().length,
        );
        runs.push({
          entry,
          relayReadyMs: relayReadyAt - spawned,
          loginShownMs: loginShownAt - relayReadyAt,
          liveAfterLoginMs: liveAt - submittedAt,
          totalMs: relayReadyAt - spawned + (loginShownAt - relayReadyAt) + (liveAt - submittedAt),
          vehicles,
        });
        options.log(
          `start-up run ${run + 1}: relay ${relayReadyAt - spawned} ms, login form +${loginShownAt - relayReadyAt} ms, ` +
            `live +${liveAt - submittedAt} ms after login (${vehicles} vehicles)`,
        );
      } finally {
        await context.close();
        await child.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return runs;
}
