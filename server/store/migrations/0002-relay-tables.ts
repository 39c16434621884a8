/** The relay's own tables. */
import type { Kysely, Migration } from 'kysely';
import { dialectHelpers } from '../dialect';
import type { StoreKind } from '../../../shared/events';

export function relayTablesMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quarantined_message')
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('topic', 'varchar(255)', (c) => c.notNull())
        .addColumn('partition_no', 'integer')
        .addColumn('offset_no', 'varchar(32)')
        .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
        .addColumn('payload', d.longText)
        .addColumn('received_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      // A redelivered bad message (at-least-once) is quarantined once: Kafka coordinates are its key.
      await db.schema
        .createIndex('uq_quarantine_coordinates')
        .on('quarantined_message')
        .columns(['topic', 'partition_no', 'offset_no'])
        .unique()
        .execute();
      await db.schema
        .createTable('vehicle_plate')
        .addColumn('car_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('car_plate_number', 'varchar(20)', (c) => c.notNull())
        .addColumn('updated_at', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('vehicle_plate').ifExists().execute();
      await db.schema.dropTable('quarantined_message').ifExists().execute();
    },
  };
}
