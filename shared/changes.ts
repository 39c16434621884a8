/**
 * The change feed's contract (DESIGN §11): every change to an entity the relay owns travels as one
 * `Change` — which entity, the whole record as it is now (masked for the receiver's role), and the
 * change's global sequence number (the id of its audit event). One shape for every entity.
 *
 * A client keeps the highest seq it has seen and sends it as `auth.lastSeq` when it reconnects; the
 * relay then sends a `ChangeCatchUp` with every record changed after it (or, past the relay's
 * retention window, a full snapshot flagged `full`), and after that every change, in seq order.
 */
import type { Alert } from './alerts';
import type { Dispatch, Violation } from './interlock';

/**
 * The record type of each entity the feed carries. A new entity is one line here (and its
 * `define` call on the relay, see server/changes/change-feed.ts); the client ignores entities it
 * does not know yet, so a newer relay never breaks an older client.
 */
export interface ChangeRecords {
  alert: Alert;
  violation: Violation;
  dispatch: Dispatch;
}
export type ChangeEntity = keyof ChangeRecords;
export const CHANGE_ENTITIES = [
  'alert',
  'violation',
  'dispatch',
] as const satisfies readonly ChangeEntity[];

/** One change of one entity (the `change` socket event, and each item of a catch-up). */
export type ChangeOf<E extends ChangeEntity> = {
  entity: E;
  /** The record as the relay read it at or after this change (never older). */
  record: ChangeRecords[E];
  /** The id of the change's audit event: increasing across every entity. */
  seq: number;
};
export type Change = { [E in ChangeEntity]: ChangeOf<E> }[ChangeEntity];

/** Sent once on (re)connect, before any `change` (the `changes` socket event). */
export interface ChangeCatchUp {
  /**
   * true: a full snapshot (first connect, or the client was away longer than the retention
   * window): whatever the client holds that is not in it is gone or finished long ago; replace.
   * false: only what changed after the client's `lastSeq`; merge.
   */
  full: boolean;
  /** In seq order. */
  changes: Change[];
  /** Every change up to this seq is in (or older than) this message: the client's new `lastSeq`. */
  seq: number;
}
