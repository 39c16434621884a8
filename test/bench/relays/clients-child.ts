/**
 * One relay's audience in its own process (forked by relays-bench.ts): its Socket.IO clients, each
 * decoding every frame, and the Kafka append times they are timed against (forwarded from the
 * load generator). Two relays' forty clients at 50,000 positions/s in the benchmark's own process
 * left its event loop tens of seconds behind, and that backlog was timed as the relays' latency.
 */
import { AppendTimes, LatencyClients } from '../relay/latency-clients';
import type { GeneratorChunk } from '../relay/ipc';
import { percentile } from '../stats';

export type ClientsCommand =
  | {
      type: 'start';
      url: string;
      token: string;
      vehicles: number;
      partitions: number;
      clients: number;
    }
  | { type: 'chunk'; chunk: GeneratorChunk }
  | { type: 'known' }
  | { type: 'startWindow' }
  | { type: 'endWindow' }
  | { type: 'close' };

export type ClientsMessage =
  | { type: 'connected' }
  | { type: 'known'; vehicles: number }
  | { type: 'window'; latencyP50Ms: number; latencyP99Ms: number; samples: number }
  | { type: 'error'; message: string };

/** Received rows are matched to their append times about once a second. */
const RESOLVE_INTERVAL_MS = 1000;

let appendTimes: AppendTimes | null = null;
let clients: LatencyClients | null = null;

function reply(message: ClientsMessage): void {
  process.send?.(message);
}

async function start(command: Extract<ClientsCommand, { type: 'start' }>): Promise<void> {
  appendTimes = new AppendTimes(command.vehicles, command.partitions);
  clients = new LatencyClients(appendTimes, command.clients);
  await clients.connect(command.url, command.token);
  setInterval(() => clients?.resolvePending(Date.now()), RESOLVE_INTERVAL_MS).unref();
  reply({ type: 'connected' });
}

process.on('message', (raw) => {
  const command = raw as ClientsCommand;
  switch (command.type) {
    case 'start':
      start(command).catch((error: unknown) =>
        reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'chunk':
      appendTimes?.record(command.chunk);
      break;
    case 'known':
      reply({ type: 'known', vehicles: clients?.vehiclesKnown ?? 0 });
      break;
    case 'startWindow':
      clients?.startWindow();
      break;
    case 'endWindow': {
      const c = clients!;
      c.endWindow();
      c.resolvePending(Date.now());
      reply({
        type: 'window',
        latencyP50Ms: percentile(c.latencies, 50),
        latencyP99Ms: percentile(c.latencies, 99),
        samples: c.latencies.length,
      });
      break;
    }
    case 'close':
      clients?.close();
      process.exit(0);
  }
});
process.once('disconnect', () => process.exit(0));
