/**
 * The upstream's seed tables (seed 000 §7), created only where missing: `if not exists` never
 * touches a connected deployment's existing tables or rows. Indexes go only on the tables this
 * migration created; an upstream's existing tables get them from `npm run upstream-indexes`.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectHelpers, existingTables } from '../dialect';
import { createUpstreamIndexes, UPSTREAM_INDEXES } from '../upstream-indexes';
import type { StoreKind } from '../../../shared/events';

export function seedTablesMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  return {
    async up(db: Kysely<unknown>) {
      const upstreamTables = await existingTables(db);
      await db.schema
        .createTable('uservehicle')
        .ifNotExists()
        .addColumn('car_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('age', 'integer')
        .addColumn('user_sex', d.sexType)
        .addColumn('user_car_brand', 'varchar(255)')
        .addColumn('updated_at', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('driving_session')
        .ifNotExists()
        .addColumn('session_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('car_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('start_time', d.timestamp, (c) => c.notNull())
        .addColumn('end_time', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('driving_session_info')
        .ifNotExists()
        .addColumn('info_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('session_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('app_lat', 'double precision', (c) => c.notNull())
        .addColumn('app_lon', 'double precision', (c) => c.notNull())
        .addColumn('speed', 'real')
        .addColumn('app_rapid_acc', 'integer')
        .addColumn('app_weather_status', 'varchar(32)')
        .addColumn('dt', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('drowsy_drive')
        .ifNotExists()
        .addColumn('drowsy_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('session_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('detected_at', d.timestamp, (c) => c.notNull())
        .addColumn('gaze_closure', 'integer')
        .addColumn('head_drop', 'integer')
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('vehicle_exterior_image')
        .ifNotExists()
        .addColumn('image_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('session_id', 'varchar(255)')
        .addColumn('image_base64', d.longText)
        .addColumn('processed', 'smallint', (c) => c.notNull().defaultTo(0))
        .addColumn('plate_number', 'varchar(20)')
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('arrears_info')
        .ifNotExists()
        .addColumn('car_plate_number', 'varchar(20)', (c) => c.primaryKey())
        .addColumn('arrears_user_id', 'varchar(64)')
        .addColumn('total_arrears_amount', 'integer')
        .addColumn('notice_count', 'smallint')
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('arrears_detection')
        .ifNotExists()
        .addColumn('detection_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('image_id', 'varchar(64)')
        .addColumn('car_plate_number', 'varchar(20)')
        .addColumn('detection_success', 'smallint', (c) => c.notNull())
        .addColumn('detected_lat', 'double precision')
        .addColumn('detected_lon', 'double precision')
        .addColumn('detected_time', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('missing_person_info')
        .ifNotExists()
        .addColumn('missing_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)')
        .addColumn('age', 'integer')
        .addColumn('sex', d.sexType)
        .addColumn('car_plate_number', 'varchar(20)')
        .addColumn('description', 'text')
        .addColumn('reported_at', d.timestamp)
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createTable('missing_person_detection')
        .ifNotExists()
        .addColumn('detection_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('image_id', 'varchar(64)')
        .addColumn('car_plate_number', 'varchar(20)')
        .addColumn('missing_id', 'varchar(64)')
        .addColumn('detection_success', 'smallint', (c) => c.notNull())
        .addColumn('detected_lat', 'double precision')
        .addColumn('detected_lon', 'double precision')
        .addColumn('detected_time', d.timestamp, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      // Track and snapshot queries read history by session and time. On an upstream's table an
      // index build is an outage-sized job: only where this migration made the table.
      await createUpstreamIndexes(
        db,
        kind,
        UPSTREAM_INDEXES.filter((index) => !upstreamTables.has(index.table)),
      );
    },
    async down() {
      // Seed tables belong to the upstream pipeline: the relay never drops them.
    },
  };
}
