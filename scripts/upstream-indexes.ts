/**
 * `npm run upstream-indexes [-- --apply]`: the indexes that speed up the relay's reads of the
 * upstream's `driving_session_info` and `driving_session`. Without `--apply` it prints the plan
 * (which exist, which are missing, what each buys, the DDL); with it, it creates the missing ones
 * — on MariaDB online (ALGORITHM=INPLACE, LOCK=NONE), still a long, I/O-heavy job on a big table:
 * run it in a quiet hour. The relay never does this at start.
 *
 * The database is `DATABASE_URL` (mysql://…), else the embedded SQLite at `SQLITE_PATH`.
 */
import { Kysely, SqliteDialect, type Dialect } from 'kysely';
import { mysqlDialect } from '../server/store/database';
import type { StoreKind } from '../shared/events';
import {
  createIndexStatement,
  createUpstreamIndexes,
  existingIndexNames,
  UPSTREAM_INDEXES,
} from '../server/store/upstream-indexes';

const DEFAULT_SQLITE_PATH = './data/control-room.sqlite';

async function dialectFor(): Promise<{ dialect: Dialect; kind: StoreKind; where: string }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { dialect, kind, location } = await mysqlDialect(url);
    return { dialect, kind, where: location };
  }
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const path = process.env.SQLITE_PATH ?? DEFAULT_SQLITE_PATH;
  return {
    dialect: new SqliteDialect({ database: new SqliteDatabase(path, { fileMustExist: true }) }),
    kind: 'sqlite',
    where: path,
  };
}

async function main(): Promise<void> {
  const apply = process.argv.includes('--apply');
  const { dialect, kind, where } = await dialectFor();
  const db = new Kysely<unknown>({ dialect });
  try {
    console.log(`Upstream indexes on ${where}:`);
    let missing = 0;
    for (const index of UPSTREAM_INDEXES) {
      const exists = (await existingIndexNames(db, index.table, kind)).has(index.name);
      if (!exists) missing += 1;
      console.log(
        `  ${exists ? 'present' : 'MISSING'}  ${index.name} on ${index.table} (${index.columns.join(', ')})`,
      );
      console.log(`           buys: ${index.buys}`);
      if (!exists)
        console.log(`           ddl:  ${createIndexStatement(index, kind).compile(db).sql}`);
    }
    if (missing === 0) {
      console.log('Nothing to do.');
      return;
    }
    if (!apply) {
      console.log(`${missing} missing. Run again with --apply to create them (in a quiet hour).`);
      return;
    }
    const created = await createUpstreamIndexes(db, kind, UPSTREAM_INDEXES, (index) => {
      console.log(`Creating ${index.name} on ${index.table} …`);
    });
    console.log(`Created ${created.length}: ${created.join(', ')}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`upstream-indexes: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
