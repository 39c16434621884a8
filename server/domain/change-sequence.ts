/**
 * The change feed's ordering rules as pure functions (no I/O): how far the committed audit log can
 * be delivered without skipping a change that may still commit, which changes of a run to send,
 * and whether a reconnecting client catches up or needs a full snapshot.
 */

/** An audit event as the feed reads it: its seq (id) and which record it changed. */
export interface ChangeEvent {
  seq: number;
  entity: string;
  entityId: string;
}

/** A hole in the ids after the watermark: ids `from`..`to` are not visible (yet?). */
export interface SeqGap {
  from: number;
  to: number;
}

/**
 * How many of `seqs` (increasing, all above `watermark`) follow the watermark without a hole, and
 * the first hole after them. An id in a hole belongs to a transaction still running (it will
 * commit later with that smaller id) or one rolled back (it never will): delivering past a hole
 * before knowing which could skip a late commit for good.
 */
export function contiguousRun(
  watermark: number,
  seqs: readonly number[],
): { count: number; gap: SeqGap | null } {
  let expected = watermark + 1;
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i]!;
    if (seq !== expected) return { count: i, gap: { from: expected, to: seq - 1 } };
    expected = seq + 1;
  }
  return { count: seqs.length, gap: null };
}

/**
 * The last event of each record among `events` (in seq order), in seq order: a record changed
 * five times in one run is read and sent once, as it is now.
 */
export function latestPerRecord<T extends ChangeEvent>(events: readonly T[]): T[] {
  const last = new Map<string, T>();
  for (const event of events) {
    const key = `${event.entity}:${event.entityId}`;
    const seen = last.get(key);
    if (!seen || seen.seq < event.seq) last.set(key, event);
  }
  return [...last.values()].sort((a, b) => a.seq - b.seq);
}

export type CatchUpKind = 'none' | 'changes' | 'full';

/**
 * What a connecting client gets. `afterSeq` is its last seq (null: none, a first connect);
 * `watermark` the feed's delivered seq; `firstMissed` the first audit event after `afterSeq`.
 * - full: no seq, a seq this store never reached (another database, a reset store), or a gap that
 *   reaches back beyond the retention window (catching up would read too much history);
 * - none: nothing was missed;
 * - changes: the records changed in (afterSeq, watermark].
 */
export function catchUpKind(input: {
  afterSeq: number | null;
  watermark: number;
  firstMissed: { seq: number; atMs: number } | null;
  nowMs: number;
  retentionMs: number;
}): CatchUpKind {
  const { afterSeq, watermark, firstMissed } = input;
  if (afterSeq === null || afterSeq > watermark) return 'full';
  if (firstMissed === null || firstMissed.seq > watermark) return 'none';
  if (firstMissed.atMs < input.nowMs - input.retentionMs) return 'full';
  return 'changes';
}
