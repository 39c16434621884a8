/**
 * QA scenarios through the whole embedded relay (simulator + SQLite), in process:
 * - determinism: two relays started with one seed and one SIM_SCENARIO file raise the same alerts
 *   (type, plate, place, severity) at the same offsets from their start;
 * - the run-time endpoint: admins only (403 for others), a bad scenario is 400 with the reason, a
 *   load is audited; a feed stall makes /healthz degraded for its window and no longer;
 * - a TCS outage switches the TCS stand-in (`npm run tcs-mock`) to fail and back to accept;
 * - a missing or invalid SIM_SCENARIO stops the start with one line naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { ConfigError, loadConfig } from '../../server/config';
import { startTcsMock } from '../../server/tcs/tcs-mock';
import type { Alert, AlertListResponse } from '../../shared/alerts';
import type { AuditEvent } from '../../shared/audit';
import type { ScenarioStatusResponse } from '../../shared/scenarios';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';

const ROOT = resolve(import.meta.dirname, '../..');
const WAIT_MS = 30_000;
const POLL_MS = 100;
const START_TIMEOUT_MS = 90_000;
const TCS_SECRET = 'scenario-test-tcs-secret-0123';
const QUIET = { drowsy: false, arrears: false, missingPerson: false, interlock: false };

const SCENARIO = {
  version: 1,
  name: 'integration-determinism',
  randomEvents: QUIET,
  events: [
    { at: 1, type: 'arrears_hit', plate: '12가3456', place: { district: '해운대구' } },
    { at: 1.5, type: 'drowsy', place: { dong: '부전1동' } },
    { at: 2, type: 'missing_person_hit', place: { lon: 129.075, lat: 35.18 } },
    { at: 2.5, type: 'interlock_violation', rule: 'alcohol_start', place: { dong: '좌1동' } },
  ],
};

let dir: string;
const relays: FastifyInstance[] = [];

async function waitFor<T>(read: () => Promise<T | null | undefined | false>, what: string) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

async function startRelay(name: string, env: Record<string, string> = {}) {
  const app = await buildApp(
    loadConfig({
      PORT: '0',
      SQLITE_PATH: join(dir, `${name}.sqlite`),
      SIM_VEHICLES: '40',
      SIM_SEED: 'scenario-integration',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100',
      ...env,
    }),
  );
  await app.ready();
  relays.push(app);
  return app;
}

async function get<T>(app: FastifyInstance, token: string, url: string): Promise<T> {
  const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

/** What a tester compares between runs: each alert relative to the scenario's start. */
async function alertsRelative(app: FastifyInstance) {
  const token = await loginToken(app);
  const status = await waitFor(async () => {
    const s = await get<ScenarioStatusResponse>(app, token, '/api/sim/scenario');
    return s.scenario && s.scenario.fired.length === SCENARIO.events.length ? s.scenario : null;
  }, 'every scenario event to fire');
  const alerts = await waitFor(async () => {
    const list = (await get<AlertListResponse>(app, token, '/api/alerts')).alerts;
    return list.length >= SCENARIO.events.length ? list : null;
  }, 'an alert for every event');
  return alerts
    .map((a: Alert) => ({
      type: a.type,
      severity: a.severity,
      plate: a.plate,
      dong: a.dongName,
      district: a.districtName,
      offsetMs: a.firstSeenMs - status.startedAtMs,
    }))
    .sort((a, b) => a.offsetMs - b.offsetMs || a.type.localeCompare(b.type));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scenario-relay-'));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(SCENARIO));
});

