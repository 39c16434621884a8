/**
 * Issue 14, defect 1: one operator flooding `alert:comment` over one socket (3,000 comments of
 * 1,500 characters, as fast as the client can send them) once took the relay's heap to its limit
 * within 10 s. The real relay runs as a child process on a fresh MariaDB database (so the test can
 * put an alert there directly); the relay must stay up and answer /healthz, its RSS stays bounded,
 * most commands are refused as `rate_limited` on a socket that stays connected, a command after
 * the window succeeds, and the alert never holds more comments than the cap.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../server/alerts/alert-service';
import { ChangeFeed } from '../../server/changes/change-feed';
import { DEFAULT_ALERT_POLICY } from '../../server/domain/alert-lifecycle';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../server/limits/command-limiter';
import { openStore, type Store } from '../../server/store/database';
import {
  MAX_COMMENTS_PER_ALERT,
  type Alert,
  type AlertCommandResult,
  type AlertResponse,
} from '../../shared/alerts';
import type { LoginResponse } from '../../shared/auth';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import { TEST_ADMIN_PASSWORD } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';
import { startRelay, type RelayProcess } from '../support/relay-process';

const FLOOD_COMMENTS = 3000;
const COMMENT_CHARS = 1500;
/** A handful of simulated cars: the relay is doing little else while it is flooded. */
const SIM_VEHICLES = '50';
const OPERATOR = 'flood.op';
const OPERATOR_PASSWORD = 'Haeundae-night-shift-2025';
/** Every command gets an answer well within this, accepted or refused. */
const ACK_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 200;
const MB = 1024 * 1024;
/**
 * The relay's RSS may grow by at most this much over its size before the flood. Unlimited, the
 * flood took it past its 1 GB heap cap; the whole flood is 4.5 MB of text.
 */
const RSS_GROWTH_BOUND_BYTES = 150 * MB;
/** At most this share of the flood may be accepted (a burst, then a few a second). */
const MAX_ACCEPTED_SHARE = 0.1;
/** How long the test waits for the rate window to let a command through again. */
const RECOVERY_TIMEOUT_MS = 15_000;
const RECOVERY_POLL_MS = 500;
/** More REST commands at once than one user's rate and burst allow. */
const REST_BURST = 60;
/** The flood, its answers and the recovery; unlimited, the answers alone took minutes. */
const TEST_TIMEOUT_MS = 120_000;

type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let database: TestDatabase;
let relay: RelayProcess;
let store: Store;
let operatorToken: string;
let alert: Alert;

