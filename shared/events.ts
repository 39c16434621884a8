/**
 * Socket.IO contract between relay and client: event names and payload types, declared once.
 * Every socket authenticates in its handshake with `auth: SocketAuth` (shared/auth.ts); without a
 * valid token the relay refuses it with a `connect_error` (SOCKET_AUTH_ERRORS).
 */
import type {
  AlertCommandName,
  AlertCommandPayload,
  AlertCommandResult,
  AlertCommentAdded,
} from './alerts';
import type { ClusterHealth } from './cluster';
import type { Change, ChangeCatchUp } from './changes';
import type { TcsStatus } from './interlock';
import type { VehicleTableUpdate } from './vehicles';

export type SourceKind = 'sim' | 'kafka';
export type StoreKind = 'sqlite' | 'mariadb';

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface HealthSnapshot {
  status: 'ok' | 'degraded';
  source: SourceKind;
  store: StoreKind;
  /** Total consumer lag in messages; 0 for the simulator, null when unknown. */
  consumerLag: number | null;
  lagByPartition: PartitionLag[];
  clients: number;
  vehicles: number;
  /** Epoch ms of the last ingested message, or null before the first. */
  lastIngestMs: number | null;
  uptimeSec: number;
  version: string;
  /** The police TCS link (interlock hand-offs); absent on a relay without the interlock feature. */
  tcs?: TcsStatus;
  /**
   * Whether the store (database) answers; while it is down the API answers 503 `store_unavailable`
   * and the status is `degraded`. `reason` is the driver's (e.g. ECONNREFUSED), null while up.
   */
  storeStatus?: { up: boolean; reason: string | null; sinceMs: number };
  /** Which relay this is, the once-only work it holds, and its Redis link (shared/cluster.ts). */
  cluster?: ClusterHealth;
}

export interface ServerToClientEvents {
  /** A binary position frame (see shared/frames.ts). */
  positions: (frame: ArrayBuffer) => void;
  vehicles: (update: VehicleTableUpdate) => void;
  health: (health: HealthSnapshot) => void;
  /**
   * Sent once on (re)connect, before any `change`: what the client missed after its handshake's
   * `lastSeq` (every entity, in seq order), or a full snapshot flagged `full` (shared/changes.ts).
   */
  changes: (catchUp: ChangeCatchUp) => void;
  /**
   * Every change of an alert, violation or TCS hand-off (…and any entity added later), masked for
   * the socket's role, in seq order. An alert travels without its comments (`commentCount` counts
   * them: `GET /api/alerts/:id/comments` pages through them).
   */
  change: (change: Change) => void;
  /** A new comment on an alert, sent just before the `change` of the alert that counts it. */
  alertComment: (added: AlertCommentAdded) => void;
}

/** The acknowledgement callback of an alert command. */
export type AlertCommandAck = (result: AlertCommandResult) => void;

/** `alert:ack`, `alert:assign`, … — the same commands as REST, answered through the ack callback. */
export type AlertCommandEvents = {
  [N in AlertCommandName as `alert:${N}`]: (
    payload: AlertCommandPayload<N>,
    ack: AlertCommandAck,
  ) => void;
};

export interface ClientToServerEvents extends AlertCommandEvents {
  /** Asks for a fresh vehicle table and key frame (after a gap the client noticed). */
  'snapshot:request': (ack: (ok: boolean) => void) => void;
}

/** The Socket.IO path and namespace the relay serves. */
export const SOCKET_PATH = '/socket.io';
