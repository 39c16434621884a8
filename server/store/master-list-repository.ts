/**
 * Master-list rows looked up in the store when memory misses (a read consumed before its list
 * row, or a row the upstream added after the day's snapshot). Lists hold plates as the upstream
 * wrote them, so a plate is found by its normal form: the exact text, or the text with the
 * separators people write removed. The lists are thousands of rows, not millions; the lookup is
 * one indexed probe plus, on a miss, one scan of that small table.
 */
import { sql, type Kysely } from 'kysely';
import type { TopicRow } from '../../shared/topics';
import { normalizePlate } from '../../shared/plates';
import { decodeTopicMessage } from '../../shared/topics';
import type { Database } from './schema';

/** `car_plate_number` without spaces and hyphens, in SQL (both dialects have replace()). */
const compactPlate = sql<string>`replace(replace(car_plate_number, ' ', ''), '-', '')`;

export async function findArrearsByPlate(
  db: Kysely<Database>,
  plate: string,
): Promise<TopicRow<'arrears_info'> | undefined> {
  const rows = await db
    .selectFrom('arrears_info')
    .selectAll()
    .where((eb) => eb.or([eb('car_plate_number', '=', plate), eb(compactPlate, '=', plate)]))
    .execute();
  const row = rows.find((r) => normalizePlate(r.car_plate_number) === plate);
  return row ? decoded('arrears_info', row) : undefined;
}

export async function findMissingPerson(
  db: Kysely<Database>,
  plate: string,
  missingId: string | null,
): Promise<TopicRow<'missing_person_info'> | undefined> {
  const rows = await db
    .selectFrom('missing_person_info')
    .selectAll()
    .where((eb) => {
      const byPlate = eb.or([eb('car_plate_number', '=', plate), eb(compactPlate, '=', plate)]);
      return missingId === null ? byPlate : eb.or([byPlate, eb('missing_id', '=', missingId)]);
    })
    .execute();
  const row =
    rows.find((r) => normalizePlate(r.car_plate_number) === plate) ??
    rows.find((r) => missingId !== null && r.missing_id === missingId);
  return row ? decoded('missing_person_info', row) : undefined;
}

/** A stored row through the topic's own decoder, so memory and store rows look the same. */
function decoded<T extends 'arrears_info' | 'missing_person_info'>(
  topic: T,
  row: object,
): TopicRow<T> | undefined {
  const result = decodeTopicMessage(topic, JSON.stringify(row));
  return result.ok ? result.row : undefined;
}

/**
 * Deletes the rows of plates (and people) a settled snapshot no longer holds, where the relay
 * keeps the seed tables itself (embedded, `WRITE_SEED_TABLES`): rows are only ever upserted
 * there, so without this a restart would load a paid plate as listed again.
 */
export async function deleteDelistedRows(
  db: Kysely<Database>,
  delistings: { list: 'arrears' | 'missing'; plateText: string | null; key: string }[],
): Promise<void> {
  const plates = delistings.flatMap((d) =>
    d.list === 'arrears' && d.plateText !== null ? [d.plateText] : [],
  );
  const people = delistings.flatMap((d) => (d.list === 'missing' ? [d.key] : []));
  if (plates.length > 0) {
    await db.deleteFrom('arrears_info').where('car_plate_number', 'in', plates).execute();
  }
  if (people.length > 0) {
    await db.deleteFrom('missing_person_info').where('missing_id', 'in', people).execute();
  }
}
