/**
 * What the seed KPIs read from the store: the relay's feed-health samples, OCR reads by period
 * (both detection tables, `detection_success`), and the arrears hits recorded this month.
 */
import { sql, type Kysely } from 'kysely';
import { formatKstSql } from '../../shared/time';
import { newValue } from './dialect';
import type { StoreKind } from '../../shared/events';
import type { Database } from './schema';
import { HEALTH_SAMPLE_INTERVAL_MS, type OcrCounts } from '../domain/seed-kpis';

/** Samples are kept a little longer than the 30-day window they feed. */
export const HEALTH_SAMPLE_RETENTION_MS = 31 * 24 * 60 * 60_000;

/** Records this minute's sample (a second call in the same minute keeps the worse answer). */
export async function recordHealthSample(
  db: Kysely<Database>,
  kind: StoreKind,
  instance: string,
  nowMs: number,
  up: boolean,
): Promise<void> {
  const minuteMs = Math.floor(nowMs / HEALTH_SAMPLE_INTERVAL_MS) * HEALTH_SAMPLE_INTERVAL_MS;
  const insert = db
    .insertInto('feed_health_sample')
    .values({ instance, minute_ms: minuteMs, up: up ? 1 : 0 });
  await (
    kind === 'mariadb'
      ? insert.onDuplicateKeyUpdate({ up: sql<number>`least(up, ${newValue(kind, 'up')})` })
      : insert.onConflict((oc) =>
          oc.columns(['instance', 'minute_ms']).doUpdateSet({
            up: sql<number>`min(feed_health_sample.up, ${newValue(kind, 'up')})`,
          }),
        )
  ).execute();
  await db
    .deleteFrom('feed_health_sample')
    .where('instance', '=', instance)
    .where('minute_ms', '<', nowMs - HEALTH_SAMPLE_RETENTION_MS)
    .execute();
}

/** Up samples and the first sample's time since `sinceMs`, for one instance. */
export async function healthSamplesSince(
  db: Kysely<Database>,
  instance: string,
  sinceMs: number,
): Promise<{ up: number; firstMs: number | null }> {
  const row = await db
    .selectFrom('feed_health_sample')
    .select((eb) => [
      eb.fn.sum<string | number | null>('up').as('up'),
      eb.fn.min<string | number | null>('minute_ms').as('first'),
    ])
    .where('instance', '=', instance)
    .where('minute_ms', '>=', sinceMs)
    .executeTakeFirst();
  return {
    up: Number(row?.up ?? 0),
    firstMs: row?.first === null || row?.first === undefined ? null : Number(row.first),
  };
}

/** OCR reads of both detection topics in [fromMs, toMs), from the stored rows. */
export async function ocrCountsBetween(
  db: Kysely<Database>,
  fromMs: number,
  toMs: number,
): Promise<Pick<OcrCounts, 'reads' | 'successes'>> {
  let reads = 0;
  let successes = 0;
  for (const table of ['arrears_detection', 'missing_person_detection'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => [
        eb.fn.countAll<string | number>().as('reads'),
        eb.fn.sum<string | number | null>('detection_success').as('successes'),
      ])
      .where('detected_time', '>=', formatKstSql(fromMs))
      .where('detected_time', '<', formatKstSql(toMs))
      .executeTakeFirst();
    reads += Number(row?.reads ?? 0);
    successes += Number(row?.successes ?? 0);
  }
  return { reads, successes };
}

/** Arrears hits the relay recorded (one alert source each) since `sinceMs`. */
export async function arrearsHitsSince(db: Kysely<Database>, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom('alert_source')
    .select((eb) => eb.fn.countAll<string | number>().as('hits'))
    .where('source_id', 'like', 'arrears_detection:%')
    .where('created_at', '>=', formatKstSql(sinceMs))
    .executeTakeFirst();
  return Number(row?.hits ?? 0);
}
