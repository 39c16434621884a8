/** Socket.IO contract between relay and client: event names and payload types, declared once. */
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
}

export interface ServerToClientEvents {
  /** A binary position frame (see shared/frames.ts). */
  positions: (frame: ArrayBuffer) => void;
  vehicles: (update: VehicleTableUpdate) => void;
  health: (health: HealthSnapshot) => void;
}

export interface ClientToServerEvents {
  /** Asks for a fresh vehicle table and key frame (after a gap the client noticed). */
  'snapshot:request': (ack: (ok: boolean) => void) => void;
}

/** The Socket.IO path and namespace the relay serves. */
export const SOCKET_PATH = '/socket.io';
