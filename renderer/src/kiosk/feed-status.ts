/**
 * The wall's feed rule: when the banner nobody can miss shows, and how old the last data is.
 * Pure (times come in), tested in Node.
 *
 * - lost: the operators' rule (features/connection): no position frame, or no link, for 15 s.
 *   The age is that of the last frame, on this page's monotonic clock.
 * - stale: the link is up but the relay itself reports `degraded` (its source sent nothing for
 *   15 s: Kafka or the pipeline stopped); frames may still come but carry old positions. The age is
 *   that of the last ingested row, by the relay's clock against this machine's.
 * - live / waiting (connecting, or a short reconnect): no banner, so a relay restart of a few
 *   seconds does not flash every wall in the room.
 */
import type { HealthSnapshot } from '../../../shared/events';
import {
  deriveConnectionState,
  type ConnectionFacts,
} from '../features/connection/connection-state';

export type FeedState = 'live' | 'waiting' | 'stale' | 'lost';

export interface FeedFacts extends ConnectionFacts {
  /** The relay's last health report, or null before the first. */
  health: Pick<HealthSnapshot, 'status' | 'lastIngestMs'> | null;
}

export interface FeedStatus {
  state: FeedState;
  /** Age of the newest data the wall holds in ms, or null when none ever arrived. */
  lastDataAgeMs: number | null;
}

/** `nowMs` is monotonic (as the facts' times); `nowEpochMs` is the wall clock. */
export function feedStatus(facts: FeedFacts, nowMs: number, nowEpochMs: number): FeedStatus {
  const frameAgeMs = facts.lastFrameAt === null ? null : Math.max(0, nowMs - facts.lastFrameAt);
  const connection = deriveConnectionState(facts, nowMs);
  if (connection === 'lost') return { state: 'lost', lastDataAgeMs: frameAgeMs };
  if (facts.connected && facts.health?.status === 'degraded') {
    const ingested = facts.health.lastIngestMs;
    return {
      state: 'stale',
      lastDataAgeMs: ingested === null ? null : Math.max(0, nowEpochMs - ingested),
    };
  }
  return { state: connection === 'live' ? 'live' : 'waiting', lastDataAgeMs: frameAgeMs };
}

export function showsFeedBanner(status: FeedStatus): boolean {
  return status.state === 'lost' || status.state === 'stale';
}

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_DAY = 86_400;

/**
 * An age as a wall states it, to the second under an hour ("2분 14초" / "2 m 14 s"), then to the
 * minute ("1시간 5분" / "1 h 5 m"), then to the hour ("2일 3시간" / "2 d 3 h").
 */
export function formatDataAge(ageMs: number): { ko: string; en: string } {
  const total = Math.max(0, Math.floor(ageMs / MS_PER_SECOND));
  const days = Math.floor(total / SECONDS_PER_DAY);
  const hours = Math.floor((total % SECONDS_PER_DAY) / SECONDS_PER_HOUR);
  const minutes = Math.floor((total % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  const seconds = total % SECONDS_PER_MINUTE;
  if (days > 0) return { ko: `${days}일 ${hours}시간`, en: `${days} d ${hours} h` };
  if (hours > 0) return { ko: `${hours}시간 ${minutes}분`, en: `${hours} h ${minutes} m` };
  if (minutes > 0) return { ko: `${minutes}분 ${seconds}초`, en: `${minutes} m ${seconds} s` };
  return { ko: `${seconds}초`, en: `${seconds} s` };
}