afterAll(async () => {
  for (const app of relays) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('QA scenarios in the embedded relay', () => {
  it('two runs of one seed and SIM_SCENARIO: the same alerts at the same offsets', async () => {
    const runs = [];
    for (const name of ['first', 'second']) {
      const app = await startRelay(name, { SIM_SCENARIO: join(dir, 'scenario.json') });
      runs.push(await alertsRelative(app));
      await app.close();
    }
    const [first, second] = runs;
    expect(first!.map((a) => [a.type, a.offsetMs])).toEqual([
      ['ARREARS_HIT', 1000],
      ['DROWSY', 1500],
      ['MISSING_PERSON_HIT', 2000],
      ['INTERLOCK', 2500],
    ]);
    expect(first!.find((a) => a.type === 'ARREARS_HIT')).toMatchObject({
      plate: '12가3456',
      district: '해운대구',
    });
    expect(first!.find((a) => a.type === 'DROWSY')?.dong).toBe('부전1동');
    expect(first!.find((a) => a.type === 'INTERLOCK')?.dong).toBe('좌1동');
    expect(second).toEqual(first);
  }, 120_000);

  it('admins load a scenario at run time (audited); others get 403, a bad one 400 with the reason', async () => {
    const app = await startRelay('runtime', { FEED_STALE_SECONDS: '2' });
    const admin = await loginToken(app);
    await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${admin}` },
      payload: { username: 'sv.qa', password: 'scenario-sv-passphrase', role: 'supervisor' },
    });
    const supervisor = await loginToken(app, 'sv.qa', 'scenario-sv-passphrase');
    const post = (token: string, payload: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/sim/scenario',
        headers: { authorization: `Bearer ${token}` },
        payload: payload as object,
      });

    expect((await post(supervisor, SCENARIO)).statusCode).toBe(403);
    const bad = await post(admin, {
      ...SCENARIO,
      events: [{ at: 1, type: 'drowsy', place: { dong: '없는동' } }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(
      /^events\.0\.place: no neighbourhood \(동\) named "없는동"/,
    );
    const outage = await post(admin, {
      ...SCENARIO,
      events: [{ at: 1, type: 'tcs_outage', durationS: 5 }],
    });
    expect(outage.statusCode).toBe(409);
    expect(outage.json<{ error: { message: string } }>().error.message).toMatch(/TCS_URL/);

    // The feed is live, then stalls for 4 s from 1 s after the load, then is live again.
    await waitFor(
      async () => (await app.inject('/healthz')).json<{ status: string }>().status === 'ok',
      'a live feed',
    );
    const stall = {
      version: 1,
      name: 'stall',
      randomEvents: QUIET,
      events: [{ at: 1, type: 'feed_stall', durationS: 4 }],
    };
    const loaded = await post(admin, stall);
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json<ScenarioStatusResponse>().scenario).toMatchObject({
      name: 'stall',
      events: 1,
    });
    await waitFor(
      async () => (await app.inject('/healthz')).json<{ status: string }>().status === 'degraded',
      'the stall to show',
    );
    await waitFor(
      async () => (await app.inject('/healthz')).json<{ status: string }>().status === 'ok',
      'the feed to come back',
    );
    const status = await get<ScenarioStatusResponse>(app, admin, '/api/sim/scenario');
    expect(status.scenario?.feedStalled).toBe(false);
    expect(status.scenario?.fired.map((f) => f.type)).toEqual(['feed_stall']);

    const audit = await get<{ events: AuditEvent[] }>(app, admin, '/api/audit?entity=scenario');
    expect(audit.events.map((e) => [e.action, e.actor, e.entityId])).toEqual([
      ['scenario.load', 'admin', 'stall'],
    ]);
  }, 90_000);

  it('a TCS outage switches the stand-in to fail for its window, then back to accept', async () => {
    const mock = await startTcsMock({ port: 0, secret: TCS_SECRET });
    try {
      const app = await startRelay('tcs', {
        TCS_URL: mock.url,
        TCS_SECRET,
        // The stand-in speaks plain HTTP on loopback.
        TCS_ALLOW_INSECURE_HTTP: 'true',
      });
      const admin = await loginToken(app);
      const response = await app.inject({
        method: 'POST',
        url: '/api/sim/scenario',
        headers: { authorization: `Bearer ${admin}` },
        payload: {
          version: 1,
          name: 'tcs-down',
          events: [{ at: 0.5, type: 'tcs_outage', durationS: 3 }],
        },
      });
      expect(response.statusCode).toBe(200);
      await waitFor(async () => mock.mode().mode === 'fail', 'the stand-in to fail');
      await waitFor(async () => mock.mode().mode === 'accept', 'the stand-in to accept again');
    } finally {
      await mock.close();
    }
  }, 60_000);
});

describe('SIM_SCENARIO at start', () => {
  it(
    'a missing or invalid file stops the start with one line naming SIM_SCENARIO',
    () => {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...SCENARIO, version: 7 }));
      for (const [file, reason] of [
        [join(dir, 'nope.json'), 'file not found'],
        [join(dir, 'bad.json'), 'version: must be 1'],
      ] as const) {
        const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', SIM_SCENARIO: file, PORT: '0' },
          encoding: 'utf8',
          // Loading the relay's modules through tsx takes long on a busy 2-core machine.
          timeout: START_TIMEOUT_MS,
        });
        expect(result.status).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^Invalid configuration: SIM_SCENARIO /);
        expect(lines[0]).toContain(reason);
      }
    },
    2 * START_TIMEOUT_MS + 10_000,
  );

  it('is refused with Kafka, and a tcs_outage without TCS_URL', () => {
    const withOutage = join(dir, 'outage.json');
    writeFileSync(
      withOutage,
      JSON.stringify({ ...SCENARIO, events: [{ at: 1, type: 'tcs_outage', durationS: 5 }] }),
    );
    const fail = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return error instanceof ConfigError ? `${error.variable}: ${error.reason}` : String(error);
      }
      return 'accepted';
    };
    expect(
      fail({ SIM_SCENARIO: join(dir, 'scenario.json'), KAFKA_BROKERS: '127.0.0.1:9092' }),
    ).toMatch(/^SIM_SCENARIO: plays only with the simulator/);
    expect(fail({ SIM_SCENARIO: withOutage })).toMatch(
      /^SIM_SCENARIO: has a tcs_outage but TCS_URL/,
    );
  });
});
