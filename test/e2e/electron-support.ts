/**
 * Running the desktop shell (Electron) under Playwright's `_electron`, where a binary exists.
 *
 * Finding the binary never downloads it. The `electron` npm package fetches its binary the first
 * time it is `require`d (v42+ has no install step), and on machines whose download is blocked that
 * first require tries and throws — so this module never requires `electron` (nor lets Playwright do
 * it: `launchDesktopShell` always passes `executablePath`). It looks, in this order, at:
 *
 * 1. `ELECTRON_PATH`: an Electron executable, named explicitly (set but not an executable file:
 *    an error, not a skip — whoever set it wants these tests to run);
 * 2. `ELECTRON_OVERRIDE_DIST_PATH`: the electron package's own override, resolved as the package
 *    does (that folder joined with `path.txt`'s name, else `electron`); set but missing: an error;
 * 3. an already-downloaded binary in `node_modules/electron`: `path.txt` (written by the package's
 *    install.js once the download finished) naming a file in `dist/` that exists.
 *
 * None of them: the tests skip with `reason`. On Linux the window also needs a display: `DISPLAY`
 * or `WAYLAND_DISPLAY` as given, else an Xvfb this module starts itself (`xvfb` installed), else
 * a skip saying so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { _electron, type ElectronApplication } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '../..');
/** The electron-vite build of the main process (`npm run build`, which `npm test` runs first). */
export const MAIN_ENTRY = join(ROOT, 'out/main/index.js');
const XVFB_START_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 15_000;

export type ElectronSupport =
  | {
      available: true;
      /** The executable to launch. */
      binary: string;
      /** Which of the places above named it. */
      foundBy: 'ELECTRON_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH' | 'node_modules/electron';
      /** A display to start for the window (Linux without one), or null when there is one. */
      xvfb: string | null;
    }
  | { available: false; reason: string };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

type Binary =
  | { binary: string; foundBy: Extract<ElectronSupport, { available: true }>['foundBy'] }
  | { binary: null; reason: string };

function findBinary(env: NodeJS.ProcessEnv): Binary {
  const explicit = env.ELECTRON_PATH?.trim();
  if (explicit) {
    if (!isExecutableFile(explicit))
      throw new Error(`ELECTRON_PATH=${explicit} is not an executable file (unset it to skip)`);
    return { binary: explicit, foundBy: 'ELECTRON_PATH' };
  }

  let packageDir: string | null = null;
  try {
    // Resolving the package's manifest runs none of its code (its index.js would download).
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    packageDir = null;
  }
  const pathTxt = packageDir ? join(packageDir, 'path.txt') : null;
  const named = pathTxt && existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  if (override) {
    const binary = join(override, named || 'electron');
    if (!isExecutableFile(binary))
      throw new Error(
        `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron executable (${binary})`,
      );
    return { binary, foundBy: 'ELECTRON_OVERRIDE_DIST_PATH' };
  }

  const hint = 'set ELECTRON_PATH to an Electron executable to run the desktop-shell tests';
  if (!packageDir)
    return { binary: null, reason: `the electron package is not installed; ${hint}` };
  const where = relative(ROOT, packageDir) || packageDir;
  if (!named)
    return {
      binary: null,
      reason:
        `no Electron binary on this machine (${where} has no dist/ nor path.txt: its binary ` +
        `was never downloaded, and these tests do not try); ${hint}`,
    };
  const binary = join(packageDir, 'dist', named);
  if (!isExecutableFile(binary))
    return {
      binary: null,
      reason: `no Electron binary on this machine (${where}/path.txt names dist/${named}, which is missing); ${hint}`,
    };
  return { binary, foundBy: 'node_modules/electron' };
}

/** Whether the desktop-shell tests can run here, and with what; never downloads anything. */
export function electronSupport(env: NodeJS.ProcessEnv = process.env): ElectronSupport {
  const found = findBinary(env);
  if (found.binary === null) return { available: false, reason: found.reason };
  let xvfb: string | null = null;
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    xvfb = onPath('Xvfb');
    if (!xvfb)
      return {
        available: false,
        reason:
          `an Electron binary is there (${found.binary}) but no display: set DISPLAY, or ` +
          'install Xvfb (apt-get install xvfb) for the tests to start one',
      };
  }
  return { available: true, binary: found.binary, foundBy: found.foundBy, xvfb };
}

export interface VirtualDisplay {
  /** For DISPLAY, e.g. `:99`. */
  display: string;
  stop(): Promise<void>;
}

/** Starts Xvfb on a display number it picks itself (`-displayfd`), for the tests' windows. */
export async function startXvfb(xvfb: string): Promise<VirtualDisplay> {
  const child: ChildProcess = spawn(
    xvfb,
    ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const number = await new Promise<string>((resolveNumber, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Xvfb gave no display in time: ${errors.join('')}`));
    }, XVFB_START_TIMEOUT_MS);
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = /^(\d+)\n/.exec(text);
      if (line) {
        clearTimeout(timer);
        resolveNumber(line[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}: ${errors.join('')}`));
    });
  });
  return {
    display: `:${number}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface DesktopShell {
  app: ElectronApplication;
  /** A fresh folder of this launch: the shell's settings (userData) live under it. */
  dataRoot: string;
  /** Quits the app (killing it if it does not go) and removes `dataRoot`. */
  close(): Promise<void>;
}

/**
 * Launches the built shell (`out/main/index.js`) on `relayUrl` (CONTROL_ROOM_RELAY_URL), with its
 * settings in a fresh folder (`--user-data-dir`, and XDG_CONFIG_HOME where Electron derives
 * userData from it), so runs never share settings, a device credential or a single-instance lock.
 */
export async function launchDesktopShell(options: {
  binary: string;
  relayUrl: string;
  display?: string | null;
  args?: string[];
}): Promise<DesktopShell> {
  if (!existsSync(MAIN_ENTRY))
    throw new Error(`${relative(ROOT, MAIN_ENTRY)} is missing: run \`npm run build\` first`);
  // Real path: Electron reports userData resolved (macOS's /var is /private/var).
  const dataRoot = realpathSync(mkdtempSync(join(tmpdir(), 'control-room-electron-')));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  Object.assign(env, {
    CONTROL_ROOM_RELAY_URL: options.relayUrl,
    XDG_CONFIG_HOME: join(dataRoot, 'config'),
    ...(options.display ? { DISPLAY: options.display } : {}),
  });
  let app: ElectronApplication;
  try {
    app = await _electron.launch({
      // Always given: without it Playwright requires the electron package, which downloads.
      executablePath: options.binary,
      args: [
        MAIN_ENTRY,
        `--user-data-dir=${join(dataRoot, 'user-data')}`,
        // No GPU on these machines: WebGL through SwiftShader, as the browser tests draw.
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        ...(options.args ?? []),
      ],
      env,
      cwd: ROOT,
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(dataRoot, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    const child = app.process();
    const closed = app.close().catch(() => undefined);
    const timedOut = new Promise<'timeout'>((done) =>
      setTimeout(() => done('timeout'), CLOSE_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([closed, timedOut])) === 'timeout' && child.exitCode === null)
      child.kill('SIGKILL');
    rmSync(dataRoot, { recursive: true, force: true });
  };
  return { app, dataRoot, close };
}
