/**
 * The whole relay in its embedded mode (simulator + SQLite), in process: a Socket.IO client gets
 * the vehicle table and binary frames, every position is on Busan's land, the seed tables fill,
 * and /healthz and /metrics report it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { loadRoadNetwork } from '../../server/sim/road-network';
import type {
  ClientToServerEvents,
  HealthSnapshot,
  ServerToClientEvents,
} from '../../shared/events';
import { FrameKind, decodePositionFrame, type PositionFrame } from '../../shared/frames';
import type { VehicleTableUpdate } from '../../shared/vehicles';
import { KOREAN_PLATE } from '../../shared/topics';
import { SOCKET_AUTH_ERRORS } from '../../shared/auth';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';

const VEHICLES = 300;
let app: FastifyInstance;
let url: string;
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'relay-embedded-'));
  const config = loadConfig({
    PORT: '0',
    SQLITE_PATH: join(dataDir, 'store.sqlite'),
    SIM_VEHICLES: String(VEHICLES),
    SIM_SEED: 'integration',
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
  });
  app = await buildApp(config);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  token = await loginToken(app);
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect(auth: object = { token }): Socket<ServerToClientEvents, ClientToServerEvents> {
  return io(url, { transports: ['websocket'], forceNew: true, auth });
}

describe('embedded relay', () => {
  it('sends a new client the vehicle table, then a key frame, then deltas, all on land', async () => {
    const socket = connect();
    const tables: VehicleTableUpdate[] = [];
    const frames: PositionFrame[] = [];
    let health: HealthSnapshot | undefined;
    socket.on('vehicles', (t) => tables.push(t));
    socket.on('positions', (f) => frames.push(decodePositionFrame(f)));
    socket.on('health', (h) => (health = h));
    await expect
      .poll(() => frames.filter((f) => f.kind === FrameKind.Delta).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    socket.close();

    expect(tables[0]?.full).toBe(true);
    const table = new Map(tables[0]!.entries.map((e) => [e.index, e]));
    expect(table.size).toBe(VEHICLES);
    for (const entry of table.values()) expect(entry.plate ?? '').toMatch(KOREAN_PLATE);

    const key = frames[0]!;
    expect(key.kind).toBe(FrameKind.Key);
    expect(key.count).toBeGreaterThan(VEHICLES * 0.7);
    const network = loadRoadNetwork();
    for (const frame of frames) {
      for (let i = 0; i < frame.count; i++) {
        if (frame.flags[i]! & 0x80) continue; // gone: position is the last known one
        expect(network.isOnLand(frame.lon[i]!, frame.lat[i]!)).toBe(true);
      }
    }
    // Deltas carry only what changed: here every driving vehicle moves each second.
    const delta = frames.find((f) => f.kind === FrameKind.Delta)!;
    expect(delta.count).toBeLessThanOrEqual(VEHICLES);
    expect(health?.source).toBe('sim');
    expect(health?.store).toBe('sqlite');
  });

  it('sends clients that connect together one snapshot, and a new one when asked', async () => {
    const CLIENTS = 4;
    const received = Array.from({ length: CLIENTS }, () => ({
      tables: [] as VehicleTableUpdate[],
      frames: [] as PositionFrame[],
    }));
    const fullTable = vi.spyOn(app.fleet, 'fullTable');
    const sockets = received.map((r) => {
      const socket = connect();
      socket.on('vehicles', (t) => r.tables.push(t));
      socket.on('positions', (f) => r.frames.push(decodePositionFrame(f)));
      return socket;
    });
    try {
      await expect
        .poll(() => received.every((r) => r.frames.length > 0), { timeout: 10_000 })
        .toBe(true);
      for (const r of received) {
        expect(r.tables[0]?.full).toBe(true);
        expect(r.tables[0]?.entries).toHaveLength(VEHICLES);
        expect(r.frames[0]?.kind).toBe(FrameKind.Key);
      }
      // Built and encoded once for the clients whose handshakes finished within the batch window
      // (all of them, unless this machine is very busy), not once each.
      expect(fullTable.mock.calls.length).toBeLessThan(CLIENTS);

      const first = received[0]!;
      const fullTablesBefore = first.tables.filter((t) => t.full).length;
      const acked = await sockets[0]!.timeout(5_000).emitWithAck('snapshot:request');
      expect(acked).toBe(true);
      expect(first.tables.filter((t) => t.full).length).toBe(fullTablesBefore + 1);
      // The others were not sent it.
      for (const r of received.slice(1)) expect(r.tables.filter((t) => t.full)).toHaveLength(1);
    } finally {
      fullTable.mockRestore();
      for (const socket of sockets) socket.close();
    }
  });

  it('writes the seed tables as the upstream pipeline would', async () => {
    const db = app.store.db;
    const count = async (table: 'uservehicle' | 'driving_session' | 'driving_session_info') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('uservehicle')).toBe(VEHICLES);
    expect(await count('driving_session')).toBeGreaterThan(VEHICLES * 0.7);
    expect(await count('driving_session_info')).toBeGreaterThan(VEHICLES);
    const row = await db
      .selectFrom('driving_session_info')
      .selectAll()
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.dt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  });

  it('reports health and metrics', async () => {
    const health = (await app.inject({ url: '/healthz' })).json<HealthSnapshot>();
    expect(health).toMatchObject({ status: 'ok', source: 'sim', store: 'sqlite', consumerLag: 0 });
    expect(health.vehicles).toBeGreaterThan(VEHICLES * 0.7);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/relay_ingest_messages_total\{topic="driving_session_info"\} \d+/);
    expect(metrics.body).toMatch(/relay_vehicles_live \d+/);
  });

  it('refuses a socket without a token', async () => {
    const socket = connect({});
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toBe(SOCKET_AUTH_ERRORS.missingToken);
  });

  it('answers unknown routes with a JSON error', async () => {
    const response = await app.inject({ url: '/api/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
