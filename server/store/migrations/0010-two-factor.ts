/**
 * Two-factor sign-in (seed 001, note 3): one TOTP enrolment per user and their recovery codes.
 * `secret` is sealed with TOTP_SECRET_KEY (or marked plain without one) and never sent back after
 * enrolment; recovery codes are kept only as hashes, each used once. Times are epoch ms.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../../../shared/events';
import { dialectHelpers } from '../dialect';

/** app_user.username is varchar(64). */
const USERNAME_LENGTH = 64;
/** `v1:` + base64url IV, tag and a sealed 32-character secret: about 100; room to spare. */
const SECRET_LENGTH = 255;
/** `scrypt$N$r$p$salt$hash`. */
const HASH_LENGTH = 255;

export function twoFactorMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('user_totp')
        .ifNotExists()
        .addColumn('username', `varchar(${USERNAME_LENGTH})`, (c) => c.primaryKey())
        .addColumn('secret', `varchar(${SECRET_LENGTH})`, (c) => c.notNull())
        // null while enrolment waits for its first code; then the time it came into force.
        .addColumn('enabled_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // The last time step accepted: a code is never accepted twice.
        .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('user_recovery_code')
        .ifNotExists()
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('username', `varchar(${USERNAME_LENGTH})`, (c) => c.notNull())
        .addColumn('code_hash', `varchar(${HASH_LENGTH})`, (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_recovery_code_user')
        .ifNotExists()
        .on('user_recovery_code')
        .column('username')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('user_recovery_code').ifExists().execute();
      await db.schema.dropTable('user_totp').ifExists().execute();
    },
  };
}
