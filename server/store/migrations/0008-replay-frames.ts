/**
 * The replay frame store (DESIGN §13): the relay's live position frames kept in chunks, one row
 * per key frame and the deltas after it (about ten seconds), compressed, so a moment is one read
 * of one row. `replay_vehicle` names the vehicle indexes a recording relay used (indexes are
 * assigned per relay run), so another relay, or this one after a restart, can map them to its own.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../../../shared/events';
import { dialectHelpers } from '../dialect';

/** A run id is a UUID (36 characters). */
const RUN_ID_LENGTH = 64;
const CAR_ID_LENGTH = 255;

export function replayFramesMigration(kind: StoreKind): Migration {
  const d = dialectHelpers(kind);
  // A chunk of 50,000 vehicles is a few MB: MariaDB's BLOB holds 64 KB, LONGBLOB 4 GB.
  const blob = kind === 'mariadb' ? sql`longblob` : sql`blob`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('replay_chunk')
        .ifNotExists()
        .addColumn('id', d.autoIdType, (c) => c.primaryKey().autoIncrement())
        .addColumn('run_id', `varchar(${RUN_ID_LENGTH})`, (c) => c.notNull())
        .addColumn('start_ms', 'bigint', (c) => c.notNull())
        .addColumn('end_ms', 'bigint', (c) => c.notNull())
        .addColumn('frame_count', 'integer', (c) => c.notNull())
        .addColumn('vehicle_count', 'integer', (c) => c.notNull())
        .addColumn('raw_bytes', 'bigint', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .modifyEnd(d.tableOptions)
        .execute();
      await db.schema
        .createIndex('idx_replay_chunk_start')
        .on('replay_chunk')
        .column('start_ms')
        .execute();
      await db.schema
        .createIndex('idx_replay_chunk_end')
        .on('replay_chunk')
        .column('end_ms')
        .execute();
      await db.schema
        .createTable('replay_vehicle')
        .ifNotExists()
        .addColumn('run_id', `varchar(${RUN_ID_LENGTH})`, (c) => c.notNull())
        .addColumn('vehicle_index', 'integer', (c) => c.notNull())
        .addColumn('car_id', `varchar(${CAR_ID_LENGTH})`, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_replay_vehicle', ['run_id', 'vehicle_index'])
        .modifyEnd(d.tableOptions)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('replay_vehicle').ifExists().execute();
      await db.schema.dropTable('replay_chunk').ifExists().execute();
    },
  };
}
