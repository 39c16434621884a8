/**
 * The client's side of the change feed (shared/changes.ts), as pure functions: a catch-up's
 * changes split by entity for the slices that hold them, the seq to catch up from next time, and
 * what a full snapshot keeps of what the client held. No React, no store: tested in Node.
 */
import type { Alert } from '../../../shared/alerts';
import type { Change } from '../../../shared/changes';
import type { Dispatch, Violation } from '../../../shared/interlock';

export interface ChangesByEntity {
  alert: Alert[];
  violation: Violation[];
  dispatch: Dispatch[];
}

/** The records of each entity, in the changes' order; entities this client does not know are left. */
export function splitChanges(changes: readonly Change[]): ChangesByEntity {
  const split: ChangesByEntity = { alert: [], violation: [], dispatch: [] };
  for (const change of changes) {
    switch (change.entity) {
      case 'alert':
        split.alert.push(change.record);
        break;
      case 'violation':
        split.violation.push(change.record);
        break;
      case 'dispatch':
        split.dispatch.push(change.record);
        break;
      default:
        // A newer relay's entity: its seq still counts (see nextLastSeq), its record waits for
        // a client that knows it.
        break;
    }
  }
  return split;
}

/**
 * The seq to send as `lastSeq` next time. A catch-up covers everything up to its `seq`; a full
 * snapshot replaces what the client knew (its seq may be lower: another store, a reset).
 */
export function nextLastSeq(current: number, received: { full?: boolean; seq: number }): number {
  return received.full ? received.seq : Math.max(current, received.seq);
}

/**
 * What a full snapshot keeps of the records held: only those it names (newer copies of them stay,
 * the merge by version decides); the rest finished or left long ago.
 */
export function retainNamed<T extends { id: number }>(
  held: Readonly<Record<number, T>>,
  snapshot: readonly T[],
): Readonly<Record<number, T>> {
  const named = new Set(snapshot.map((record) => record.id));
  const kept: Record<number, T> = {};
  for (const record of Object.values(held)) if (named.has(record.id)) kept[record.id] = record;
  return kept;
}
