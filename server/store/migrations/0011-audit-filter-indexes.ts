/**
 * Indexes for the audit log's filters (issue 19): by action and by time, newest first. The audit
 * table grows with every change and login, and the admin screen pages through it by action and time
 * range; without these each page would scan the table. (Entity and actor have theirs since 0003.)
 */
import type { Kysely, Migration } from 'kysely';

export function auditFilterIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('idx_audit_action')
        .on('audit_event')
        .columns(['action', 'id'])
        .execute();
      await db.schema.createIndex('idx_audit_at').on('audit_event').columns(['at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('idx_audit_at').on('audit_event').execute();
      await db.schema.dropIndex('idx_audit_action').on('audit_event').execute();
    },
  };
}
