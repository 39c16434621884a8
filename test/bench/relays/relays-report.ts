/** Markdown section for the two-relays benchmark (relays-bench.ts). */
import { fmt } from '../stats';
import type { RelaysBenchOptions, RelaysBenchResult } from './relays-bench';

/** DESIGN §8: each relay of two at least this share of one relay alone. */
const SHARE_BUDGET = 0.9;
/** DESIGN §8: a change on one relay reaches a client of the other with p99 under this. */
const CHANGE_P99_BUDGET_MS = 500;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const pct = (share: number) => (Number.isFinite(share) ? `${fmt(share * 100)} %` : '—');
const ms = (value: number) => (Number.isFinite(value) ? `${fmt(value)} ms` : '—');

export function relaysSection(
  run: { options: Omit<RelaysBenchOptions, 'log'>; result: RelaysBenchResult } | undefined,
): string {
  if (!run) return '';
  const { options, result } = run;
  return [
    '## Two relays on one broker (DESIGN §12)',
    '',
    table(
      [
        'offered msg/s',
        'produced msg/s',
        'one relay alone: msg/s (CPU)',
        'relay A of two: msg/s (share, CPU)',
        'relay B of two: msg/s (share, CPU)',
        'append → client p99 alone / A / B',
        'change on A → client of B p50 / p99 (max)',
        'verdict',
      ],
      result.levels.map((l) => {
        const met =
          l.pair.every((p) => p.ofAlone >= SHARE_BUDGET) &&
          l.changeP99Ms < CHANGE_P99_BUDGET_MS &&
          l.changesLost === 0;
        return [
          fmt(l.ratePerSecond),
          fmt(l.producedPerSecond),
          `${fmt(l.alone.perSecond)} (${pct(l.alone.cores)})`,
          ...l.pair.map((p) => `${fmt(p.perSecond)} (${pct(p.ofAlone)}, ${pct(p.cores)})`),
          `${ms(l.alone.latencyP99Ms)} / ${ms(l.pair[0].latencyP99Ms)} / ${ms(l.pair[1].latencyP99Ms)}`,
          `${ms(l.changeP50Ms)} / ${ms(l.changeP99Ms)} (${ms(l.changeMaxMs)}; ${fmt(l.changeSamples)} changes, ${fmt(l.changesLost)} lost)`,
          met ? '**met**' : '**not met**',
        ];
      }),
    ),
    ...(result.failed ?? []).map(
      (f) =>
        `\n**Not measured at ${fmt(f.ratePerSecond)} msg/s:** ${f.reason}. The level is counted as not met.`,
    ),
    '',
    `Both relays are the real one as their own processes with \`REDIS_URL\` (a private redis-server), one MariaDB database and \`WRITE_SEED_TABLES=false\`; ${options.clients} clients on each, every one decoding every frame, each relay's clients in a process of their own. Latencies are timed outside the benchmark's own process: append → client by each relay's client process, and the change by a probe process (acknowledge on A over REST, a Socket.IO client of B). Per rate, in one run: one relay alone under the load (${fmt(options.warmupMs / 1000)} s warm-up, ${fmt(options.measureMs / 1000)} s window), then a second relay joins under the same load and both are measured together while alerts are acknowledged on relay A (REST) at 5 a second and timed until a client of relay B has the change. Every relay reads every position (its own consumer), so "share" is each relay's consumed rate against the relay alone; CPU is a share of one core. Budgets: each relay ≥ ${SHARE_BUDGET * 100} % of one alone, change p99 < ${CHANGE_P99_BUDGET_MS} ms. Both relays, the broker, Redis, MariaDB, the load generator and the clients share this machine's 2 cores; "produced msg/s" says how much of the offered load the generator managed while all of them ran.`,
  ].join('\n');
}
