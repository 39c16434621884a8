/** What the plugins decorate the Fastify instance with. */
import type { Action } from '../shared/roles';
import type { SessionUser } from '../shared/auth';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { AlertService } from './alerts/alert-service';
import type { InterlockService } from './interlock/interlock-service';
import type { DispatchService } from './tcs/dispatch-service';
import type { Server as SocketServer } from 'socket.io';
import type { UserService } from './auth/user-service';
import type { TokenService } from './auth/tokens';
import type { Config } from './config';
import type { FleetState } from './fleet/fleet-state';
import type { IngestPipeline } from './ingest/pipeline';
import type { KafkaSource } from './ingest/kafka-source';
import type { Metrics } from './metrics';
import type { Store } from './store/database';
import type { StoreHealth } from './store/store-health';
import type { SeedWriter } from './store/seed-writer';
import type {
  ClientToServerEvents,
  HealthSnapshot,
  ServerToClientEvents,
  SourceKind,
} from '../shared/events';

export interface SourceStatus {
  kind: SourceKind;
  /** Total consumer lag, null when unknown. */
  lag(): { total: number | null; byPartition: { topic: string; partition: number; lag: number }[] };
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    metrics: Metrics;
    store: Store;
    fleet: FleetState;
    ingest: IngestPipeline;
    /** Writes seed-table rows (plugin `fleet`); null when the relay does not write them. */
    seedWriter: SeedWriter | null;
    source: SourceStatus;
    /** Present when the source is Kafka. */
    kafkaSource?: KafkaSource;
    health(): HealthSnapshot;
    /** Whether the store answers (plugin `health`); the error handler reports outages to it. */
    storeHealth: StoreHealth;
    clientCount(): number;
    users: UserService;
    tokens: TokenService;
    alerts: AlertService;
    /** Interlock violations (plugin `interlock`). */
    interlock: InterlockService;
    /** TCS hand-offs and their worker (plugin `tcs`). */
    tcs: DispatchService;
    /** The Socket.IO server (plugin `socket.io`), for adapters that push their own events. */
    io: SocketServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>>;
    /**
     * An onRequest hook: 401 without a valid token of an active user, 403 when the user's role may
     * not do `action` (omit it for "any logged-in user"). Sets `request.user`.
     */
    authorize(action?: Action): onRequestAsyncHookHandler;
  }

  interface FastifyRequest {
    /** The logged-in user; set by `authorize` (null on public routes). */
    user: SessionUser | null;
  }
}
