import { describe, expect, it } from 'vitest';
import {
  decodeTopicMessage,
  KOREAN_PLATE,
  TOPIC_NAMES,
  type TopicName,
} from '../../../shared/topics';
import { formatKstIso, parseTimestamp } from '../../../shared/time';

describe('timestamps', () => {
  it('reads zone-less text as KST and honours explicit zones', () => {
    expect(parseTimestamp('2025-12-09T14:30:00')).toBe(Date.UTC(2025, 11, 9, 5, 30));
    expect(parseTimestamp('2025-12-09 14:30:00.250')).toBe(Date.UTC(2025, 11, 9, 5, 30, 0, 250));
    expect(parseTimestamp('2025-12-09T05:30:00Z')).toBe(Date.UTC(2025, 11, 9, 5, 30));
    expect(parseTimestamp('2025-12-09T14:30:00+09:00')).toBe(Date.UTC(2025, 11, 9, 5, 30));
    expect(parseTimestamp(1_765_258_200)).toBe(1_765_258_200_000);
    expect(parseTimestamp('1765258200000')).toBe(1_765_258_200_000);
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp('2025-13-40T99:00:00')).toBeNull();
    expect(formatKstIso(Date.UTC(2025, 11, 9, 5, 30))).toBe('2025-12-09T14:30:00.000');
  });
});

