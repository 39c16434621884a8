/**
 * The differences between the two SQL dialects, kept in one place so repositories and migrations
 * are written once.
 */
import { sql, type ColumnDataType, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { StoreKind } from '../../shared/events';

export interface DialectHelpers {
  kind: StoreKind;
  /** Column type for the seed's ENUM('남','여'). SQLite has no ENUM. */
  sexType: ColumnDataType | Expression<unknown>;
  /** Auto-increment primary key column type. */
  autoIdType: ColumnDataType;
  /** Large text (payloads, base64 images). */
  longText: ColumnDataType | Expression<unknown>;
  /** Text for timestamps: DATETIME(3). */
  timestamp: Expression<unknown>;
  /**
   * Written after every CREATE TABLE. MariaDB: utf8mb4 explicitly, whatever the server's or the
   * database's default (a latin1 default turned the seed's ENUM('남','여') into '?','?' and the
   * start failed). No collation is named, so ours match the upstream's tables on the same server
   * (comparing columns of two collations is an error in a join).
   */
  tableOptions: Expression<unknown>;
}

export function dialectHelpers(kind: StoreKind): DialectHelpers {
  const isMysql = kind === 'mariadb';
  return {
    kind,
    sexType: isMysql ? sql`enum('남','여')` : 'varchar(4)',
    autoIdType: isMysql ? 'bigint' : 'integer',
    longText: isMysql ? sql`longtext` : 'text',
    timestamp: sql`datetime(3)`,
    tableOptions: isMysql ? sql`default character set utf8mb4` : sql``,
  };
}

/** `value` for SQL: the `excluded`/`values()` reference an upsert uses to take the new row. */
export function newValue(kind: StoreKind, column: string): RawBuilder<unknown> {
  return kind === 'mariadb' ? sql`values(${sql.ref(column)})` : sql.ref(`excluded.${column}`);
}

/** Tables the database already has, so migrations can create seed tables only where missing. */
export async function existingTables<DB>(db: Kysely<DB>): Promise<Set<string>> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: false });
  return new Set(tables.map((t) => t.name));
}
