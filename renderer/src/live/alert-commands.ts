/**
 * Alert commands (`alert:ack`, `alert:resolve`, …) over the one socket, answered through Socket.IO
 * acknowledgements. A command is only sent on a live link: Socket.IO would otherwise buffer it and
 * send it after a reconnect, long after the person pressed the button.
 */
import type {
  AlertCommandName,
  AlertCommandPayload,
  AlertCommandResult,
} from '../../../shared/alerts';
import type { RelaySocket } from './socket-client';

/** Longer than any command should take on a local network; then the person may try again. */
export const COMMAND_TIMEOUT_MS = 10_000;
const NO_STATUS = 0;

export type AlertCommandOutcome =
  | AlertCommandResult
  | { ok: false; error: { status: number; code: 'network_error' | 'timeout'; message: string } };

export class AlertCommandChannel {
  private socket: RelaySocket | null = null;

  attach(socket: RelaySocket): void {
    this.socket = socket;
  }

  detach(socket: RelaySocket): void {
    if (this.socket === socket) this.socket = null;
  }

  async send<N extends AlertCommandName>(
    name: N,
    payload: AlertCommandPayload<N>,
  ): Promise<AlertCommandOutcome> {
    const socket = this.socket;
    if (socket === null || !socket.connected) {
      return {
        ok: false,
        error: { status: NO_STATUS, code: 'network_error', message: 'not connected to the relay' },
      };
    }
    // The event map types each command's payload; a union of names cannot pick one overload.
    const timed = socket.timeout(COMMAND_TIMEOUT_MS) as unknown as {
      emitWithAck(
        event: `alert:${N}`,
        payload: AlertCommandPayload<N>,
      ): Promise<AlertCommandResult>;
    };
    try {
      return await timed.emitWithAck(`alert:${name}`, payload);
    } catch {
      return {
        ok: false,
        error: { status: NO_STATUS, code: 'timeout', message: 'the relay did not answer in time' },
      };
    }
  }
}

/** The app's one channel; the socket client attaches its socket while it runs. */
export const alertCommands = new AlertCommandChannel();
