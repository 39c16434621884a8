import { useAgeText } from './use-age-text';
import { useNow } from './use-now';

/** Ages are shown to the second. */
const AGE_TICK_MS = 1000;

/**
 * "3초 전" / "3 s ago", kept current by itself: each second a list re-renders only these texts,
 * not its rows, filters and counts.
 */
export function Age({ sinceMs, className }: { sinceMs: number; className: string }) {
  const now = useNow(AGE_TICK_MS);
  const ageText = useAgeText();
  return <span className={className}>{ageText(now - sinceMs)}</span>;
}
