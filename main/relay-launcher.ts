/**
 * With no relay URL configured, the desktop app runs the embedded relay itself: it starts the
 * relay as a child process, waits until `/healthz` answers, and stops it on quit. Process and
 * HTTP calls are injected so the logic is unit-tested without Electron.
 */
export interface ChildLike {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

export interface LauncherDeps {
  spawnRelay(port: number): ChildLike;
  fetchHealth(url: string): Promise<{ ok: boolean }>;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const HEALTH_POLL_MS = 250;
export const START_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 10_000;

export class EmbeddedRelay {
  private child: ChildLike | null = null;

  constructor(
    private readonly deps: LauncherDeps,
    readonly port: number,
    readonly host = '127.0.0.1',
  ) {}

  get url(): string {
    return `http://${this.host}:${this.port}/`;
  }

  /** Starts the relay and resolves with its URL once it is healthy. */
  async start(): Promise<string> {
    const child = this.deps.spawnRelay(this.port);
    this.child = child;
    let exited: number | null | undefined;
    child.once('exit', (code) => {
      exited = code;
    });
    const deadline = this.deps.now() + START_TIMEOUT_MS;
    while (this.deps.now() < deadline) {
      if (exited !== undefined) throw new Error(`the embedded relay exited with code ${exited}`);
      try {
        if ((await this.deps.fetchHealth(`${this.url}healthz`)).ok) return this.url;
      } catch {
        // not listening yet
      }
      await this.deps.sleep(HEALTH_POLL_MS);
    }
    child.kill('SIGKILL');
    throw new Error(
      `the embedded relay did not become healthy within ${START_TIMEOUT_MS / 1000} s`,
    );
  }

  /** Asks the relay to shut down cleanly; kills it if it does not within the grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timedOut = this.deps.sleep(STOP_TIMEOUT_MS).then(() => 'timeout' as const);
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
    if (outcome === 'timeout' && child.exitCode === null) child.kill('SIGKILL');
  }
}
