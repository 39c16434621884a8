/**
 * Alert commands (`alert:ack`, `alert:resolve`, …) over the one socket (held by the relay link,
 * relay-link.ts), answered through Socket.IO acknowledgements. A command is only sent on a live
 * link: Socket.IO would otherwise buffer it and send it after a reconnect, long after the person
 * pressed the button.
 */
import type {
  AlertCommandName,
  AlertCommandPayload,
  AlertCommandResult,
} from '../../../shared/alerts';

/** The link commands travel over (the socket client's connection to the relay link). */
export interface CommandLink {
  readonly connected: boolean;
  /**
   * Emits `event` with `payload` and resolves with the relay's acknowledgement; rejects with a
   * LinkRequestError when the link was down or the relay did not answer within `timeoutMs`.
   */
  request(event: string, payload: unknown, timeoutMs: number): Promise<unknown>;
}

/** Why a request over the link got no acknowledgement. */
export class LinkRequestError extends Error {
  constructor(readonly reason: 'timeout' | 'not-connected') {
    super(reason === 'timeout' ? 'the relay did not answer in time' : 'not connected to the relay');
  }
}

/** Longer than any command should take on a local network; then the person may try again. */
export const COMMAND_TIMEOUT_MS = 10_000;
const NO_STATUS = 0;

export type AlertCommandOutcome =
  | AlertCommandResult
  | { ok: false; error: { status: number; code: 'network_error' | 'timeout'; message: string } };

export class AlertCommandChannel {
  private link: CommandLink | null = null;

  attach(link: CommandLink): void {
    this.link = link;
  }

  detach(link: CommandLink): void {
    if (this.link === link) this.link = null;
  }

  async send<N extends AlertCommandName>(
    name: N,
    payload: AlertCommandPayload<N>,
  ): Promise<AlertCommandOutcome> {
    const link = this.link;
    const notConnected: AlertCommandOutcome = {
      ok: false,
      error: { status: NO_STATUS, code: 'network_error', message: 'not connected to the relay' },
    };
    if (link === null || !link.connected) return notConnected;
    try {
      // The relay answers every `alert:*` command with an AlertCommandResult (shared/events.ts).
      return (await link.request(
        `alert:${name}`,
        payload,
        COMMAND_TIMEOUT_MS,
      )) as AlertCommandResult;
    } catch (error) {
      if (error instanceof LinkRequestError && error.reason === 'not-connected')
        return notConnected;
      return {
        ok: false,
        error: { status: NO_STATUS, code: 'timeout', message: 'the relay did not answer in time' },
      };
    }
  }
}

/** The app's one channel; the socket client attaches its socket while it runs. */
export const alertCommands = new AlertCommandChannel();
