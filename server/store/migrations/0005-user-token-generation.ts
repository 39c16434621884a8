/**
 * A token generation per user: session tokens carry the generation they were issued under, and a
 * password change moves it on, so every session opened with the old password ends at once.
 */
import type { Kysely, Migration } from 'kysely';

export function userTokenGenerationMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('app_user')
        .addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('app_user').dropColumn('token_generation').execute();
    },
  };
}
