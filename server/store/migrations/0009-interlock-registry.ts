/**
 * The interlock registry (seed 001 §4) as the interlock operations system keeps it, and the
 * relay's calibration follow-up (docs/INTERLOCK-REGISTRY.md):
 * - `registry_operator`, `registry_user`, `registry_device`: the interlock system's tables, named
 *   and shaped after the seed's entities (OPERATOR, USER, DEVICE). In a connected deployment that
 *   system writes them (or views of these names over its own tables) and the relay only reads
 *   them; they are created here only where missing, so the embedded simulator has them to write.
 * - `interlock_calibration_request`: re-calibration requests (재검·교정 요청) the relay opens for a
 *   failed calibration (P-04), one per failure, closed by the next passed calibration.
 * - `interlock_device.status`: the device's status as the registry reports it.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../../../shared/events';
import { dialectHelpers } from '../dialect';

export function interlockRegistryMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('registry_operator')
        .ifNotExists()
        .addColumn('operator_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('company_name', 'varchar(200)', (c) => c.notNull())
        // 대기 | 승인 | 활성 (or pending | approved | active)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('approval_date', d.timestamp)
        .addColumn('contact', 'varchar(64)')
        .addColumn('updated_at', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('registry_user')
        .ifNotExists()
        .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('license_number', 'varchar(32)')
        .addColumn('phone', 'varchar(32)')
        .addColumn('obligation_start', d.timestamp, (c) => c.notNull())
        .addColumn('obligation_end', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('registry_device')
        .ifNotExists()
        .addColumn('device_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('serial_number', 'varchar(64)', (c) => c.notNull())
        .addColumn('model', 'varchar(100)', (c) => c.notNull())
        .addColumn('install_date', d.timestamp, (c) => c.notNull())
        // The seed's last_inspection: the last calibration (검·교정).
        .addColumn('last_inspection', d.timestamp)
        .addColumn('status', 'varchar(32)')
        // Optional: the newest submit_date of the seed's LOG entity for this device, where the
        // interlock system keeps it on the device (else the device log stream moves it).
        .addColumn('last_log_submit_date', d.timestamp)
        // The links the seed's relations imply: USER owns DEVICE, OPERATOR installs it.
        .addColumn('user_id', 'varchar(64)')
        .addColumn('operator_id', 'varchar(64)')
        // Not in the seed's entity, needed to put a device on the map: the car it is fitted to.
        .addColumn('car_plate_number', 'varchar(20)')
        .addColumn('car_id', 'varchar(255)')
        .addColumn('updated_at', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();

      await db.schema
        .createTable('interlock_calibration_request')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        // One request per failed calibration (a redelivered event finds its request).
        .addColumn('failed_event_id', 'varchar(255)', (c) => c.notNull().unique())
        .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('subject_id', 'varchar(64)')
        .addColumn('failed_at', d.timestamp, (c) => c.notNull())
        .addColumn('due_at', d.timestamp, (c) => c.notNull())
        .addColumn('fulfilled_at', d.timestamp)
        .addColumn('fulfilled_event_id', 'varchar(255)')
        .addColumn('created_at', d.timestamp, (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_calibration_request_device')
        .on('interlock_calibration_request')
        .columns(['device_id', 'fulfilled_at'])
        .execute();

      await db.schema.alterTable('interlock_device').addColumn('status', 'varchar(32)').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('interlock_device').dropColumn('status').execute();
      await db.schema.dropTable('interlock_calibration_request').ifExists().execute();
      // The registry tables may be the interlock system's: never dropped by the relay.
    },
  };
}
