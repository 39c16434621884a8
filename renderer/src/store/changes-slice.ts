/**
 * The one handler of the change feed: every `changes` catch-up and `change` message goes into the
 * slices that hold its entity (alerts, violations, hand-offs; each keyed by id, the newest version
 * kept), and the highest seq seen is kept to catch up from after a reconnect.
 */
import type { StateCreator } from 'zustand';
import type { Change, ChangeCatchUp } from '../../../shared/changes';
import { nextLastSeq, splitChanges } from '../live/change-apply';
import type { AppState } from './types';

export interface ChangesSlice {
  /** The highest change seq seen; sent in the handshake as `lastSeq` so a reconnect misses nothing. */
  lastSeq: number;
  /** The catch-up on (re)connect: merged, or (flagged full) replacing what was held. */
  applyCatchUp: (catchUp: ChangeCatchUp) => void;
  /** One `change`: kept only when newer than the copy held. */
  applyChange: (change: Change) => void;
  /** On logout: the next user starts from a full snapshot. */
  clearChanges: () => void;
}

export const createChangesSlice: StateCreator<AppState, [], [], ChangesSlice> = (set, get) => ({
  lastSeq: 0,
  applyCatchUp: (catchUp) => {
    const records = splitChanges(catchUp.changes);
    const state = get();
    state.mergeAlertSnapshot(records.alert, catchUp.full);
    state.mergeViolationSnapshot(records.violation, catchUp.full);
    state.mergeDispatchSnapshot(records.dispatch, catchUp.full);
    set({ lastSeq: nextLastSeq(get().lastSeq, catchUp) });
  },
  applyChange: (change) => {
    const state = get();
    switch (change.entity) {
      case 'alert':
        state.upsertAlert(change.record);
        break;
      case 'violation':
        state.upsertViolation(change.record);
        break;
      case 'dispatch':
        state.upsertDispatch(change.record);
        break;
      default:
        break; // an entity this client does not know yet (a newer relay)
    }
    const lastSeq = nextLastSeq(state.lastSeq, change);
    if (lastSeq !== state.lastSeq) set({ lastSeq });
  },
  clearChanges: () => set({ lastSeq: 0 }),
});