describe('topic decoding', () => {
  it('accepts what Flink writes: numbers as strings, nulls, extra fields, Korean text', () => {
    const result = decodeTopicMessage(
      'driving_session_info',
      JSON.stringify({
        info_id: '550e8400-e29b-41d4-a716-446655440000',
        session_id: 'session_20251209_001',
        app_lat: '35.1796',
        app_lon: 129.0756,
        speed: '45.5',
        app_rapid_acc: null,
        app_weather_status: '맑음',
        dt: '2025-12-09T14:30:00',
        extra_field: { nested: true },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.row.app_lat).toBeCloseTo(35.1796);
    expect(result.row.speed).toBe(45.5);
    expect(result.row.app_rapid_acc).toBeNull();
    expect(result.row.app_weather_status).toBe('맑음');
    expect(result.row.dt).toBe(Date.UTC(2025, 11, 9, 5, 30));
  });

  it('refuses what it cannot understand, with a reason naming the field', () => {
    const notJson = decodeTopicMessage('drowsy_drive', '{oops');
    expect(notJson).toEqual({ ok: false, reason: 'not JSON' });
    const badLat = decodeTopicMessage(
      'driving_session_info',
      JSON.stringify({
        info_id: 'a',
        session_id: 's',
        app_lat: 'north',
        app_lon: 129,
        dt: '2025-12-09T14:30:00',
      }),
    );
    expect(badLat.ok).toBe(false);
    if (!badLat.ok) expect(badLat.reason).toMatch(/^app_lat/);
    const badTime = decodeTopicMessage(
      'drowsy_drive',
      JSON.stringify({ drowsy_id: 'd', session_id: 's', detected_at: 'soon' }),
    );
    expect(badTime.ok).toBe(false);
    if (!badTime.ok) expect(badTime.reason).toMatch(/^detected_at/);
    expect(decodeTopicMessage('uservehicle', '[1,2]').ok).toBe(false);
    expect(decodeTopicMessage('uservehicle', null).ok).toBe(false);
  });

  it('knows Korean plates', () => {
    for (const plate of ['12가3456', '123가4567', '부산12가3456'])
      expect(plate).toMatch(KOREAN_PLATE);
    for (const plate of ['1가3456', '12A3456', '12가345', 'ABC-123'])
      expect(plate).not.toMatch(KOREAN_PLATE);
    const row = decodeTopicMessage(
      'arrears_detection',
      JSON.stringify({
        detection_id: 'det_1',
        image_id: 'img_1',
        car_plate_number: '12가 3456',
        detection_success: '1',
        detected_lat: 35.1,
        detected_lon: 129.0,
        detected_time: '2025-12-09T14:30:00',
      }),
    );
    // Kept as written; matching uses the normal form (shared/plates.ts).
    expect(row.ok && row.row.car_plate_number).toBe('12가 3456');
    expect(row.ok && row.row.detection_success).toBe(true);
  });
});

describe('plates as the pipeline sends them', () => {
  const read = (plate: unknown, success = 1) =>
    decodeTopicMessage(
      'arrears_detection',
      JSON.stringify({
        detection_id: 'd',
        car_plate_number: plate,
        detection_success: success,
        detected_time: '2025-12-09T14:30:00',
      }),
    );

  it.each(['', '   ', null, undefined])(
    'a read without a plate (%j) decodes with null',
    (plate) => {
      const row = read(plate, 0);
      expect(row.ok && row.row.car_plate_number).toBeNull();
    },
  );

  it.each(['12가34', '12똠3456', '외교 005-003', '임시 123-4567', '부산 12 가 3456'])(
    'a partial, misread or unusual plate (%s) is a row, kept as written, not quarantined',
    (plate) => {
      const row = read(plate);
      expect(row.ok && row.row.car_plate_number).toBe(plate);
    },
  );

  it('a plate longer than the seed column (VARCHAR(20)) cannot come from the upstream', () => {
    const row = read('1234567890가1234567890');
    expect(row.ok).toBe(false);
    if (!row.ok) expect(row.reason).toMatch(/^car_plate_number: longer than/);
  });

  it('a list row needs a plate', () => {
    const row = decodeTopicMessage('arrears_info', JSON.stringify({ car_plate_number: ' ' }));
    expect(row.ok).toBe(false);
    const diplomatic = decodeTopicMessage(
      'arrears_info',
      JSON.stringify({ car_plate_number: '외교 005-003' }),
    );
    expect(diplomatic.ok && diplomatic.row.car_plate_number).toBe('외교 005-003');
  });
});

describe('missing keys and nulls mean the same', () => {
  /** Each topic's required fields only: every optional key is left out. */
  const REQUIRED_ONLY = {
    uservehicle: { car_id: 'c1' },
    driving_session: { session_id: 's1', car_id: 'c1', start_time: '2025-12-09T14:30:00' },
    driving_session_info: {
      info_id: 'i1',
      session_id: 's1',
      app_lat: 35.1,
      app_lon: 129.0,
      dt: '2025-12-09T14:30:00',
    },
    drowsy_drive: { drowsy_id: 'd1', session_id: 's1', detected_at: '2025-12-09T14:30:00' },
    arrears_detection: {
      detection_id: 'a1',
      detection_success: 0,
      detected_time: '2025-12-09T14:30:00',
    },
    arrears_info: { car_plate_number: '12가3456' },
    missing_person_detection: {
      detection_id: 'm1',
      detection_success: 1,
      detected_time: '2025-12-09T14:30:00',
    },
    missing_person_info: { missing_id: 'p1' },
    interlock_event: {
      event_id: 'e1',
      device_id: 'dev1',
      event_type: 'start_test',
      occurred_at: '2025-12-09T14:30:00',
    },
  } satisfies Record<TopicName, object>;

  it.each(TOPIC_NAMES)('%s: an absent optional key decodes as null, like an explicit null', (t) => {
    const required: Record<string, unknown> = REQUIRED_ONLY[t];
    const absent = decodeTopicMessage(t, JSON.stringify(required));
    expect(absent.ok).toBe(true);
    if (!absent.ok) return;
    const row = absent.row as Record<string, unknown>;
    const optionalKeys = Object.keys(row).filter((k) => !(k in required));
    expect(optionalKeys.length).toBeGreaterThan(0);
    for (const key of optionalKeys) expect(row[key], key).toBeNull();
    const nulls = Object.fromEntries(optionalKeys.map((k) => [k, null]));
    const explicit = decodeTopicMessage(t, JSON.stringify({ ...required, ...nulls }));
    expect(explicit).toEqual(absent);
  });

  it('an open driving_session (no end_time key) decodes with end_time null', () => {
    const row = decodeTopicMessage(
      'driving_session',
      JSON.stringify(REQUIRED_ONLY.driving_session),
    );
    expect(row.ok && row.row.end_time).toBeNull();
    expect(row.ok && 'end_time' in row.row).toBe(true);
  });
});
