/**
 * The relay's own feed-health samples (one a minute per relay instance: the 30-day availability
 * KPI), and an index to find an alert's reads (its plate-photo strip) without scanning every
 * alert source.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectHelpers } from '../dialect';
import type { StoreKind } from '../../../shared/events';

export function feedHealthPhotoReadsMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('feed_health_sample')
        .addColumn('instance', 'varchar(100)', (c) => c.notNull())
        .addColumn('minute_ms', 'bigint', (c) => c.notNull())
        .addColumn('up', 'smallint', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_feed_health_sample', ['instance', 'minute_ms'])
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_alert_source_alert')
        .on('alert_source')
        .column('alert_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      const dropIndex = db.schema.dropIndex('idx_alert_source_alert');
      // MariaDB names the table of an index; SQLite's index names are global.
      await (kind === 'mariadb' ? dropIndex.on('alert_source') : dropIndex).execute();
      await db.schema.dropTable('feed_health_sample').execute();
    },
  };
}
