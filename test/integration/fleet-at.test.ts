/**
 * GET /api/fleet/at against what a live Socket.IO client received (issue 18): a client folds the
 * live `positions` frames as the map does; at moments it saw, the relay's answer from its frame
 * store is the same fleet, bit for bit. Embedded (SQLite, one relay) and MariaDB with two relays,
 * where the second, which does not record, answers from the first's chunks in its own indexes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { chunkRange, chunkTotals } from '../../server/store/frame-repository';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import { FrameKind, VehicleFlag, decodePositionFrame } from '../../shared/frames';
import { FLEET_AT_PATH, REPLAY_RANGE_PATH, type ReplayRange } from '../../shared/replay';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';

const VEHICLES = 300;
const HOUR_MS = 3_600_000;
/** Two chunks (a key frame every 10 s) stored, and the client's frames around them. */
const RECORD_TIMEOUT_MS = 40_000;

type Row = [lon: number, lat: number, speed: number, heading: number, flags: number];
type Fleet = Map<string, Row>;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function relay(env: Record<string, string>): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(
    loadConfig({
      PORT: '0',
      SIM_VEHICLES: String(VEHICLES),
      SIM_SEED: 'fleet-at',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      JWT_SECRET: 'fleet-at-test-secret-fleet-at-test-secret',
      ...env,
    }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  return { app, url };
}

/** A live client folding frames as the map does, keeping the fleet after each frame by car. */
function liveClient(app: FastifyInstance, url: string, token: string) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ['websocket'],
    forceNew: true,
    auth: { token },
  });
  cleanups.push(async () => void socket.close());
  const state = new Map<number, Row>();
  const seen = new Map<number, Fleet>();
  let deltasAfterSnapshot = 0;
  socket.on('positions', (data) => {
    const frame = decodePositionFrame(data);
    if (frame.kind === FrameKind.Key) state.clear();
    for (let i = 0; i < frame.count; i++) {
      if ((frame.flags[i]! & VehicleFlag.Gone) !== 0) state.delete(frame.index[i]!);
      else {
        state.set(frame.index[i]!, [
          frame.lon[i]!,
          frame.lat[i]!,
          frame.speed[i]!,
          frame.heading[i]!,
          frame.flags[i]!,
        ]);
      }
    }
    if (frame.kind === FrameKind.Delta) deltasAfterSnapshot++;
    // The snapshot on connect is the fleet between two ticks; from the next broadcast frame on,
    // the client holds exactly what the broadcast chain says.
    if (deltasAfterSnapshot > 0) seen.set(frame.serverTimeMs, byCar(app, state));
  });
  return { seen };
}

function byCar(app: FastifyInstance, rows: Map<number, Row>): Fleet {
  const fleet: Fleet = new Map();
  for (const [index, row] of rows) fleet.set(app.fleet.entry(index)!.carId, row);
  return fleet;
}

