/**
 * The KPI figures and health samples against both stores: OCR reads counted from the stored
 * detections, arrears hits from the alert sources, availability from the relay's own samples.
 */
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/store/database';
import { PipelineHealth } from '../../server/kpi/pipeline-health';
import { formatKstSql } from '../../shared/time';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const MINUTE = 60_000;
/** 2025-12-09 14:30:00 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 30);

async function seed(store: Store): Promise<void> {
  const reads = [
    { id: 'a1', success: 1, at: NOW - 5 * MINUTE },
    { id: 'a2', success: 1, at: NOW - 10 * MINUTE },
    { id: 'a3', success: 0, at: NOW - 2 * 60 * MINUTE },
    // Yesterday (KST): not in today's figures.
    { id: 'a4', success: 0, at: NOW - 24 * 60 * MINUTE },
  ];
  await store.db
    .insertInto('arrears_detection')
    .values(
      reads.map((r) => ({
        detection_id: r.id,
        image_id: null,
        car_plate_number: r.success ? '12가3456' : '',
        detection_success: r.success,
        detected_lat: null,
        detected_lon: null,
        detected_time: formatKstSql(r.at),
      })),
    )
    .execute();
  await store.db
    .insertInto('alert_source')
    .values([
      { source_id: 'arrears_detection:a1', alert_id: 1, created_at: formatKstSql(NOW - MINUTE) },
      { source_id: 'arrears_detection:a2', alert_id: 1, created_at: formatKstSql(NOW - MINUTE) },
      // Last month (KST): not counted.
      {
        source_id: 'arrears_detection:old',
        alert_id: 2,
        created_at: formatKstSql(Date.UTC(2025, 10, 30, 14, 0)),
      },
      { source_id: 'drowsy_drive:d1', alert_id: 3, created_at: formatKstSql(NOW - MINUTE) },
    ])
    .execute();
}

function health(store: Store, lag: number | null): PipelineHealth {
  return new PipelineHealth({
    db: store.db,
    kind: store.kind,
    instance: 'relay-test',
    registry: new Registry(),
    lagThreshold: 10_000,
    stalledTopicMs: 5 * MINUTE,
    feedStaleMs: null,
    consumerLag: () => lag,
    storeUp: () => true,
    ocrFromStore: true,
    startedMs: NOW - 60 * MINUTE,
  });
}

async function exercise(store: Store): Promise<void> {
  await seed(store);
  const h = health(store, 12_000);
  // Ten minutes of samples: fed once a minute for 8, then silent; the cadence (a minute) makes
  // the feed stale after 3 minutes, so the last two samples are still up.
  for (let m = 10; m >= 1; m--) {
    const at = NOW - m * MINUTE;
    if (m > 2) h.delivered('driving_session_info', at - 1_000);
    await h.sample(at);
  }
  await h.sample(NOW - MINUTE); // a second sample in a minute keeps one row
  h.frameSent(NOW - 3_000, NOW);
  h.ocrRead(true, 0.97, NOW - MINUTE);
  const report = await h.report(NOW);
  const byId = Object.fromEntries(report.figures.map((f) => [f.id, f]));
  expect(byId.processing_delay).toMatchObject({ value: 3_000, met: true });
  expect(byId.consumer_lag).toMatchObject({ value: 12_000, met: false });
  expect(byId.ocr_read_rate_hour).toMatchObject({ value: 1, samples: 2, met: true });
  expect(byId.ocr_read_rate_day!.value).toBeCloseTo(2 / 3);
  expect(byId.ocr_read_rate_day!.met).toBe(false);
  expect(byId.ocr_confidence_hour).toMatchObject({ value: 0.97, met: true });
  expect(byId.arrears_hits_month).toMatchObject({ value: 2, target: 100, met: false });
  // Ten minutes since the first sample, ten samples, all up.
  expect(byId.feed_availability_30d).toMatchObject({ value: 1, samples: 10, met: true });
  // Five minutes later with nothing delivered: stale, two more down samples, and five minutes
  // of the window without any (the relay was not sampling): 10 up of 15.
  await h.sample(NOW + 3 * MINUTE);
  await h.sample(NOW + 4 * MINUTE);
  const later = await h.report(NOW + 5 * MINUTE);
  const availability = later.figures.find((f) => f.id === 'feed_availability_30d')!;
  expect(availability.samples).toBe(15);
  expect(availability.value).toBeCloseTo(10 / 15);
  const changes = h.evaluateAlarms(NOW);
  expect(changes.raised.map((a) => a.key)).toEqual(['consumer_lag']);
}

describe('pipeline health and KPIs (SQLite)', () => {
  it('measures from the store and its own samples', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      await exercise(store);
    } finally {
      await store.close();
    }
  });
});

describe('pipeline health and KPIs (MariaDB)', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => database?.drop());

  it('measures from the store and its own samples', async () => {
    database = await createTestDatabase('cr_kpi');
    const store = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
    try {
      await exercise(store);
    } finally {
      await store.close();
    }
  });
});
