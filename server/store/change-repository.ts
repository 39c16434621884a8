/**
 * The change feed's reads of the audit log (server/changes/change-feed.ts): the audit event id is
 * every change's global seq, so "what changed after seq N" is a range scan of the primary key.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../../shared/events';
import { parseTimestamp } from '../../shared/time';
import type { ChangeEvent, SeqGap } from '../domain/change-sequence';
import type { Database } from './schema';

/** Ids per `in (…)` list. */
const IN_CHUNK = 500;
/** MariaDB's answer to a NOWAIT read of a row another transaction holds (not yet committed). */
const LOCK_WAIT_ERRNO = 1205;

export interface AuditChangeEvent extends ChangeEvent {
  action: string;
}

/** The newest audit event's id (0 for an empty log). */
export async function headSeq(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('id').as('head'))
    .executeTakeFirst();
  return row?.head === null || row?.head === undefined ? 0 : Number(row.head);
}

/** Audit events after `afterSeq`, oldest first (only what the feed needs of each). */
export async function readEventsAfter(
  db: Kysely<Database>,
  afterSeq: number,
  limit: number,
): Promise<AuditChangeEvent[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'entity_type', 'entity_id', 'action'])
    .where('id', '>', afterSeq)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.id),
    entity: r.entity_type,
    entityId: r.entity_id ?? '',
    action: r.action,
  }));
}

/**
 * Whether the ids of a gap belong to a transaction still running, were committed since the read
 * that saw the gap, or are empty for good (rolled back). MariaDB: a NOWAIT locking read of a row
 * another transaction inserted and has not committed fails at once instead of waiting. SQLite has
 * one writer at a time, so an id it does not show is never still running.
 */
export async function probeGap(
  db: Kysely<Database>,
  kind: StoreKind,
  gap: SeqGap,
): Promise<'running' | 'committed' | 'empty'> {
  if (kind === 'sqlite') {
    const row = await db
      .selectFrom('audit_event')
      .select('id')
      .where('id', '>=', gap.from)
      .where('id', '<=', gap.to)
      .limit(1)
      .executeTakeFirst();
    return row ? 'committed' : 'empty';
  }
  try {
    const result = await sql<{ id: unknown }>`
      select id from audit_event where id between ${gap.from} and ${gap.to}
      lock in share mode nowait`.execute(db);
    return result.rows.length > 0 ? 'committed' : 'empty';
  } catch (error) {
    if ((error as { errno?: unknown }).errno === LOCK_WAIT_ERRNO) return 'running';
    throw error;
  }
}

/** The first audit event after `afterSeq` (its seq and time), or null when there is none. */
export async function firstEventAfter(
  db: Kysely<Database>,
  afterSeq: number,
): Promise<{ seq: number; atMs: number } | null> {
  const row = await db
    .selectFrom('audit_event')
    .select(['id', 'at'])
    .where('id', '>', afterSeq)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.id), atMs: parseTimestamp(row.at) ?? 0 } : null;
}

/**
 * Each record of `entities` changed in (afterSeq, upTo], with the seq of its last change there,
 * oldest first. `ignoredActions` are audit events that record a read, not a change.
 */
export async function changedRecordsBetween(
  db: Kysely<Database>,
  afterSeq: number,
  upTo: number,
  entities: readonly string[],
  ignoredActions: readonly string[],
): Promise<ChangeEvent[]> {
  if (entities.length === 0 || upTo <= afterSeq) return [];
  let select = db
    .selectFrom('audit_event')
    .select(['entity_type', 'entity_id', (eb) => eb.fn.max('id').as('seq')])
    .where('id', '>', afterSeq)
    .where('id', '<=', upTo)
    .where('entity_type', 'in', entities)
    .where('entity_id', 'is not', null);
  if (ignoredActions.length > 0) select = select.where('action', 'not in', ignoredActions);
  const rows = await select.groupBy(['entity_type', 'entity_id']).execute();
  return rows
    .map((r) => ({ seq: Number(r.seq), entity: r.entity_type, entityId: r.entity_id ?? '' }))
    .sort((a, b) => a.seq - b.seq);
}

/** The seq of each record's last audit event up to `upTo` (records without one are left out). */
export async function lastSeqOfRecords(
  db: Kysely<Database>,
  entity: string,
  entityIds: readonly string[],
  upTo: number,
): Promise<Map<string, number>> {
  const seqs = new Map<string, number>();
  for (let i = 0; i < entityIds.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom('audit_event')
      .select(['entity_id', (eb) => eb.fn.max('id').as('seq')])
      .where('entity_type', '=', entity)
      .where('entity_id', 'in', entityIds.slice(i, i + IN_CHUNK))
      .where('id', '<=', upTo)
      .groupBy('entity_id')
      .execute();
    for (const r of rows) if (r.entity_id !== null) seqs.set(r.entity_id, Number(r.seq));
  }
  return seqs;
}