async function fleetAt(app: FastifyInstance, token: string, t: number) {
  const response = await app.inject({
    method: 'GET',
    url: `${FLEET_AT_PATH}?t=${t}`,
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.statusCode !== 200) return { status: response.statusCode, body: response.json() };
  const frame = decodePositionFrame(new Uint8Array(response.rawPayload));
  expect(frame.kind).toBe(FrameKind.Key);
  const rows = new Map<number, Row>();
  for (let i = 0; i < frame.count; i++) {
    rows.set(frame.index[i]!, [
      frame.lon[i]!,
      frame.lat[i]!,
      frame.speed[i]!,
      frame.heading[i]!,
      frame.flags[i]!,
    ]);
  }
  return { status: 200, fleet: byCar(app, rows), asOf: Number(response.headers['x-frame-as-of']) };
}

/** Moments the client saw that lie in stored chunks: some deltas, a key frame, in between. */
async function waitForStoredMoments(app: FastifyInstance, seen: Map<number, Fleet>) {
  let moments: number[] = [];
  const deadline = Date.now() + RECORD_TIMEOUT_MS;
  for (;;) {
    const totals = await chunkTotals(app.store.db);
    const range = await chunkRange(app.store.db);
    moments = [...seen.keys()].filter(
      (t) => range.oldestMs !== null && t >= range.oldestMs && t <= range.newestMs!,
    );
    if (totals.chunks >= 2 && moments.length >= 20) break;
    if (Date.now() > deadline)
      throw new Error(`only ${totals.chunks} chunks, ${moments.length} moments`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return moments;
}

function pick(moments: number[]): number[] {
  const step = Math.floor(moments.length / 6);
  return [0, 1, 2, 3, 4, 5].map((k) => moments[k * step]!).concat(moments.at(-1)!);
}

describe('GET /api/fleet/at', () => {
  it('embedded: the fleet a live client had at each moment, and refusals with reasons', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-at-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const { app, url } = await relay({
      SQLITE_PATH: join(dataDir, 'store.sqlite'),
      REPLAY_RETENTION_HOURS: '1',
    });
    const startedMs = Date.now();
    const token = await loginToken(app);
    const { seen } = liveClient(app, url, token);
    const moments = await waitForStoredMoments(app, seen);

    for (const t of pick(moments)) {
      const answer = await fleetAt(app, token, t);
      expect(answer.status, `t=${t}`).toBe(200);
      expect(answer.asOf).toBe(t);
      expect(answer.fleet!.size).toBeGreaterThan(VEHICLES * 0.7);
      expect(answer.fleet, `fleet at ${t}`).toEqual(seen.get(t));
      // Between two frames: the fleet as of the earlier one.
      const between = await fleetAt(app, token, t + 1);
      expect(between.asOf).toBe(t);
    }
    // The newest seconds, not stored yet: from the recording relay's memory.
    const newest = Math.max(...seen.keys());
    const fresh = await fleetAt(app, token, newest);
    expect(fresh.status).toBe(200);
    expect(fresh.fleet).toEqual(seen.get(newest));

    const refusal = async (t: string, status: number, code: string) => {
      const answer = await app.inject({
        method: 'GET',
        url: `${FLEET_AT_PATH}?t=${t}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.statusCode, t).toBe(status);
      expect(answer.json().error.code).toBe(code);
      expect(answer.json().error.message.length).toBeGreaterThan(10);
    };
    await refusal('abc', 400, 'bad_request');
    await refusal('0x10', 400, 'bad_request');
    await refusal(String(Date.now() + 60_000), 400, 'bad_request');
    await refusal(String(Date.now() - 2 * HOUR_MS), 410, 'beyond_retention');
    await refusal(String(startedMs - 60_000), 404, 'not_recorded');
    const anonymous = await app.inject({ method: 'GET', url: `${FLEET_AT_PATH}?t=${newest}` });
    expect(anonymous.statusCode).toBe(401);

    const range = await app.inject({
      method: 'GET',
      url: REPLAY_RANGE_PATH,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = range.json<ReplayRange>();
    expect(body.retentionMs).toBe(HOUR_MS);
    expect(body.oldestMs).toBeLessThanOrEqual(moments[0]!);
    expect(body.newestMs).toBeGreaterThanOrEqual(newest - 1_000);
  }, 90_000);

  it('MariaDB, two relays: the one not recording answers from the recorder’s chunks', async () => {
    const database: TestDatabase = await createTestDatabase('cr_fleet_at');
    cleanups.push(() => database.drop());
    const a = await relay({ DATABASE_URL: database.url, INSTANCE_ID: 'relay-a' });
    await expect.poll(() => a.app.replay.recorder.recording, { timeout: 10_000 }).toBe(true);
    const b = await relay({ DATABASE_URL: database.url, INSTANCE_ID: 'relay-b' });
    expect(b.app.replay.recorder.recording).toBe(false);
    const token = await loginToken(a.app);
    const { seen } = liveClient(a.app, a.url, token);
    const moments = await waitForStoredMoments(a.app, seen);
    for (const t of pick(moments)) {
      const fromB = await fleetAt(b.app, token, t);
      expect(fromB.status, `t=${t}`).toBe(200);
      // Compared by car: relay B numbers the vehicles its own way.
      expect(fromB.fleet, `fleet at ${t}`).toEqual(seen.get(t));
    }
  }, 120_000);
});
