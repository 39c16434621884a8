/**
 * Leases for work that must run on exactly one of many relays (DESIGN §12): the TCS worker, the
 * escalation and overdue sweeps, retention. One row per kind of work; a relay holds it while
 * `expires_at` (epoch ms of the database's clock) is in the future and renews it before then.
 * Created in both dialects; the embedded relay (SQLite, always alone) never reads it.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../../../shared/events';
import { dialectHelpers } from '../dialect';

/** A relay's INSTANCE_ID is at most 100 characters (server/config.ts); room to spare. */
const HOLDER_LENGTH = 200;
const NAME_LENGTH = 64;

export function relayLeaseMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('relay_lease')
        .ifNotExists()
        .addColumn('name', `varchar(${NAME_LENGTH})`, (c) => c.primaryKey())
        .addColumn('holder', `varchar(${HOLDER_LENGTH})`, (c) => c.notNull().defaultTo(''))
        .addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .modifyEnd(d.tableOptions)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('relay_lease').ifExists().execute();
    },
  };
}
