/**
 * The one change feed (DESIGN §11) through the whole relay, on SQLite and on a real MariaDB:
 * catch-up by seq across alerts, violations and hand-offs, a full snapshot (flagged) beyond the
 * retention window, and two relays on one database delivering each other's changes. On MariaDB
 * also the ordering rule: a change that commits late (a smaller seq after a larger one) is not
 * skipped, and a rolled-back seq does not hold the feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createConnection } from 'mysql2/promise';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RawMessage } from '../../server/ingest/pipeline';
import { SNAPSHOT_NEWEST_DISPATCHES } from '../../server/tcs/dispatch-service';
import { startTcsMock, type TcsMock } from '../../server/tcs/tcs-mock';
import type { LoginResponse } from '../../shared/auth';
import type { Change, ChangeCatchUp } from '../../shared/changes';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { Dispatch, InterlockMasterData, Violation } from '../../shared/interlock';
import type { Role } from '../../shared/roles';
import { formatKstIso, formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ADMIN_PASSWORD = 'chief-passphrase-for-tests';
const PASSWORD = 'staff-password-for-tests';
const JWT_SECRET = 'integration-test-secret-0123456789abcdef';
const TCS_SECRET = 'tcs-integration-secret-0123';
const DAY = 86_400_000;
const WAIT_MS = 20_000;
const LON = 129.05;
const LAT = 35.15;
const OPERATOR = { username: 'op1', role: 'operator' as const };
const SUPERVISOR = { username: 'sup1', role: 'supervisor' as const };

/** A client as the renderer is one: it keeps the highest seq it saw and everything by entity. */
interface Client {
  socket: RelaySocket;
  catchUp: ChangeCatchUp;
  live: Change[];
  lastSeq: () => number;
}

