/** Markdown section and budget rows for the replay benchmark (replay-bench.ts, replay-screen-bench.ts). */
import { fmt } from '../stats';
import type { ReplayStorageResult } from './replay-bench';
import type { ReplayScreenResult } from './replay-screen-bench';

/** Issue 18: seek to any moment of the last two hours → frame on screen, p95 under this. */
export const SEEK_P95_BUDGET_MS = 1_000;
/** The size the replay budgets are set for. */
export const REPLAY_BUDGET_VEHICLES = 50_000;
/** Playback "holds" when the shown moment advances at least this share of the chosen speed … */
const PLAYBACK_SPEED_SHARE = 0.9;
/** … and the picture never stands still longer than this. */
const PLAYBACK_STILL_MS = 1_000;

export interface ReplayReport {
  storage: ReplayStorageResult;
  screen: ReplayScreenResult;
}

type Verdict = 'met' | 'not met' | 'not measured';

export function playbackHolds(playback: ReplayScreenResult['playback']): boolean {
  return (
    playback.achievedSpeed >= PLAYBACK_SPEED_SHARE * playback.speed &&
    playback.longestStillMs <= PLAYBACK_STILL_MS
  );
}

export function replayBudgetRows(
  replay: ReplayReport | undefined,
): { budget: string; measured: string; verdict: Verdict }[] {
  const atSize = replay?.screen.vehicles === REPLAY_BUDGET_VEHICLES;
  const seekBudget = `Replay at ${fmt(REPLAY_BUDGET_VEHICLES)} vehicles: seek to any moment of the last two hours → frame on screen p95 under ${fmt(SEEK_P95_BUDGET_MS)} ms`;
  const playBudget = `Replay at ${fmt(REPLAY_BUDGET_VEHICLES)} vehicles: playback at ×10 holds`;
  if (!replay || !atSize) {
    return [
      { budget: seekBudget, measured: '—', verdict: 'not measured' },
      { budget: playBudget, measured: '—', verdict: 'not measured' },
    ];
  }
  const { seek, playback } = replay.screen;
  return [
    {
      budget: seekBudget,
      measured: `p95 ${fmt(seek.p95)} ms (p50 ${fmt(seek.p50)} ms, ${seek.n} seeks over ${fmt(replay.screen.historyMinutes)} min)`,
      verdict: seek.p95 < SEEK_P95_BUDGET_MS ? 'met' : 'not met',
    },
    {
      budget: playBudget,
      measured: `shown moment at ×${fmt(playback.achievedSpeed, 1)} for ×${playback.speed}, ${fmt(playback.updatesPerSecond, 1)} updates/s, longest still ${fmt(playback.longestStillMs)} ms`,
      verdict: playbackHolds(playback) ? 'met' : 'not met',
    },
  ];
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB`;

export function replaySection(replay: ReplayReport | undefined): string {
  if (!replay) return '';
  const { storage, screen } = replay;
  const { playback } = screen;
  return [
    `## Replay (issue 18, DESIGN §13)`,
    '',
    table(
      ['figure', 'value'],
      [
        [
          `stored at ${fmt(storage.vehicles)} vehicles`,
          `${mb(storage.storedBytesPerHour)} per hour, ${fmt((storage.storedBytesPerHour * 24) / 1e9, 1)} GB per day (the live frames would be ${mb(storage.rawBytesPerHour)} per hour)`,
        ],
        [
          'packing / compressing per 10 s chunk',
          `${fmt(storage.encodeMsPerChunk)} ms spread over its 50 frames / ${fmt(storage.compressMsPerChunk)} ms on the libuv thread pool`,
        ],
        [
          `seek, relay side (${storage.seekMs.n} seeks)`,
          `p50 ${fmt(storage.seekMs.p50)} ms, p95 ${fmt(storage.seekMs.p95)} ms, max ${fmt(storage.seekMs.max)} ms; answer ${fmt(storage.frameBytes / 1000)} KB`,
        ],
        [
          `seek, on screen at ${fmt(screen.vehicles)} vehicles (${screen.seek.n} seeks over ${fmt(screen.historyMinutes)} min)`,
          `p50 ${fmt(screen.seek.p50)} ms, p95 ${fmt(screen.seek.p95)} ms, max ${fmt(screen.seek.max)} ms; of which the relay's answer p50 ${fmt(screen.seek.answerP50)} ms, p95 ${fmt(screen.seek.answerP95)} ms`,
        ],
        [
          `playback ×${playback.speed} for ${fmt(playback.wallMs / 1000)} s`,
          `shown moment advanced at ×${fmt(playback.achievedSpeed, 1)}; ${fmt(playback.updatesPerSecond, 1)} pictures/s; longest still ${fmt(playback.longestStillMs)} ms; trailing the bar by ${fmt(playback.trailP95S, 1)} s (p95, replayed time) — ${playbackHolds(playback) ? '**holds**' : '**does not hold**'}`,
        ],
      ],
    ),
    '',
    `Storage and the relay side: ${fmt(storage.minutes)} minutes of frames as the relay builds them at ${fmt(storage.vehicles)} vehicles moving at 1 Hz (synthetic motion, a frame every 200 ms with the fifth of the fleet that moved, a key frame every 10 s) through the recorder's own encoder and brotli into a migrated SQLite store (test/bench/replay/history.ts), then seeks spread over them through \`ReplayService\` (one indexed chunk read, decompress, decode, fold to the moment, pack: the relay's side of \`GET /api/fleet/at\`).`,
    '',
    `On screen: the client benchmark's relay (the real relay, embedded mode, a synthetic fleet of ${fmt(screen.vehicles)} moving at 1 Hz) with ${fmt(screen.historyMinutes)} minutes of history written into its store before it started (${fmt(screen.history.chunks)} chunks, written in ${fmt(screen.history.writeMs / 1000)} s) as an earlier recording run of the same cars, so each seek also maps that run's vehicle indexes as after a relay restart. The product client in headless Chromium (1400×900); each seek moves the time bar's slider to a moment spread over the recorded hours in shuffled order (no seek reads a chunk the relay still holds decoded) and is timed from the slider's input event to the animation frame after the one that drew the fleet at that moment. Playback: ×${playback.speed} from a moment five minutes into the history, every animation frame sampled.`,
  ].join('\n');
}
