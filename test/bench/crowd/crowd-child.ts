/**
 * The crowd in its own process (forked by the crowd benchmark, the reliability test and the probe),
 * so the clients' CPU — 500 sockets each parsing the vehicle table — neither slows the process
 * that times /healthz nor counts against the relay.
 */
import { CrowdClients } from './crowd-clients';
import type { CrowdChildCommand, CrowdChildMessage, CrowdStatus } from './crowd-ipc';
import { percentile } from '../stats';

let crowd: CrowdClients | null = null;

function reply(message: CrowdChildMessage): void {
  process.send?.(message);
}

function status(): CrowdStatus {
  const c = crowd!;
  const rates = c.framesPerClientPerSecond();
  const errors: Record<string, number> = {};
  for (const s of c.states) if (s.lastError) errors[s.lastError] = (errors[s.lastError] ?? 0) + 1;
  const connectMs = c.states
    .filter((s) => s.connectedMs !== null)
    .map((s) => s.connectedMs! - s.startedMs);
  const firstFrameMs = c.states
    .filter((s) => s.firstFrameMs !== null)
    .map((s) => s.firstFrameMs! - s.startedMs);
  return {
    type: 'status',
    clients: c.states.length,
    connected: c.connected,
    receiving: c.receiving,
    refusals: c.refusals,
    refusedClients: c.refusedClients,
    errors: c.errors,
    lastErrors: errors,
    framesPerClientPerSecond: {
      min: rates.length ? Math.min(...rates) : Number.NaN,
      p50: percentile(rates, 50),
      max: rates.length ? Math.max(...rates) : Number.NaN,
    },
    connectMsP50: percentile(connectMs, 50),
    connectMsMax: connectMs.length ? Math.max(...connectMs) : Number.NaN,
    firstFrameMsMax: firstFrameMs.length ? Math.max(...firstFrameMs) : Number.NaN,
  };
}

process.on('message', (raw) => {
  const command = raw as CrowdChildCommand;
  try {
    if (command.type === 'start') {
      crowd = new CrowdClients(command.options);
      crowd.start();
      reply({ type: 'started' });
    } else if (command.type === 'status') {
      reply(status());
    } else if (command.type === 'window') {
      crowd?.resetWindow();
      reply({ type: 'window' });
    } else if (command.type === 'close') {
      crowd?.close();
      reply({ type: 'closed' });
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