describe.each(['sqlite', 'mariadb'] as const)('change feed on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let tmp: string | undefined;
  let mock: TcsMock;
  let relayA: FastifyInstance;
  let relayB: FastifyInstance;
  const urls: Record<'a' | 'b', string> = { a: '', b: '' };
  let viewerToken = '';
  let counter = 0;

  const config = () =>
    loadConfig({
      PORT: '0',
      ...(database
        ? { DATABASE_URL: database.url }
        : { SQLITE_PATH: join(tmp!, 'control-room.sqlite') }),
      ADMIN_PASSWORD,
      JWT_SECRET,
      SIM_VEHICLES: '0',
      LOG_LEVEL: 'silent',
      TCS_URL: mock.url,
      TCS_ALLOW_INSECURE_HTTP: 'true',
      TCS_SECRET,
      TCS_RETRY_BASE_MS: '100',
    });

  async function call(
    app: FastifyInstance,
    token: string | null,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
  ) {
    return app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload !== undefined && { payload }),
    });
  }

  async function login(username: string, password: string): Promise<string> {
    const response = await call(relayA, null, 'POST', '/api/auth/login', { username, password });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<LoginResponse>().token;
  }

  function connect(relay: 'a' | 'b', lastSeq?: number): Promise<Client> {
    const socket: RelaySocket = io(urls[relay], {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: lastSeq === undefined ? { token: viewerToken } : { token: viewerToken, lastSeq },
    });
    const live: Change[] = [];
    socket.on('change', (change) => live.push(change));
    return new Promise((resolve, reject) => {
      socket.once('changes', (catchUp) =>
        resolve({
          socket,
          catchUp,
          live,
          lastSeq: () => Math.max(catchUp.seq, ...live.map((c) => c.seq)),
        }),
      );
      socket.once('connect_error', reject);
    });
  }

  async function waitFor<T>(what: string, read: () => Promise<T> | T, done: (v: T) => boolean) {
    const deadline = Date.now() + WAIT_MS;
    let last = await read();
    while (!done(last)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = await read();
    }
    return last;
  }

  /** Major violations (a failed start test each, on a device of its own), oldest first. */
  async function majorViolations(count: number): Promise<Violation[]> {
    const now = Date.now();
    const first = counter + 1;
    counter += count;
    const ns = Array.from({ length: count }, (_, i) => first + i);
    const data: InterlockMasterData = {
      operators: [
        {
          operatorId: 'ILO-CF',
          companyName: '부산인터락서비스',
          status: 'active',
          approvedMs: now - 100 * DAY,
          contact: '051-555-0101',
        },
      ],
      subjects: ns.map((n) => ({
        subjectId: `ILS-CF-${n}`,
        name: '김민수',
        licenceNumber: '12-19-123456-78',
        phone: '010-1234-5678',
        obligationStartMs: now - 30 * DAY,
        obligationEndMs: now + 300 * DAY,
      })),
      devices: ns.map((n) => ({
        deviceId: `ILD-CF-${n}`,
        serialNumber: `CF25-${String(n).padStart(6, '0')}`,
        model: 'BreathSafe K-200',
        installMs: now - 30 * DAY,
        lastCalibrationMs: now - 20 * DAY,
        lastLogSubmittedMs: now - 5 * DAY,
        subjectId: `ILS-CF-${n}`,
        operatorId: 'ILO-CF',
        carId: null,
        plate: `${10 + (n % 80)}가${String(1000 + n).padStart(4, '0')}`,
      })),
    };
    await relayA.interlock.saveMasterData(data, now);
    const rows: RawMessage[] = ns.map((n) => ({
      topic: 'interlock_event',
      partition: null,
      offset: null,
      value: {
        event_id: `CF-E${n}`,
        device_id: `ILD-CF-${n}`,
        event_type: 'start_test',
        result: 'fail',
        bac: '0.081',
        lat: LAT,
        lon: LON,
        occurred_at: formatKstIso(now),
      },
    }));
    await relayA.ingest.ingest(rows, now);
    const violations: Violation[] = [];
    for (const n of ns) {
      const [v] = await relayA.interlock.list({ device: `ILD-CF-${n}`, limit: 1 });
      violations.push(v!);
    }
    return violations;
  }

  async function request(violation: Violation): Promise<Dispatch> {
    const result = await relayA.tcs.request(OPERATOR, violation.id, {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value.dispatch;
  }

  beforeAll(async () => {
    if (dialect === 'mariadb') database = await createTestDatabase('cr_change_feed');
    else tmp = mkdtempSync(join(tmpdir(), 'change-feed-'));
    mock = await startTcsMock({ port: 0, secret: TCS_SECRET });
    relayA = await buildApp(config());
    urls.a = await relayA.listen({ port: 0, host: '127.0.0.1' });
    // A second relay on the same database: it never handles a command here, only delivers.
    relayB = await buildApp(config());
    urls.b = await relayB.listen({ port: 0, host: '127.0.0.1' });
    const admin = await login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['wall1', 'viewer'],
      ['op1', 'operator'],
      ['sup1', 'supervisor'],
    ] as [string, Role][]) {
      const created = await call(relayA, admin, 'POST', '/api/users', {
        username,
        password: PASSWORD,
        role,
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    viewerToken = await login('wall1', PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await relayB?.close();
    await relayA?.close();
    await mock?.close();
    await database?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a wall away while an older hand-off was accepted gets it accepted on reconnect', async () => {
    const [older] = await majorViolations(1);
    const handOff = await request(older!);
    const wall = await connect('a');
    expect(wall.catchUp.full).toBe(true);
    const seen = wall.catchUp.changes.find(
      (c) => c.entity === 'dispatch' && c.record.id === handOff.id,
    );
    expect(seen?.record).toMatchObject({ state: 'requested' });
    await waitFor(
      'the wall to be current',
      () => wall.lastSeq(),
      (s) => s >= relayA.changes.seq,
    );
    const lastSeq = wall.lastSeq();
    wall.socket.close();

    // While the wall is away: more hand-offs than a snapshot's newest list, then the old one is
    // approved and TCS accepts it.
    for (const v of await majorViolations(SNAPSHOT_NEWEST_DISPATCHES)) await request(v);
    const approved = await relayA.tcs.approve(SUPERVISOR, handOff.id, { version: handOff.version });
    expect(approved.ok).toBe(true);
    await waitFor(
      'TCS to accept',
      async () => (await relayA.tcs.get(handOff.id))?.state,
      (s) => s === 'accepted',
    );

    const back = await connect('a', lastSeq);
    expect(back.catchUp.full).toBe(false);
    const dispatch = back.catchUp.changes.find(
      (c) => c.entity === 'dispatch' && c.record.id === handOff.id,
    );
    expect(dispatch?.record).toMatchObject({ state: 'accepted' });
    const violation = back.catchUp.changes.find(
      (c) => c.entity === 'violation' && c.record.id === older!.id,
    );
    expect(violation?.record).toMatchObject({ status: 'dispatched' });
    // Masked for the wall, as every violation it gets.
    expect(violation?.entity === 'violation' && violation.record.subject?.name).toBe('김*수');
    back.socket.close();
  }, 120_000);

  it('catches up across alerts, violations and hand-offs, in seq order', async () => {
    const start = await connect('a');
    await waitFor(
      'the client to be current',
      () => start.lastSeq(),
      (s) => s >= relayA.changes.seq,
    );
    const from = start.lastSeq();
    start.socket.close();

    const [violation] = await majorViolations(1); // a violation and its INTERLOCK alert
    const alert = (await relayA.alerts.get(violation!.alertId!))!;
    const acked = await relayA.alerts.command(SUPERVISOR, 'ack', alert.id, {
      version: alert.version,
    });
    expect(acked.ok).toBe(true);
    const handOff = await request(violation!);

    const back = await connect('a', from);
    const { changes } = back.catchUp;
    expect(back.catchUp.full).toBe(false);
    expect(new Set(changes.map((c) => c.entity))).toEqual(
      new Set(['alert', 'violation', 'dispatch']),
    );
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.every((s) => s > from && s <= back.catchUp.seq)).toBe(true);
    expect(changes).toContainEqual(
      expect.objectContaining({
        entity: 'alert',
        record: expect.objectContaining({ id: alert.id, status: 'acknowledged' }),
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        entity: 'dispatch',
        record: expect.objectContaining({ id: handOff.id }),
      }),
    );
    back.socket.close();
  });

  it('beyond the retention window: a full snapshot, flagged', async () => {
    const start = await connect('a');
    await waitFor(
      'the client to be current',
      () => start.lastSeq(),
      (s) => s >= relayA.changes.seq,
    );
    const from = start.lastSeq();
    start.socket.close();
    await majorViolations(1);
    // The first change the client missed happened two days ago.
    await relayA.store.db
      .updateTable('audit_event')
      .set({ at: formatKstSql(Date.now() - 2 * DAY) })
      .where('id', '=', from + 1)
      .execute();
    const back = await connect('a', from);
    expect(back.catchUp.full).toBe(true);
    expect(back.catchUp.seq).toBeGreaterThan(from);
    // A full snapshot: every unfinished major violation, not only what changed.
    const violations = back.catchUp.changes.filter((c) => c.entity === 'violation');
    expect(violations.length).toBeGreaterThan(1);
    back.socket.close();
  });

  it('two relays on one database: a change made through one reaches a socket of the other', async () => {
    const onB = await connect('b');
    const [violation] = await majorViolations(1);
    const alert = (await relayA.alerts.get(violation!.alertId!))!;
    const acked = await relayA.alerts.command(SUPERVISOR, 'ack', alert.id, {
      version: alert.version,
    });
    expect(acked.ok).toBe(true);
    const seq = acked.ok ? acked.value.seq : 0;
    await waitFor(
      'relay B to deliver relay A’s ack',
      () => onB.live.find((c) => c.seq === seq),
      Boolean,
    );
    const delivered = onB.live.find((c) => c.seq === seq)!;
    expect(delivered).toMatchObject({
      entity: 'alert',
      record: { id: alert.id, status: 'acknowledged' },
    });
    // Every change once, in seq order.
    const seqs = onB.live.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    onB.socket.close();
  });

  it.runIf(dialect === 'mariadb')(
    'never skips a change that commits after a later one, nor waits for a rolled-back one',
    async () => {
      const [violation, other] = await majorViolations(2);
      const alert = (await relayA.alerts.get(violation!.alertId!))!;
      // The late change is of another record: changes of one record in one read go out once.
      const otherAlertId = String(other!.alertId);
      const heard: number[] = [];
      const stop = relayB.changes.onChange((c) => heard.push(c.seq));
      const raw = await createConnection(database!.url);
      try {
        // Another writer takes a seq and holds its transaction open.
        await raw.query('begin');
        const [inserted] = await raw.query(
          `insert into audit_event (at, actor, actor_role, action, entity_type, entity_id)
           values (?, 'system', 'system', 'alert.escalate', 'alert', ?)`,
          [formatKstSql(Date.now()), otherAlertId],
        );
        const lateSeq = (inserted as { insertId: number }).insertId;
        const acked = await relayA.alerts.command(SUPERVISOR, 'ack', alert.id, {
          version: alert.version,
        });
        const ackSeq = acked.ok ? acked.value.seq : 0;
        expect(ackSeq).toBeGreaterThan(lateSeq);
        await relayB.changes.drain();
        expect(relayB.changes.seq).toBe(lateSeq - 1);
        expect(heard).not.toContain(ackSeq);
        await raw.query('commit');
        await waitFor(
          'both changes',
          () => heard,
          (h) => h.includes(ackSeq),
        );
        expect(heard.filter((s) => s === lateSeq || s === ackSeq)).toEqual([lateSeq, ackSeq]);

        // A seq whose transaction rolls back is passed over.
        await raw.query('begin');
        await raw.query(
          `insert into audit_event (at, actor, actor_role, action, entity_type, entity_id)
           values (?, 'system', 'system', 'alert.escalate', 'alert', ?)`,
          [formatKstSql(Date.now()), String(alert.id)],
        );
        const comment = await relayA.alerts.command(OPERATOR, 'comment', alert.id, {
          text: '메모',
        });
        const commentSeq = comment.ok ? comment.value.seq : 0;
        await raw.query('rollback');
        await waitFor(
          'the change after the rolled-back seq',
          () => heard,
          (h) => h.includes(commentSeq),
        );
      } finally {
        stop();
        await raw.end();
      }
    },
  );
});
