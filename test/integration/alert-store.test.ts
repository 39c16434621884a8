/**
 * The alert service and its repositories on both dialects: the same create/merge/command/escalate
 * path, audit ids as seqs, and snapshots, on embedded SQLite and on a real MariaDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../server/alerts/alert-service';
import { ChangeFeed } from '../../server/changes/change-feed';
import type { ChangeCatchUp } from '../../shared/changes';
import { DEFAULT_ALERT_POLICY } from '../../server/domain/alert-lifecycle';
import type { Detection } from '../../server/domain/alert-rules';
import { openStore, type Store } from '../../server/store/database';
import { listAudit } from '../../server/store/audit-repository';
import { countUsers, findUser, insertUser, updateUser } from '../../server/store/user-repository';
import { MAX_COMMENTS_PER_ALERT, type Alert } from '../../shared/alerts';
import { formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const MIN = 60_000;
const T = Date.UTC(2025, 11, 9, 5, 30, 0, 123);

const detection = (n: number, over: Partial<Detection> = {}): Detection => ({
  sourceId: `drowsy_drive:D${n}`,
  type: 'DROWSY',
  severity: 'medium',
  atMs: T + n * 1000,
  vehicleKey: 'car:c1',
  carId: 'c1',
  plate: '12가3456',
  position: { lon: 129.05, lat: 35.15 },
  place: {
    dongCode: '2105084',
    dongName: '범천2동',
    districtCode: '21050',
    districtName: '부산진구',
  },
  evidence: { type: 'DROWSY', drowsyId: `D${n}`, sessionId: 'S1', gazeClosure: 7, headDrop: 0 },
  ...over,
});

describe.each(['sqlite', 'mariadb'] as const)('alert store on %s', (dialect) => {
  let store: Store;
  let tmp: string | undefined;
  let mariadb: TestDatabase | undefined;
  let service: AlertService;
  let feed: ChangeFeed;
  let now = T;
  const pushed: Alert[] = [];
  const supervisor = { username: 'sup1', role: 'supervisor' as const };

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      tmp = mkdtempSync(join(tmpdir(), 'alert-store-'));
      store = await openStore({ sqlitePath: join(tmp, 'db.sqlite') });
    } else {
      mariadb = await createTestDatabase('cr_alert_store');
      store = await openStore({ databaseUrl: mariadb.url, sqlitePath: 'unused' });
    }
    feed = new ChangeFeed({ db: store.db, kind: store.kind, now: () => now });
    service = new AlertService({
      db: store.db,
      feed,
      policy: DEFAULT_ALERT_POLICY,
      isAssignable: async (username) => username.startsWith('op'),
      now: () => now,
    });
    await feed.start();
    feed.onChange((change) => {
      if (change.entity === 'alert') pushed.push(change.record);
    });
  });

  afterAll(async () => {
    await feed?.stop();
    await store?.close();
    await mariadb?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('creates, merges and skips redelivered detections, keeping times to the millisecond', async () => {
    const [created] = await service.ingest([detection(1)], now);
    await feed.drain();
    expect(created).toMatchObject({
      id: expect.any(Number),
      version: 1,
      count: 1,
      firstSeenMs: T + 1000,
    });
    const merged = await service.ingest([detection(1), detection(2), detection(3)], now);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      id: created!.id,
      count: 3,
      version: 3,
      lastSeenMs: T + 3000,
    });
    const stored = (await service.get(created!.id))!;
    expect(stored).toEqual(merged[0]);
    expect(stored.districtName).toBe('부산진구');
    await feed.drain();
    // Each change as it left the alert, also the merges of one batch (this relay wrote them).
    expect(pushed.map((a) => a.version)).toEqual([1, 2, 3]);
  });

  it('gives every change an increasing seq equal to its audit id', async () => {
    const alert = (await service.list({ limit: 10 }))[0]!;
    const events = await listAudit(store.db, { entity: `alert:${alert.id}`, limit: 10 });
    expect(events.map((e) => e.action)).toEqual(['alert.merge', 'alert.merge', 'alert.create']);
    expect(alert.seq).toBe(events[0]!.id);
  });

  it('applies commands with version checks and stores comments', async () => {
    const alert = (await service.list({ limit: 10 }))[0]!;
    now = T + MIN;
    const acked = await service.command(supervisor, 'ack', alert.id, { version: alert.version });
    expect(acked).toMatchObject({
      ok: true,
      value: { status: 'acknowledged', acknowledgedAtMs: T + MIN },
    });
    const stale = await service.command(supervisor, 'ack', alert.id, { version: alert.version });
    expect(stale).toMatchObject({ ok: false, error: { status: 409, code: 'stale_version' } });
    await service.command(supervisor, 'comment', alert.id, { text: '첫 메모' });
    await service.command(supervisor, 'comment', alert.id, { text: "'; DROP TABLE alert; --" });
    const stored = (await service.get(alert.id))!;
    expect(stored).not.toHaveProperty('comments');
    expect(stored.commentCount).toBe(2);
    const page = await service.comments(alert.id, { limit: 100 });
    expect(page.ok && page.value.comments.map((c) => [c.alertId, c.by, c.text])).toEqual([
      [alert.id, 'sup1', '첫 메모'],
      [alert.id, 'sup1', "'; DROP TABLE alert; --"],
    ]);
    expect(stored.version).toBe(alert.version + 3);
  });

  it('tells comment listeners before the alert change, and pages comments newest first', async () => {
    const alert = (await service.list({ limit: 10 }))[0]!;
    const heard: string[] = [];
    await feed.drain(); // earlier tests' changes are not this test's
    const stopComments = service.onComment((c) => heard.push(`comment ${c.id} ${c.text}`));
    const stopChanges = feed.onChange((c) => {
      if (c.entity === 'alert' && c.record.id === alert.id) {
        heard.push(`alert ${c.record.commentCount}`);
      }
    });
    const before = alert.commentCount;
    for (let n = 1; n <= 5; n++) {
      await service.command(supervisor, 'comment', alert.id, { text: `쪽 ${n}` });
      await feed.drain();
    }
    stopComments();
    stopChanges();
    expect(heard).toHaveLength(10);
    expect(heard[0]).toMatch(/^comment \d+ 쪽 1$/);
    expect(heard[1]).toBe(`alert ${before + 1}`);

    const newest = await service.comments(alert.id, { limit: 3 });
    expect(newest.ok && newest.value.comments.map((c) => c.text)).toEqual(['쪽 3', '쪽 4', '쪽 5']);
    expect(newest.ok && newest.value.hasOlder).toBe(true);
    const oldestShown = newest.ok ? newest.value.comments[0]!.id : 0;
    const older = await service.comments(alert.id, { limit: 100, before: oldestShown });
    expect(older.ok && older.value.comments.map((c) => c.text).slice(-2)).toEqual(['쪽 1', '쪽 2']);
    expect(older.ok && older.value.hasOlder).toBe(false);
    expect(await service.comments(99_999_999, { limit: 1 })).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });

  it('escalates only unacknowledged alerts past their deadline', async () => {
    now = T + 2 * MIN;
    const [fresh] = await service.ingest(
      [detection(10, { vehicleKey: 'car:c2', carId: 'c2' })],
      now,
    );
    expect(await service.escalateDue(fresh!.deadlineMs - 1)).toEqual([]);
    const escalated = await service.escalateDue(fresh!.deadlineMs);
    expect(escalated.map((a) => a.id)).toEqual([fresh!.id]);
    expect(escalated[0]).toMatchObject({ escalated: true, version: 2 });
  });

  it('refuses a comment beyond the per-alert cap, stored or not', async () => {
    const [alert] = await service.ingest(
      [detection(30, { vehicleKey: 'car:c4', carId: 'c4' })],
      now,
    );
    const filler = Array.from({ length: MAX_COMMENTS_PER_ALERT - 1 }, (_, n) => ({
      alert_id: alert!.id,
      author: 'op1',
      created_at: formatKstSql(now),
      body: `메모 ${n}`,
    }));
    await store.db.insertInto('alert_comment').values(filler).execute();
    const last = await service.command(supervisor, 'comment', alert!.id, { text: '마지막' });
    expect(last).toMatchObject({ ok: true, value: { commentCount: MAX_COMMENTS_PER_ALERT } });
    const over = await service.command(supervisor, 'comment', alert!.id, { text: '하나 더' });
    expect(over).toMatchObject({
      ok: false,
      error: { status: 409, code: 'conflict', message: expect.stringContaining('500') },
    });
    expect((await service.get(alert!.id))!.commentCount).toBe(MAX_COMMENTS_PER_ALERT);
  });

  it('catches up from a seq inside the retention window; a full snapshot (flagged) beyond it', async () => {
    const [third] = await service.ingest(
      [detection(20, { vehicleKey: 'car:c3', carId: 'c3' })],
      now,
    );
    const resolved = await service.command(supervisor, 'resolve', third!.id, {
      version: third!.version,
      resolution: 'duplicate',
    });
    expect(resolved.ok).toBe(true);
    let catchUp: ChangeCatchUp = { full: false, changes: [], seq: 0 };
    const ids = () => catchUp.changes.map((c) => c.entity === 'alert' && c.record.id);
    await feed.catchUp(null, (c) => (catchUp = c));
    expect(catchUp.full).toBe(true);
    expect(ids()).toContain(third!.id);
    const seq = resolved.ok ? resolved.value.seq : 0;
    await feed.catchUp(seq - 1, (c) => (catchUp = c));
    expect(catchUp).toMatchObject({ full: false, seq: feed.seq });
    expect(ids()).toEqual([third!.id]);
    await feed.catchUp(seq, (c) => (catchUp = c));
    expect(catchUp).toEqual({ full: false, changes: [], seq });
    // Two days later the resolution is older than the window: a flagged full snapshot, without it.
    now = T + 3 * 24 * 60 * MIN;
    await feed.catchUp(seq - 1, (c) => (catchUp = c));
    expect(catchUp.full).toBe(true);
    expect(ids()).not.toContain(third!.id);
    expect(catchUp.changes.length).toBeGreaterThan(0);
  });

  it('stores users, refusing duplicates', async () => {
    expect(await countUsers(store.db)).toBe(0);
    const user = { username: 'kim', role: 'operator' as const, passwordHash: 'scrypt$x' };
    expect(await insertUser(store.db, user, T)).toBe(true);
    expect(await insertUser(store.db, user, T)).toBe(false);
    await updateUser(store.db, 'kim', { role: 'supervisor', disabled: true }, T + MIN);
    expect(await findUser(store.db, 'kim')).toMatchObject({
      role: 'supervisor',
      disabled: true,
      createdAtMs: T,
      updatedAtMs: T + MIN,
    });
  });
});
