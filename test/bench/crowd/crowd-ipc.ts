/** Messages between a crowd's parent (bench, test, probe) and crowd-child.ts (Node IPC, JSON). */
import { join } from 'node:path';
import { forkHelper, type Forked } from '../child-process';
import { ROOT } from '../relay-child';
import type { CrowdOptions } from './crowd-clients';

export interface CrowdStatus {
  type: 'status';
  clients: number;
  connected: number;
  /** Connected and at least one position frame received. */
  receiving: number;
  /** Load refusals in all, and clients refused at least once. */
  refusals: number;
  refusedClients: number;
  /** Connect errors other than load refusals (transport failures, timeouts). */
  errors: number;
  /** Each client's last connect error message, counted. */
  lastErrors: Record<string, number>;
  /** Frames per second per connected client since the last `window` command. */
  framesPerClientPerSecond: { min: number; p50: number; max: number };
  /** From a client's first attempt to its connection (ms), over connected clients. */
  connectMsP50: number;
  connectMsMax: number;
  /** From a client's first attempt to its first position frame, the slowest. */
  firstFrameMsMax: number;
}

export type CrowdChildCommand =
  | { type: 'start'; options: CrowdOptions }
  | { type: 'status' }
  | { type: 'window' }
  | { type: 'close' };

export type CrowdChildMessage =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'window' }
  | { type: 'closed' }
  | CrowdStatus
  | { type: 'error'; message: string };

const CROWD_CHILD = join(ROOT, 'test/bench/crowd/crowd-child.ts');
const ANSWER_TIMEOUT_MS = 30_000;

/** A crowd running in its own process, driven by request and answer. */
export class CrowdProcess {
  private constructor(private readonly forked: Forked<CrowdChildMessage, CrowdChildCommand>) {}

  static async fork(): Promise<CrowdProcess> {
    const forked = forkHelper<CrowdChildMessage, CrowdChildCommand>(CROWD_CHILD);
    // A send on a closed channel surfaces as the pending request's rejection, not as a crash.
    forked.child.on('error', () => undefined);
    await forked.next((m): m is { type: 'ready' } => m.type === 'ready', ANSWER_TIMEOUT_MS);
    return new CrowdProcess(forked);
  }

  get pid(): number {
    return this.forked.pid;
  }

  async start(options: CrowdOptions): Promise<void> {
    this.forked.send({ type: 'start', options });
    await this.forked.next(
      (m): m is { type: 'started' } => m.type === 'started',
      ANSWER_TIMEOUT_MS,
    );
  }

  async status(): Promise<CrowdStatus> {
    this.forked.send({ type: 'status' });
    return this.forked.next((m): m is CrowdStatus => m.type === 'status', ANSWER_TIMEOUT_MS);
  }

  async resetWindow(): Promise<void> {
    this.forked.send({ type: 'window' });
    await this.forked.next((m): m is { type: 'window' } => m.type === 'window', ANSWER_TIMEOUT_MS);
  }

  /** Disconnects every client, then ends the process. */
  async close(): Promise<void> {
    if (this.forked.child.connected) {
      this.forked.send({ type: 'close' });
      await this.forked
        .next((m): m is { type: 'closed' } => m.type === 'closed', ANSWER_TIMEOUT_MS)
        .catch(() => undefined);
    }
    this.forked.kill();
    await this.forked.exited;
  }
}
