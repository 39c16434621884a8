/**
 * Whether the store answers: a light probe on a timer, plus what failing requests report. It keeps
 * `/healthz` honest during a database outage without touching the database on the health path,
 * and logs an outage once when it starts and once when it ends (not once per failed request).
 */
import { storeUnavailableReason } from './store-errors';

export interface StoreHealthState {
  up: boolean;
  /** Why it is down (driver code or message); null while up. */
  reason: string | null;
  /** Epoch ms since when it has been in this state. */
  sinceMs: number;
}

export interface StoreHealthOptions {
  /** One cheap round trip (`select 1`); rejects when the store cannot be reached. */
  probe: () => Promise<void>;
  intervalMs: number;
  /** A probe that takes longer than this counts as a failure (the pool may be hanging). */
  timeoutMs: number;
  log: {
    warn: (obj: object, msg: string) => void;
    info: (obj: object, msg: string) => void;
  };
  now?: () => number;
}

export class StoreHealth {
  private current: StoreHealthState;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: StoreHealthOptions) {
    this.now = options.now ?? Date.now;
    this.current = { up: true, reason: null, sinceMs: this.now() };
  }

  state(): StoreHealthState {
    return { ...this.current };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs one probe now; resolves with the state after it. */
  async check(): Promise<StoreHealthState> {
    if (this.probing) return this.state();
    this.probing = true;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.options.probe(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
            this.options.timeoutMs,
          );
        }),
      ]);
      this.reportSuccess();
    } catch (error) {
      this.markDown(storeUnavailableReason(error) ?? errorText(error), error);
    } finally {
      clearTimeout(timeout);
      this.probing = false;
    }
    return this.state();
  }

  /** A request failed with a store error: down at once (the next probe says when it is back). */
  reportFailure(error: unknown): void {
    this.markDown(storeUnavailableReason(error) ?? errorText(error), error);
  }

  reportSuccess(): void {
    if (this.current.up) return;
    const downForMs = this.now() - this.current.sinceMs;
    this.current = { up: true, reason: null, sinceMs: this.now() };
    this.options.log.info({ downForMs }, 'store reachable again');
  }

  private markDown(reason: string, error: unknown): void {
    if (!this.current.up) return;
    this.current = { up: false, reason, sinceMs: this.now() };
    this.options.log.warn(
      { reason, err: error },
      'store unavailable: answering 503 until it is back',
    );
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
