/**
 * The ignition-interlock tables (seed 001 §4) and the TCS hand-off: installers (operators),
 * obliged drivers (subjects), devices, their event log, violations, hand-offs (dispatches) and
 * every attempt to send one.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectHelpers } from '../dialect';
import type { StoreKind } from '../../../shared/events';

export function interlockTcsMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('interlock_operator')
        .addColumn('operator_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('company_name', 'varchar(200)', (c) => c.notNull())
        // pending | approved | active (대기 → 승인 → 활성)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('approved_at', d.timestamp)
        .addColumn('contact', 'varchar(64)')
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('interlock_subject')
        .addColumn('subject_id', 'varchar(64)', (c) => c.primaryKey())
        // Personal data: never in audit events, masked in every payload unless unmasked.
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('licence_number', 'varchar(32)')
        .addColumn('phone', 'varchar(32)')
        .addColumn('obligation_start', d.timestamp, (c) => c.notNull())
        .addColumn('obligation_end', d.timestamp, (c) => c.notNull())
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('interlock_device')
        .addColumn('device_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('serial_number', 'varchar(64)', (c) => c.notNull())
        .addColumn('model', 'varchar(100)', (c) => c.notNull())
        .addColumn('install_date', d.timestamp, (c) => c.notNull())
        .addColumn('last_calibration_at', d.timestamp)
        .addColumn('last_log_submitted_at', d.timestamp)
        .addColumn('subject_id', 'varchar(64)')
        .addColumn('operator_id', 'varchar(64)')
        .addColumn('car_id', 'varchar(255)')
        .addColumn('plate', 'varchar(20)')
        .addColumn('last_event_at', d.timestamp)
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('interlock_device_event')
        // The topic's event_id: a redelivered event (at-least-once) is stored once.
        .addColumn('event_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('bac', 'double precision')
        .addColumn('result', 'varchar(64)')
        .addColumn('lat', 'double precision')
        .addColumn('lon', 'double precision')
        .addColumn('occurred_at', d.timestamp, (c) => c.notNull())
        .addColumn('received_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_interlock_event_device')
        .on('interlock_device_event')
        .columns(['device_id', 'occurred_at'])
        .execute();

      await db.schema
        .createTable('interlock_violation')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        // `rule:event_id` or `rule:device:since`: the same evidence never makes two violations.
        .addColumn('source_key', 'varchar(300)', (c) => c.notNull().unique())
        .addColumn('rule', 'varchar(32)', (c) => c.notNull())
        .addColumn('grade', 'varchar(8)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('subject_id', 'varchar(64)')
        .addColumn('car_id', 'varchar(255)')
        .addColumn('plate', 'varchar(20)')
        .addColumn('lon', 'double precision')
        .addColumn('lat', 'double precision')
        .addColumn('dong_name', 'varchar(64)')
        .addColumn('district_name', 'varchar(64)')
        .addColumn('bac', 'double precision')
        // JSON array of event ids.
        .addColumn('evidence_event_ids', 'text', (c) => c.notNull())
        .addColumn('alert_id', d.autoIdType)
        .addColumn('occurred_at', d.timestamp, (c) => c.notNull())
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_violation_grade_status')
        .on('interlock_violation')
        .columns(['grade', 'status'])
        .execute();
      await db.schema
        .createIndex('idx_violation_occurred')
        .on('interlock_violation')
        .columns(['occurred_at'])
        .execute();
      await db.schema
        .createIndex('idx_violation_device')
        .on('interlock_violation')
        .columns(['device_id'])
        .execute();

      await db.schema
        .createTable('tcs_dispatch')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        // One hand-off per violation, one key per hand-off.
        .addColumn('violation_id', d.autoIdType, (c) => c.notNull().unique())
        .addColumn('idempotency_key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('state', 'varchar(16)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attempt_limit', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', d.timestamp)
        .addColumn('last_error', 'varchar(1000)')
        .addColumn('last_http_status', 'integer')
        .addColumn('case_number', 'varchar(64)')
        .addColumn('requested_by', 'varchar(64)', (c) => c.notNull())
        .addColumn('requested_at', d.timestamp, (c) => c.notNull())
        .addColumn('request_note', 'text')
        .addColumn('approved_by', 'varchar(64)')
        .addColumn('approved_at', d.timestamp)
        .addColumn('manual_outcome', 'varchar(32)')
        .addColumn('manual_by', 'varchar(64)')
        .addColumn('manual_at', d.timestamp)
        .addColumn('manual_note', 'text')
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      // The worker's question: what is due, oldest first.
      await db.schema
        .createIndex('idx_dispatch_due')
        .on('tcs_dispatch')
        .columns(['state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('tcs_dispatch_attempt')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('dispatch_id', d.autoIdType, (c) => c.notNull())
        .addColumn('attempt_no', 'integer', (c) => c.notNull())
        .addColumn('started_at', d.timestamp, (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
        .addColumn('error', 'varchar(1000)')
        .addColumn('case_number', 'varchar(64)')
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_dispatch_attempt_dispatch')
        .on('tcs_dispatch_attempt')
        .columns(['dispatch_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'tcs_dispatch_attempt',
        'tcs_dispatch',
        'interlock_violation',
        'interlock_device_event',
        'interlock_device',
        'interlock_subject',
        'interlock_operator',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
