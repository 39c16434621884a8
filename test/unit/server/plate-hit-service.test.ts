import { describe, expect, it } from 'vitest';
import type { TopicRow } from '../../../shared/topics';
import type { PlateHit, PlateRead } from '../../../server/domain/plate-hits';
import { PlateHitService, type PlateDelisting } from '../../../server/ingest/plate-hits';

const DAY1 = Date.UTC(2025, 11, 8, 15, 0, 5);
const DAY2 = DAY1 + 24 * 60 * 60_000;
const SETTLE_MS = 60_000;
const HOLD_MS = 10 * 60_000;

const info = (plate: string): TopicRow<'arrears_info'> => ({
  car_plate_number: plate,
  arrears_user_id: 'u1',
  total_arrears_amount: 2_000_000,
  notice_count: 4,
});

const read = (plate: string, id: string, success = true): PlateRead => ({
  list: 'arrears',
  row: {
    detection_id: id,
    image_id: `img-${id}`,
    car_plate_number: plate,
    detection_success: success,
    detected_lat: null,
    detected_lon: null,
    detected_time: DAY1,
    confidence: null,
  },
});

function setup(store: TopicRow<'arrears_info'>[] = []) {
  const hits: PlateHit[] = [];
  const delisted: PlateDelisting[] = [];
  const counts = new Map<string, number>();
  const service = new PlateHitService(
    { settleMs: SETTLE_MS, holdMs: HOLD_MS },
    {
      lookupArrears: async (plate) =>
        store.find((r) => r.car_plate_number.replace(/\s/g, '') === plate),
      lookupMissing: async () => undefined,
      onHits: async (h) => void hits.push(...h),
      onDelisted: async (d) => void delisted.push(...d),
    },
    {
      read: (list, outcome) =>
        counts.set(`${list}:${outcome}`, (counts.get(`${list}:${outcome}`) ?? 0) + 1),
      held: () => undefined,
    },
  );
  return { service, hits, delisted, counts };
}

describe('plate hits at ingest', () => {
  it('a read before its list row is held, and hits when the row arrives', async () => {
    const { service, hits, counts } = setup();
    await service.decide([read('12가3456', 'A1')], DAY1);
    expect(hits).toEqual([]);
    expect(service.heldReads).toBe(1);
    await service.applyLists([{ row: info('12가 3456'), messageMs: DAY1 }], [], DAY1 + 1_000);
    expect(hits.map((h) => [h.read.detection_id, h.plate])).toEqual([['A1', '12가3456']]);
    expect(service.heldReads).toBe(0);
    expect(counts.get('arrears:hit')).toBe(1);
  });

  it('a read that misses memory is found in the store at once', async () => {
    const { service, hits } = setup([info('부산 12 가 3456')]);
    await service.decide([read('부산12가3456', 'A1')], DAY1);
    expect(hits).toHaveLength(1);
    expect(service.heldReads).toBe(0);
  });

  it('a failed read is counted, never held or a hit; what stays unmatched is counted', async () => {
    const { service, hits, counts } = setup();
    await service.decide(
      [read('', 'F1', false), read('12가34', 'F2'), read('99허9999', 'U1')],
      DAY1,
    );
    expect(hits).toEqual([]);
    expect(counts.get('arrears:failed_ocr_failed')).toBe(1);
    expect(counts.get('arrears:failed_partial')).toBe(1);
    await service.tick(DAY1 + HOLD_MS);
    expect(counts.get('arrears:unmatched')).toBe(1);
    expect(service.heldReads).toBe(0);
  });

  it('a plate gone from the newest snapshot is delisted when it settles, and hits no more', async () => {
    const { service, hits, delisted, counts } = setup();
    await service.applyLists(
      [
        { row: info('12가3456'), messageMs: DAY1 },
        { row: info('34나5678'), messageMs: DAY1 },
      ],
      [],
      DAY1,
    );
    await service.applyLists([{ row: info('34나5678'), messageMs: DAY2 }], [], DAY2);
    await service.tick(DAY2 + SETTLE_MS);
    expect(delisted).toEqual([
      { list: 'arrears', plateText: '12가3456', key: '12가3456', snapshotDay: '2025-12-10' },
    ]);
    await service.decide([read('12가3456', 'A9')], DAY2 + SETTLE_MS + 1);
    expect(hits).toEqual([]);
    expect(counts.get('arrears:delisted')).toBe(1);
    expect(service.heldReads).toBe(0);
  });
});
