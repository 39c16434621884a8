/**
 * After a load refusal (shared/socket-admission.ts) the client waits at least the relay's hint,
 * and longer after each refusal in a row (doubling up to the cap), so a crowd of displays does not
 * come back all at once.
 */
const LOAD_RETRY_BASE_MS = 1000;
export const LOAD_RETRY_MAX_MS = 30_000;

/** How long to wait after the n-th load refusal in a row (n from 1), given the relay's hint. */
export function loadRetryDelayMs(
  refusalsInRow: number,
  hintMs: number,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(LOAD_RETRY_MAX_MS, LOAD_RETRY_BASE_MS * 2 ** (refusalsInRow - 1));
  // Jitter on our own part only: the relay's hint already carries its own.
  return Math.max(hintMs, Math.round(backoff * (0.5 + random() / 2)));
}
