/**
 * Issue 15 against a real Kafka broker and a real MariaDB, in the seed's JSON (seed 000 §7–8):
 * failed and odd plate reads are stored and counted, never quarantined; a read before its list row
 * and a list row only in the store still make a hit; one hit makes both the map flag and the alert,
 * an unlisted plate neither; a plate gone from the newest daily snapshot stops hitting and its open
 * alert says why; an open session without an `end_time` key is stored; the KPIs and the photo of a
 * hit are served.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { ensureTopics } from '../../server/sim/kafka-producer';
import type { Alert, AlertCommentPage, AlertListResponse } from '../../shared/alerts';
import { VehicleFlag } from '../../shared/frames';
import type { KpiReport } from '../../shared/kpis';
import type { AlertReadsResponse } from '../../shared/plate-photos';
import { formatKstIso } from '../../shared/time';
import { plateSvgBase64 } from '../../server/plate-image/plate-svg';
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker';
import { loginToken, TEST_ADMIN_PASSWORD } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const DAY_MS = 24 * 60 * 60_000;
const NOW = Date.now();
/** Yesterday's daily dump (its Kafka timestamp decides the snapshot). */
const YESTERDAY = NOW - DAY_MS;
const WAIT = { timeout: 30_000 };

let broker: KafkaBroker;
let database: TestDatabase;
let producer: Producer;
let app: FastifyInstance;
let token: string;

async function send(
  topic: string,
  rows: object[],
  key: string,
  timestampMs: number = Date.now(),
): Promise<void> {
  await producer.send({
    topic,
    messages: rows.map((row) => ({
      key,
      value: JSON.stringify(row),
      timestamp: String(timestampMs),
    })),
  });
}

async function api<T>(url: string): Promise<T> {
  const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  if (response.statusCode !== 200)
    throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

async function alertsOfPlate(plate: string): Promise<Alert[]> {
  const { alerts } = await api<AlertListResponse>('/api/alerts');
  return alerts.filter((a) => a.plate === plate);
}

async function storedCount(
  table: 'arrears_detection' | 'driving_session',
  column: 'detection_id' | 'session_id',
  value: string,
): Promise<number> {
  const row = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(
    app.store.db,
  );
  return Number(row.rows[0]?.n ?? 0);
}

async function quarantinedOf(topic: string): Promise<number> {
  const row = await app.store.db
    .selectFrom('quarantined_message')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('topic', '=', topic)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function metric(name: string, labels: string): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  // Series may carry more labels (the relay's instance); these must be among them.
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p)));
  return line ? Number(line.split(' ').pop()) : 0;
}

function flagsOfCar(carId: string): number {
  const index = app.fleet.indexOf(carId);
  return index === undefined ? 0 : app.fleet.flagsOf(index, Date.now());
}

const detection = (id: string, plate: string | null, success: 0 | 1, extra: object = {}) => ({
  detection_id: id,
  image_id: `IMG-${id}`,
  car_plate_number: plate,
  detection_success: success,
  detected_lat: 35.1796,
  detected_lon: 129.0756,
  detected_time: formatKstIso(Date.now()),
  ...extra,
});

const arrearsInfo = (plate: string, amount = 1_500_000) => ({
  car_plate_number: plate,
  arrears_user_id: `U-${plate}`,
  total_arrears_amount: amount,
  notice_count: 4,
});

