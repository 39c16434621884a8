/**
 * Indexes that speed up the relay's reads of the upstream's tables. The tables are the upstream's:
 * adding an index to a large production `driving_session_info` copies or locks it, so the relay
 * never does it at start on a table it did not create. An operator runs `npm run upstream-indexes`
 * (scripts/upstream-indexes.ts) in a quiet hour instead; the relay's queries stay bounded without
 * them (row limits and time windows), only slower.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../../shared/events';

export interface UpstreamIndex {
  name: string;
  table: 'driving_session_info' | 'driving_session';
  columns: readonly string[];
  /** What the index buys, for the script's plan and the README. */
  buys: string;
}

export const UPSTREAM_INDEXES: readonly UpstreamIndex[] = [
  {
    name: 'idx_dsi_session_dt',
    table: 'driving_session_info',
    columns: ['session_id', 'dt'],
    buys: "a vehicle's track (GET /api/vehicles/:carId/track) reads only its sessions' rows in the window",
  },
  {
    name: 'idx_dsi_dt',
    table: 'driving_session_info',
    columns: ['dt'],
    buys: 'the start-up snapshot (latest position of each car in the last 10 minutes) reads only those minutes',
  },
  {
    name: 'idx_session_car',
    table: 'driving_session',
    columns: ['car_id'],
    buys: "a vehicle's track finds its sessions without scanning every session",
  },
];

/** The index names each table already has (any definition counts: the upstream may have its own). */
export async function existingIndexNames<DB>(
  db: Kysely<DB>,
  table: string,
  kind: StoreKind,
): Promise<Set<string>> {
  if (kind === 'mariadb') {
    const result = await sql<{
      Key_name: string;
    }>`show index from ${sql.table(table)}`.execute(db);
    return new Set(result.rows.map((r) => r.Key_name));
  }
  const result = await sql<{ name: string }>`pragma index_list(${sql.lit(table)})`.execute(db);
  return new Set(result.rows.map((r) => r.name));
}

/** The DDL that adds one index; on MariaDB online (in place, no lock), so writes go on. */
export function createIndexStatement(index: UpstreamIndex, kind: StoreKind) {
  const columns = sql.join(index.columns.map((c) => sql.ref(c)));
  return kind === 'mariadb'
    ? sql`alter table ${sql.table(index.table)} add index ${sql.ref(index.name)} (${columns}), algorithm=inplace, lock=none`
    : sql`create index if not exists ${sql.ref(index.name)} on ${sql.table(index.table)} (${columns})`;
}

/** Creates the missing ones among `indexes`; returns the names it created. */
export async function createUpstreamIndexes<DB>(
  db: Kysely<DB>,
  kind: StoreKind,
  indexes: readonly UpstreamIndex[] = UPSTREAM_INDEXES,
  onCreate?: (index: UpstreamIndex) => void,
): Promise<string[]> {
  const created: string[] = [];
  for (const index of indexes) {
    const existing = await existingIndexNames(db, index.table, kind);
    if (existing.has(index.name)) continue;
    onCreate?.(index);
    await createIndexStatement(index, kind).execute(db);
    created.push(index.name);
  }
  return created;
}
