/**
 * Opens the store the configuration selects — MariaDB through a pool, or embedded SQLite — behind
 * one Kysely instance, and brings its schema up to date.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, MysqlDialect, SqliteDialect, type Dialect } from 'kysely';
import type { StoreKind } from '../../shared/events';
import type { DatabaseSsl } from '../transport-security';
import type { Database } from './schema';
import { migrationProvider } from './migrations/index';

export interface Store {
  db: Kysely<Database>;
  kind: StoreKind;
  /** Human-readable location without credentials, for logs and health. */
  location: string;
  /** Whether the link to the database is TLS (MariaDB with DATABASE_CA_FILE or `?ssl=true`). */
  tls: boolean;
  close(): Promise<void>;
}

const MYSQL_POOL_SIZE = 10;

export async function openStore(options: {
  databaseUrl?: string | undefined;
  sqlitePath: string;
  /** TLS options for MariaDB (server/transport-security.ts); undefined: plaintext. */
  databaseSsl?: DatabaseSsl | undefined;
}): Promise<Store> {
  const { dialect, kind, location } = options.databaseUrl
    ? await mysqlDialect(options.databaseUrl, options.databaseSsl)
    : await sqliteDialect(options.sqlitePath);
  const db = new Kysely<Database>({ dialect });
  try {
    await migrate(db, kind);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const tls = kind === 'mariadb' && options.databaseSsl !== undefined;
  return { db, kind, location, tls, close: () => db.destroy() };
}

export async function migrate(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kind) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${cause}`.replace('  ', ' '),
    );
  }
}

async function sqliteDialect(
  path: string,
): Promise<{ dialect: Dialect; kind: StoreKind; location: string }> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets history reads run while the ingest path writes; NORMAL is durable across app crashes.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database }), kind: 'sqlite', location: file };
}

/** A MariaDB dialect on a pool for `url` (also for scripts that must not migrate). */
export async function mysqlDialect(
  url: string,
  ssl?: DatabaseSsl,
): Promise<{ dialect: Dialect; kind: StoreKind; location: string }> {
  const { createPool } = await import('mysql2');
  const parsed = new URL(url);
  const pool = createPool({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
    connectionLimit: MYSQL_POOL_SIZE,
    charset: 'utf8mb4',
    // Timestamps are KST wall-clock text in both dialects; never let the driver shift them.
    dateStrings: true,
    timezone: '+09:00',
    supportBigNumbers: true,
    bigNumberStrings: true,
    ...(ssl !== undefined && { ssl }),
  });
  const location = `mariadb://${parsed.hostname}:${parsed.port || 3306}${parsed.pathname}`;
  return { dialect: new MysqlDialect({ pool }), kind: 'mariadb', location };
}