beforeAll(async () => {
  [broker, database] = await Promise.all([startKafkaBroker(), createTestDatabase('cr_plates')]);
  await ensureTopics([broker.brokers]);
  producer = new Kafka({
    clientId: 'it-plates',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  app = await buildApp(
    loadConfig({
      PORT: '0',
      KAFKA_BROKERS: broker.brokers,
      KAFKA_GROUP_ID: `it-plates-${Date.now()}`,
      KAFKA_FROM_BEGINNING: 'true',
      DATABASE_URL: database.url,
      WRITE_SEED_TABLES: 'true',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      MASTER_SNAPSHOT_SETTLE_SECONDS: '1',
      LOG_LEVEL: 'fatal',
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  await app.kafkaSource!.joined;
  token = await loginToken(app);
  // The cars, so a hit can be shown on the map (uservehicle carries the plate as written).
  await send(
    'uservehicle',
    [
      { car_id: 'P-ARR', age: 44, user_sex: '남', car_plate_number: '부산 12 가 3456' },
      { car_id: 'P-FREE', age: 30, user_sex: '여', car_plate_number: '34나5678' },
      { car_id: 'P-MISS', age: 71, user_sex: '남', car_plate_number: '123가4567' },
    ],
    'cars',
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
  await producer?.disconnect().catch(() => undefined);
  await broker?.stop();
  await database?.drop();
});

describe('seed plate reads on Kafka and MariaDB', () => {
  it('stores failed, empty, partial and misread reads, counts them, quarantines none, alerts none', async () => {
    const before = await quarantinedOf('arrears_detection');
    await send(
      'arrears_detection',
      [
        detection('F-EMPTY', '', 0),
        detection('F-NULL', null, 0, { confidence: 0.12 }),
        detection('F-PARTIAL', '12가34', 1),
        detection('F-MISREAD', '12똠3456', 1),
      ],
      'failed',
    );
    for (const id of ['F-EMPTY', 'F-NULL', 'F-PARTIAL', 'F-MISREAD']) {
      await expect.poll(() => storedCount('arrears_detection', 'detection_id', id), WAIT).toBe(1);
    }
    expect(await quarantinedOf('arrears_detection')).toBe(before);
    expect(
      await metric('relay_plate_reads_total', 'list="arrears",outcome="failed_ocr_failed"'),
    ).toBe(2);
    expect(await metric('relay_plate_reads_total', 'list="arrears",outcome="failed_partial"')).toBe(
      1,
    );
    expect(await metric('relay_plate_reads_total', 'list="arrears",outcome="failed_misread"')).toBe(
      1,
    );
    const { alerts } = await api<AlertListResponse>('/api/alerts?type=ARREARS_HIT');
    expect(alerts).toEqual([]);
  });

  it('an open driving_session without an end_time key is stored, not quarantined', async () => {
    const before = await quarantinedOf('driving_session');
    await send(
      'driving_session',
      [{ session_id: 'S-OPEN', car_id: 'P-ARR', start_time: formatKstIso(NOW - 60_000) }],
      'P-ARR',
    );
    await expect.poll(() => storedCount('driving_session', 'session_id', 'S-OPEN'), WAIT).toBe(1);
    expect(await quarantinedOf('driving_session')).toBe(before);
  });

  it('a read before its list row is a hit once the row arrives: flag and alert from the same hit', async () => {
    // The read first, its daily list row after (the topics have no order between them).
    await send(
      'arrears_detection',
      [detection('H-EARLY', '부산12가3456', 1, { confidence: 0.94 })],
      'x',
    );
    await expect
      .poll(() => storedCount('arrears_detection', 'detection_id', 'H-EARLY'), WAIT)
      .toBe(1);
    expect(await alertsOfPlate('부산12가3456')).toEqual([]);
    await send('arrears_info', [arrearsInfo('부산 12 가 3456', 3_200_000)], 'list', YESTERDAY);
    await expect.poll(async () => (await alertsOfPlate('부산12가3456')).length, WAIT).toBe(1);
    const [alert] = await alertsOfPlate('부산12가3456');
    expect(alert).toMatchObject({ type: 'ARREARS_HIT', carId: 'P-ARR', severity: 'high' });
    expect(flagsOfCar('P-ARR') & VehicleFlag.Arrears).toBe(VehicleFlag.Arrears);
  });

  it('an unlisted plate raises neither the flag nor an alert; the read stays counted as unmatched', async () => {
    await send('arrears_detection', [detection('U-1', '34나5678', 1)], 'x');
    await expect.poll(() => storedCount('arrears_detection', 'detection_id', 'U-1'), WAIT).toBe(1);
    expect(await alertsOfPlate('34나5678')).toEqual([]);
    expect(flagsOfCar('P-FREE') & VehicleFlag.Arrears).toBe(0);
    expect(app.plateHits.heldReads).toBeGreaterThanOrEqual(1);
  });

  it('a list row only in the store (memory missed) still makes a hit, for a diplomatic plate too', async () => {
    await app.store.db
      .insertInto('arrears_info')
      .values({
        car_plate_number: '외교 005-003',
        arrears_user_id: 'U-DIP',
        total_arrears_amount: 900_000,
        notice_count: 1,
      })
      .execute();
    await send('arrears_detection', [detection('H-DIP', '외교005003', 1)], 'x');
    await expect.poll(async () => (await alertsOfPlate('외교005003')).length, WAIT).toBe(1);
  });

  it('a missing person is a hit only when listed, and then on the map and in the inbox', async () => {
    await send(
      'missing_person_info',
      [
        {
          missing_id: 'MP-1',
          name: '김민수',
          age: 71,
          sex: '남',
          car_plate_number: '123가4567',
          reported_at: formatKstIso(NOW - 3_600_000),
        },
      ],
      'mp',
      YESTERDAY,
    );
    await send(
      'missing_person_detection',
      [
        detection('MPD-UNLISTED', '56다7890', 1, { missing_id: null }),
        detection('MPD-1', '123 가 4567', 1),
      ],
      'x',
    );
    await expect.poll(async () => (await alertsOfPlate('123가4567')).length, WAIT).toBe(1);
    expect(flagsOfCar('P-MISS') & VehicleFlag.Missing).toBe(VehicleFlag.Missing);
    expect(await alertsOfPlate('56다7890')).toEqual([]);
  });

  it('a plate gone from the newest snapshot stops hitting; its open alert gets a system comment', async () => {
    // Today's dump no longer holds 부산 12 가 3456 (paid) but holds the diplomatic plate.
    await send('arrears_info', [arrearsInfo('외교 005-003', 900_000)], 'list', NOW);
    const [alert] = await alertsOfPlate('부산12가3456');
    await expect
      .poll(async () => {
        const page = await api<AlertCommentPage>(`/api/alerts/${alert!.id}/comments`);
        return page.comments.map((c) => [c.by, c.text]);
      }, WAIT)
      .toContainEqual(['system', expect.stringContaining('체납 목록')]);
    expect(flagsOfCar('P-ARR') & VehicleFlag.Arrears).toBe(0);
    const count = (await alertsOfPlate('부산12가3456'))[0]!.count;
    await send('arrears_detection', [detection('H-AFTER', '부산12가3456', 1)], 'x');
    await expect
      .poll(() => storedCount('arrears_detection', 'detection_id', 'H-AFTER'), WAIT)
      .toBe(1);
    await expect
      .poll(() => metric('relay_plate_reads_total', 'list="arrears",outcome="delisted"'), WAIT)
      .toBe(1);
    expect((await alertsOfPlate('부산12가3456'))[0]!.count).toBe(count);
  });

  it('serves the KPIs with their targets, and the photo of a hit', async () => {
    const report = await api<KpiReport>('/api/kpis');
    const ids = report.figures.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining(['ocr_read_rate_day', 'arrears_hits_month', 'feed_availability_30d']),
    );
    const rate = report.figures.find((f) => f.id === 'ocr_read_rate_day')!;
    expect(rate).toMatchObject({ target: 0.95, comparison: 'gt' });
    expect(rate.samples).toBeGreaterThanOrEqual(8);
    expect(rate.met).toBe(false);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('relay_processing_delay_seconds_bucket');
    expect(await metric('relay_kpi_target', 'kpi="arrears_hits_month"')).toBe(100);

    const [alert] = await alertsOfPlate('외교005003');
    // The upstream fills vehicle_exterior_image; here the test plays it.
    await app.store.db
      .insertInto('vehicle_exterior_image')
      .values({
        image_id: 'IMG-H-DIP',
        session_id: null,
        image_base64: plateSvgBase64('외교 005-003'),
        processed: 1,
        plate_number: '외교005003',
      })
      .execute();
    const { reads } = await api<AlertReadsResponse>(`/api/alerts/${alert!.id}/reads`);
    expect(reads.map((r) => [r.detectionId, r.plateText])).toEqual([['H-DIP', '외교005003']]);
    const photo = await app.inject({
      url: reads[0]!.photoPath!,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/svg+xml');
    expect(photo.headers['cache-control']).toBe('private, max-age=300');
    const again = await app.inject({
      url: reads[0]!.photoPath!,
      headers: { authorization: `Bearer ${token}`, 'if-none-match': String(photo.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    await app.store.db
      .deleteFrom('vehicle_exterior_image')
      .where('image_id', '=', 'IMG-H-DIP')
      .execute();
    const gone = await app.inject({
      url: reads[0]!.photoPath!,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json<{ error: { message: string } }>().error.message).toContain('IMG-H-DIP');
  });
});
