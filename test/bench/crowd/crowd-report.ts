/** Markdown sections for the embedded-at-scale and crowd benchmarks (crowd-bench.ts). */
import { fmt } from '../stats';
import type { CrowdBenchResult, EmbeddedBenchResult, HealthLatency } from './crowd-bench';

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const ms = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : `${fmt(value)} ms`;

function healthText(h: HealthLatency): string {
  return `p50 ${ms(h.p50Ms)}, p95 ${ms(h.p95Ms)}, max ${ms(h.maxMs)} (${fmt(h.probes)} probes, ${fmt(h.failures)} unanswered in 5 s)`;
}

export function embeddedSection(result: EmbeddedBenchResult | undefined): string {
  if (!result) return '';
  return [
    `## Embedded default at ${fmt(result.vehicles)} vehicles`,
    '',
    table(
      ['measure', 'value'],
      [
        ['`/healthz` latency over the window and the connects', healthText(result.health)],
        [
          `${result.sockets} sockets connecting at once: connected with a frame within 8 s`,
          `${fmt(result.socketsInTime)} of ${fmt(result.sockets)} (slowest first frame ${ms(result.socketFirstFrameMaxMs)})`,
        ],
        ['relay CPU (both threads)', `${fmt(result.relayCores * 100)} % of a core`],
        ['relay RSS (end / peak)', `${fmt(result.relayRssMb)} / ${fmt(result.relayPeakRssMb)} MB`],
        [
          'event-loop delay over the window and the connects (p99 / max)',
          `${ms(result.eventLoopP99Ms)} / ${ms(result.eventLoopMaxMs)}`,
        ],
        ['last seed-table batch write (worker thread)', ms(result.storeWriteMs)],
      ],
    ),
    '',
    `The relay alone (simulator, SQLite in a fresh folder, one history row per position: ${fmt(result.vehicles)} rows a second), measured for ${fmt(result.windowMs / 1000)} s after the fleet was live, then ${result.sockets} clients connected at once. Before the seed-table writes moved to a worker thread (issue 14 §3) \`/healthz\` took 2.5 s here and 16 of 20 new sockets failed to connect within 8 s.`,
  ].join('\n');
}

export function crowdSection(result: CrowdBenchResult | undefined): string {
  if (!result) return '';
  const rate = result.framesPerClientPerSecond;
  return [
    `## A crowd: ${fmt(result.clients)} clients connecting at once`,
    '',
    table(
      ['measure', 'value'],
      [
        ['connected (and receiving frames)', `${fmt(result.connected)} of ${fmt(result.clients)}`],
        [
          'refused at first, then retried and connected',
          `${fmt(result.refusedClients)} clients (${fmt(result.refusals)} refusals in all); other connect errors ${fmt(result.otherErrors)}`,
        ],
        [
          'time to all connected and receiving',
          result.allInMs === null ? 'not all within the time limit' : ms(result.allInMs),
        ],
        [
          'one client: first try → connected (p50 / max)',
          `${ms(result.connectP50Ms)} / ${ms(result.connectMaxMs)}`,
        ],
        [
          'frames per client per second once in (min / p50 / max)',
          `${fmt(rate.min, 2)} / ${fmt(rate.p50, 2)} / ${fmt(rate.max, 2)}`,
        ],
        ['`/healthz` latency during the crowd', healthText(result.health)],
        ['relay CPU during the crowd', `${fmt(result.relayCores * 100)} % of a core`],
        ['relay RSS (end / peak)', `${fmt(result.relayRssMb)} / ${fmt(result.relayPeakRssMb)} MB`],
        [
          'after they left: until 0 clients, then `/healthz`',
          `${ms(result.quietAfterMs)}, ${ms(result.healthAfterMs)}`,
        ],
      ],
    ),
    '',
    `${fmt(result.clients)} Socket.IO clients (WebSocket, one process of their own) opened together against the relay with ${fmt(result.vehicles)} simulated vehicles. The relay admits MAX_CONCURRENT_HANDSHAKES (32) at a time and refuses the rest with \`connect_error\` \`overloaded\` and a retry hint; the clients retry after it, as the product's client does. Each connected client gets the vehicle table (~150 bytes a vehicle) and ~17 bytes a vehicle a second of frames: the clients' own process, parsing 500 tables on this 2-core machine, is a large part of the time to all connected.`,
  ].join('\n');
}
