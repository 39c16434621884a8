/** The audit trail: append-only; its ids give the order of every change (an alert's `seq`). */
import type { Kysely, Selectable } from 'kysely';
import type { AuditAction, AuditEntityType, AuditEvent, AuditQuery } from '../../shared/audit';
import type { Role } from '../../shared/roles';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import type { AuditEventTable, Database } from './schema';

export interface AuditRecord {
  atMs: number;
  actor: string;
  actorRole: Role | 'system' | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

const MAX_ACTOR_LENGTH = 64;
const MAX_ENTITY_ID_LENGTH = 128;

/** Appends one event (inside the caller's transaction, when given one); returns its id. */
export async function appendAudit(db: Kysely<Database>, record: AuditRecord): Promise<number> {
  const result = await db
    .insertInto('audit_event')
    .values({
      at: formatKstSql(record.atMs),
      // Failed logins carry what a stranger typed: keep it within the column.
      actor: record.actor.slice(0, MAX_ACTOR_LENGTH),
      actor_role: record.actorRole,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId?.slice(0, MAX_ENTITY_ID_LENGTH) ?? null,
      before_json: record.before === undefined ? null : JSON.stringify(record.before),
      after_json: record.after === undefined ? null : JSON.stringify(record.after),
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditEvent[]> {
  const rows = await filtered(db, query).orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toEvent);
}

/** One page, newest first, and where the next (older) page starts: null when none is left. */
export async function listAuditPage(
  db: Kysely<Database>,
  query: AuditQuery,
): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
  // One row more than asked tells whether an older page exists without counting the table.
  const rows = await filtered(db, query)
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const events = rows.slice(0, query.limit).map(toEvent);
  const more = rows.length > query.limit;
  return { events, nextBefore: more ? (events.at(-1)?.id ?? null) : null };
}

function filtered(db: Kysely<Database>, query: AuditQuery) {
  let select = db.selectFrom('audit_event').selectAll();
  if (query.entity) {
    const [type, ...rest] = query.entity.split(':');
    select = select.where('entity_type', '=', type!);
    if (rest.length > 0) select = select.where('entity_id', '=', rest.join(':'));
  }
  if (query.actor) select = select.where('actor', '=', query.actor);
  if (query.action) select = select.where('action', '=', query.action);
  // `at` is KST DATETIME(3) text of one fixed format, so text order is time order on both stores.
  if (query.from !== undefined) select = select.where('at', '>=', formatKstSql(query.from));
  if (query.to !== undefined) select = select.where('at', '<', formatKstSql(query.to));
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  return select;
}

function toEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: Number(row.id),
    atMs: parseTimestamp(row.at) ?? 0,
    actor: row.actor,
    actorRole: row.actor_role as AuditEvent['actorRole'],
    action: row.action as AuditAction,
    entityType: row.entity_type as AuditEntityType,
    entityId: row.entity_id,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