async function post<T>(path: string, body: object, token?: string): Promise<T> {
  const response = await fetch(new URL(path, relay.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The relay's resident set size from its own /metrics (prom-client's process metrics). */
async function relayRssBytes(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', relay.url))).text();
  const match = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!match) throw new Error('no process_resident_memory_bytes in /metrics');
  return Number(match[1]);
}

function connect(token: string): Promise<RelaySocket> {
  const socket: RelaySocket = io(relay.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  return new Promise((resolve, reject) => {
    // The snapshot comes after the command handlers are installed.
    socket.once('changes', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const comment = (socket: RelaySocket, text: string): Promise<AlertCommandResult> =>
  socket.timeout(ACK_TIMEOUT_MS).emitWithAck('alert:comment', { id: alert.id, text });

beforeAll(async () => {
  database = await createTestDatabase('cr_flood');
  relay = await startRelay({ DATABASE_URL: database.url, SIM_VEHICLES });
  const admin = await post<LoginResponse>('/api/auth/login', {
    username: 'admin',
    password: TEST_ADMIN_PASSWORD,
  });
  await post(
    '/api/users',
    { username: OPERATOR, password: OPERATOR_PASSWORD, role: 'operator' },
    admin.token,
  );
  operatorToken = (
    await post<LoginResponse>('/api/auth/login', {
      username: OPERATOR,
      password: OPERATOR_PASSWORD,
    })
  ).token;
  // The alert is written straight into the relay's database: the simulator raises one only every
  // few minutes at this fleet size, and commands read the alert from the store.
  store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
  // Another writer on the relay's database, as a second relay would be: its change reaches the
  // relay through the store.
  const service = new AlertService({
    db: store.db,
    feed: new ChangeFeed({ db: store.db, kind: store.kind }),
    policy: DEFAULT_ALERT_POLICY,
    isAssignable: async () => false,
  });
  const now = Date.now();
  [alert] = (await service.ingest(
    [
      {
        sourceId: 'drowsy_drive:flood-1',
        type: 'DROWSY',
        severity: 'medium',
        atMs: now,
        vehicleKey: 'car:flood-car',
        carId: 'flood-car',
        plate: '12가3456',
        position: { lon: 129.05, lat: 35.15 },
        place: null,
        evidence: {
          type: 'DROWSY',
          drowsyId: 'flood-1',
          sessionId: 'flood-session',
          gazeClosure: 5,
          headDrop: 1,
        },
      },
    ],
    now,
  )) as [Alert];
});

afterAll(async () => {
  await relay?.stop();
  await store?.close();
  await database?.drop();
});

describe('a comment flood from one operator', () => {
  it(
    'is refused as rate_limited while the relay stays up, bounded and connected',
    async () => {
      const socket = await connect(operatorToken);
      try {
        const rssBefore = await relayRssBytes();
        let rssPeak = rssBefore;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            rssPeak = Math.max(rssPeak, await relayRssBytes());
            await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
          }
        })();

        const text = '가'.repeat(COMMENT_CHARS);
        const startedMs = Date.now();
        const results = await Promise.allSettled(
          Array.from({ length: FLOOD_COMMENTS }, () => comment(socket, text)),
        );
        const floodMs = Date.now() - startedMs;
        sampling = false;
        await sampler;

        const answers = results.map((r) =>
          r.status === 'fulfilled' ? r.value : { ok: false as const, error: String(r.reason) },
        );
        const accepted = answers.filter((a) => a.ok).length;
        const limited = answers.filter(
          (a) => !a.ok && typeof a.error === 'object' && a.error.code === 'rate_limited',
        );
        const other = answers.filter((a) => !a.ok && !limited.includes(a));
        console.info(
          `comment flood: ${FLOOD_COMMENTS} sent in ${floodMs} ms, ${accepted} accepted, ` +
            `${limited.length} rate_limited, ${other.length} other; relay RSS ` +
            `${(rssBefore / MB).toFixed(0)} → peak ${(rssPeak / MB).toFixed(0)} MB`,
        );

        // Every command is answered: accepted, or refused with the clear error.
        expect(other.slice(0, 3)).toEqual([]);
        expect(limited.length).toBeGreaterThan(FLOOD_COMMENTS * (1 - MAX_ACCEPTED_SHARE));
        expect(limited[0]).toMatchObject({
          ok: false,
          error: { status: 429, code: 'rate_limited', message: expect.any(String) },
        });
        // The acknowledgement carries the alert, not its comment history.
        const firstAccepted = answers.find((a) => a.ok);
        expect(firstAccepted).toBeDefined();
        expect(firstAccepted).not.toHaveProperty('alert.comments');

        expect(rssPeak - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
        expect((await fetch(new URL('/healthz', relay.url))).status).toBe(200);
        expect(socket.connected).toBe(true);

        // After the window the same socket is served again.
        await expect
          .poll(async () => (await comment(socket, '흐름 정상화 확인')).ok, {
            timeout: RECOVERY_TIMEOUT_MS,
            interval: RECOVERY_POLL_MS,
          })
          .toBe(true);

        // The same user over REST, many at once: the user's limit spans sockets and REST; the
        // refusals are 429 with Retry-After and the relay's error body.
        const restAnswers = await Promise.all(
          Array.from({ length: REST_BURST }, () =>
            fetch(new URL(`/api/alerts/${alert.id}/comment`, relay.url), {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${operatorToken}`,
              },
              body: JSON.stringify({ text: 'REST 메모' }),
            }),
          ),
        );
        const restLimited = restAnswers.filter((r) => r.status === 429);
        expect(restLimited.length).toBeGreaterThan(0);
        expect(restAnswers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
        expect(Number(restLimited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await restLimited[0]!.json()).toMatchObject({ error: { code: 'rate_limited' } });
        const restAccepted = restAnswers.length - restLimited.length;

        const stored = await fetch(new URL(`/api/alerts/${alert.id}`, relay.url), {
          headers: { authorization: `Bearer ${operatorToken}` },
        });
        const { alert: after } = (await stored.json()) as AlertResponse;
        expect(after.commentCount).toBeGreaterThan(0);
        expect(after.commentCount).toBeLessThanOrEqual(MAX_COMMENTS_PER_ALERT);
        expect(after.commentCount).toBeLessThanOrEqual(accepted + 1 + restAccepted);
      } finally {
        socket.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it('limits the interlock commands too: a burst of hand-off requests gets 429, not a queue', async () => {
    // No such violation: an admitted request answers 404, a refused one 429 before any lookup.
    const answers = await Promise.all(
      Array.from({ length: REST_BURST }, () =>
        fetch(new URL('/api/violations/999999/dispatch', relay.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
          body: JSON.stringify({ note: '이관 요청' }),
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(
      statuses.every((s) => s === 404 || s === 429),
      statuses.join(),
    ).toBe(true);
  });

  it('closes a socket that sends one message over the size cap, before parsing it', async () => {
    const socket = await connect(operatorToken);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const oversized = { id: alert.id, text: 'x'.repeat(MAX_SOCKET_MESSAGE_BYTES) };
    socket.emit('alert:comment', oversized, () => {
      throw new Error('an oversized command must not be answered');
    });
    expect(await closed).toMatch(/transport (close|error)/);
    expect((await fetch(new URL('/healthz', relay.url))).status).toBe(200);
    // The operator's next connection works as before.
    const again = await connect(operatorToken);
    expect(again.connected).toBe(true);
    again.close();
  });
});
