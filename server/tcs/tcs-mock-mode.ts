/** The TCS mock's failure modes (server/tcs/tcs-mock.ts) and their text form (TCS_MOCK_MODE). */

export const TCS_MOCK_MODES = ['accept', 'reject', 'fail', 'timeout', 'slow'] as const;
export type TcsMockModeName = (typeof TCS_MOCK_MODES)[number];

export interface TcsMockMode {
  mode: TcsMockModeName;
  /** Requests left in this mode before it returns to accept; null: until changed. */
  count: number | null;
  /** For `slow`: how long each answer takes. */
  delayMs: number;
}

export const DEFAULT_MOCK_MODE: TcsMockMode = { mode: 'accept', count: null, delayMs: 0 };
export const DEFAULT_SLOW_MS = 3000;
export const MAX_DELAY_MS = 10 * 60_000;

export const MOCK_MODE_HELP = `one of ${TCS_MOCK_MODES.join(', ')}, optionally :N (fail:3 = three failures then accept; slow:2000 = 2000 ms answers)`;

/**
 * `accept`, `reject`, `fail:3` (three times, then accept), `timeout`, `slow:2000` (ms). Returns
 * null for anything else.
 */
export function parseMockMode(text: string): TcsMockMode | null {
  const match = /^\s*([a-z]+)\s*(?::\s*(\d{1,9}))?\s*$/.exec(text);
  const name = match?.[1] as TcsMockModeName | undefined;
  if (!name || !TCS_MOCK_MODES.includes(name)) return null;
  const n = match?.[2] === undefined ? null : Number(match[2]);
  if (name === 'slow') {
    return { mode: name, count: null, delayMs: Math.min(n ?? DEFAULT_SLOW_MS, MAX_DELAY_MS) };
  }
  return { mode: name, count: name === 'accept' ? null : n, delayMs: 0 };
}

export function describeMode(mode: TcsMockMode): string {
  const count = mode.count === null ? '' : ` ×${mode.count}`;
  return mode.mode === 'slow' ? `slow (${mode.delayMs} ms)${count}` : `${mode.mode}${count}`;
}
