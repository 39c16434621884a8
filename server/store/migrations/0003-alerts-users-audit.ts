/**
 * The alert inbox's tables: alerts (with version and change seq), their comments, the detections
 * already counted (so a redelivered row never counts twice), app users, and the audit trail.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectHelpers } from '../dialect';
import type { StoreKind } from '../../../shared/events';

export function alertsUsersAuditMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('app_user')
        .addColumn('username', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        // `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so they can be raised later.
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('disabled', 'smallint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('alert')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('severity', 'varchar(16)', (c) => c.notNull())
        // Sorting "most severe first" in SQL needs a number, not the name.
        .addColumn('severity_rank', 'smallint', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('escalated', 'smallint', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('seq', d.autoIdType, (c) => c.notNull().defaultTo(0))
        .addColumn('merge_count', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('first_seen_at', d.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', d.timestamp, (c) => c.notNull())
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .addColumn('deadline_at', d.timestamp, (c) => c.notNull())
        .addColumn('vehicle_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('car_id', 'varchar(255)')
        .addColumn('plate', 'varchar(20)')
        .addColumn('lon', 'double precision')
        .addColumn('lat', 'double precision')
        .addColumn('dong_code', 'varchar(16)')
        .addColumn('dong_name', 'varchar(64)')
        .addColumn('district_code', 'varchar(8)')
        .addColumn('district_name', 'varchar(64)')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('assignee', 'varchar(64)')
        .addColumn('acknowledged_by', 'varchar(64)')
        .addColumn('acknowledged_at', d.timestamp)
        .addColumn('dispatched_by', 'varchar(64)')
        .addColumn('dispatched_at', d.timestamp)
        .addColumn('resolved_by', 'varchar(64)')
        .addColumn('resolved_at', d.timestamp)
        .addColumn('resolution', 'varchar(16)')
        .addColumn('resolution_note', 'text')
        .modifyEnd(d.tableOptions)
        .execute();
      // The merge lookup: the open alert of a vehicle and type.
      await db.schema
        .createIndex('idx_alert_vehicle')
        .on('alert')
        .columns(['vehicle_key', 'type', 'status'])
        .execute();
      // The inbox: open alerts, and catch-up after a reconnect (changed after seq N).
      await db.schema.createIndex('idx_alert_status').on('alert').columns(['status']).execute();
      await db.schema.createIndex('idx_alert_seq').on('alert').columns(['seq']).execute();
      await db.schema
        .createIndex('idx_alert_escalation')
        .on('alert')
        .columns(['status', 'escalated', 'deadline_at'])
        .execute();

      await db.schema
        .createTable('alert_comment')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('alert_id', d.autoIdType, (c) => c.notNull())
        .addColumn('author', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_alert_comment_alert')
        .on('alert_comment')
        .columns(['alert_id', 'id'])
        .execute();

      await db.schema
        .createTable('alert_source')
        .addColumn('source_id', 'varchar(300)', (c) => c.primaryKey())
        .addColumn('alert_id', d.autoIdType, (c) => c.notNull())
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('audit_event')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('at', d.timestamp, (c) => c.notNull())
        .addColumn('actor', 'varchar(64)', (c) => c.notNull())
        .addColumn('actor_role', 'varchar(16)')
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('entity_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(128)')
        .addColumn('before_json', d.longText)
        .addColumn('after_json', d.longText)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_audit_entity')
        .on('audit_event')
        .columns(['entity_type', 'entity_id'])
        .execute();
      await db.schema.createIndex('idx_audit_actor').on('audit_event').columns(['actor']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['audit_event', 'alert_source', 'alert_comment', 'alert', 'app_user']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
