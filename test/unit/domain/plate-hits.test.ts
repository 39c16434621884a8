import { describe, expect, it } from 'vitest';
import type { TopicRow } from '../../../shared/topics';
import { plateHitDetection } from '../../../server/domain/alert-rules';
import { kstDay, MasterList } from '../../../server/domain/master-list';
import {
  decideRead,
  MasterLists,
  UnmatchedReads,
  type PlateRead,
} from '../../../server/domain/plate-hits';

/** 2025-12-09 00:00:05 KST, just after the daily dump started. */
const DAY1 = Date.UTC(2025, 11, 8, 15, 0, 5);
const DAY2 = DAY1 + 24 * 60 * 60_000;
const SETTLE_MS = 60_000;

function arrearsInfo(plate: string, amount = 1_500_000): TopicRow<'arrears_info'> {
  return {
    car_plate_number: plate,
    arrears_user_id: `u-${plate}`,
    total_arrears_amount: amount,
    notice_count: 3,
  };
}

function person(id: string, plate: string | null): TopicRow<'missing_person_info'> {
  return {
    missing_id: id,
    name: '김민수',
    age: 72,
    sex: '남',
    car_plate_number: plate,
    description: null,
    reported_at: null,
  };
}

function arrearsRead(plate: string | null, success = true, id = 'A1'): PlateRead {
  return {
    list: 'arrears',
    row: {
      detection_id: id,
      image_id: `img-${id}`,
      car_plate_number: plate,
      detection_success: success,
      detected_lat: 35.1,
      detected_lon: 129.0,
      detected_time: DAY1,
      confidence: 0.93,
    },
  };
}

function missingRead(plate: string | null, missingId: string | null = null, id = 'M1'): PlateRead {
  return {
    list: 'missing',
    row: {
      detection_id: id,
      image_id: null,
      car_plate_number: plate,
      missing_id: missingId,
      detection_success: true,
      detected_lat: null,
      detected_lon: null,
      detected_time: DAY1,
    },
  };
}

describe('KST day', () => {
  it('puts 00:00 KST on the new day (15:00 UTC the day before)', () => {
    expect(kstDay(Date.UTC(2025, 11, 8, 14, 59, 59))).toBe('2025-12-08');
    expect(kstDay(Date.UTC(2025, 11, 8, 15, 0, 0))).toBe('2025-12-09');
  });
});

describe('the hit rule table', () => {
  const lists = new MasterLists(SETTLE_MS);
  lists.applyArrears(arrearsInfo('부산 12 가 3456'), DAY1, DAY1);
  lists.applyArrears(arrearsInfo('외교 005-003'), DAY1, DAY1);
  lists.applyMissing(person('P1', '123가4567'), DAY1, DAY1);
  lists.applyMissing(person('P2', null), DAY1, DAY1);

  it.each([
    [
      'failed OCR (detection_success = 0)',
      arrearsRead('부산12가3456', false),
      'failed',
      'ocr_failed',
    ],
    ['empty plate', arrearsRead('', true), 'failed', 'empty'],
    ['no plate key (null)', arrearsRead(null, true), 'failed', 'empty'],
    ['partial plate', arrearsRead('12가34', true), 'failed', 'partial'],
    ['misread plate', arrearsRead('12똠3456', true), 'failed', 'misread'],
    ['unlisted plate', arrearsRead('34나5678'), 'unlisted', undefined],
    ['listed plate, other spacing', arrearsRead('부산12가-3456'), 'hit', undefined],
    ['listed diplomatic plate', arrearsRead('외교005003'), 'hit', undefined],
    [
      'same digits without the region (another car)',
      arrearsRead('12가3456'),
      'unlisted',
      undefined,
    ],
    ['missing person by plate', missingRead('123 가 4567'), 'hit', undefined],
    ['missing person named by the read', missingRead('55다1234', 'P2'), 'hit', undefined],
    ['unlisted missing-person plate', missingRead('55다1234'), 'unlisted', undefined],
    ['unlisted person named by the read', missingRead('55다1234', 'P9'), 'unlisted', undefined],
  ] as const)('%s → %s', (_, read, outcome, reason) => {
    const decision = decideRead(read, lists);
    expect(decision.outcome).toBe(outcome);
    if (reason !== undefined) expect(decision).toMatchObject({ reason });
  });

  it('a hit carries the normal plate, the read as it came and the list row', () => {
    const decision = decideRead(arrearsRead('부산12가-3456'), lists);
    expect(decision).toMatchObject({
      outcome: 'hit',
      hit: {
        list: 'arrears',
        plate: '부산12가3456',
        read: { car_plate_number: '부산12가-3456' },
        listing: { car_plate_number: '부산 12 가 3456', total_arrears_amount: 1_500_000 },
      },
    });
  });

  it('a list row whose plate is not a plate is refused, never matched', () => {
    expect(new MasterLists().applyArrears(arrearsInfo('미상'), DAY1, DAY1)).toBeNull();
  });
});

describe('daily snapshots', () => {
  it('a plate missing from the newest snapshot is delisted when it settles, and stops hitting', () => {
    const lists = new MasterLists(SETTLE_MS);
    lists.applyArrears(arrearsInfo('12가3456'), DAY1, DAY1);
    lists.applyArrears(arrearsInfo('34나5678'), DAY1, DAY1);
    expect(lists.tick(DAY1 + SETTLE_MS).arrears).toEqual([]);
    // Day 2's dump: 12가3456 paid.
    lists.applyArrears(arrearsInfo('34나5678'), DAY2, DAY2);
    // Until the dump settles the old listing still holds (the dump may not be complete).
    expect(decideRead(arrearsRead('12가3456'), lists).outcome).toBe('hit');
    expect(lists.tick(DAY2 + SETTLE_MS - 1).arrears).toEqual([]);
    const gone = lists.tick(DAY2 + SETTLE_MS).arrears;
    expect(gone.map((g) => [g.key, g.snapshotDay])).toEqual([['12가3456', '2025-12-10']]);
    expect(decideRead(arrearsRead('12가3456'), lists)).toEqual({
      outcome: 'delisted',
      plate: '12가3456',
      snapshotDay: '2025-12-10',
    });
    expect(decideRead(arrearsRead('34나5678'), lists).outcome).toBe('hit');
  });

  it('a row of a later day settles the previous snapshot at once (a replay of several days)', () => {
    const list = new MasterList<string>(SETTLE_MS);
    list.apply('A', 'a', DAY1, DAY1);
    list.apply('B', 'b', DAY1, DAY1);
    // Both days arrive within a second: the replayed backlog after a restart.
    const first = list.apply('B', 'b', DAY2, DAY1 + 1);
    expect(first.delisted).toEqual([]);
    const third = list.apply('C', 'c', DAY2 + 24 * 60 * 60_000, DAY1 + 2);
    expect(third.delisted.map((d) => d.key)).toEqual(['A']);
    expect(list.get('A')).toBeUndefined();
    expect(list.get('B')).toBe('b');
  });

  it('a late row of an older snapshot is stale and revives nothing', () => {
    const list = new MasterList<string>(SETTLE_MS);
    list.apply('A', 'a', DAY1, DAY1);
    list.apply('B', 'b', DAY2, DAY2);
    list.tick(DAY2 + SETTLE_MS);
    expect(list.delistedSince('A')).toBe('2025-12-10');
    expect(list.apply('A', 'a', DAY1, DAY2 + SETTLE_MS + 1).outcome).toBe('stale');
    expect(list.get('A')).toBeUndefined();
  });

  it('a plate listed again by a later snapshot hits again', () => {
    const list = new MasterList<string>(SETTLE_MS);
    list.apply('A', 'a', DAY1, DAY1);
    list.apply('B', 'b', DAY2, DAY2);
    list.tick(DAY2 + SETTLE_MS);
    list.apply('A', 'a2', DAY2 + 24 * 60 * 60_000, DAY2 + 24 * 60 * 60_000);
    expect(list.get('A')).toBe('a2');
    expect(list.delistedSince('A')).toBeNull();
  });

  it('a store row does not revive a delisted plate, but one added upstream today survives today', () => {
    const list = new MasterList<string>(SETTLE_MS);
    list.apply('A', 'a', DAY1, DAY1);
    list.apply('B', 'b', DAY2, DAY2);
    expect(list.confirmFromStore('C', 'c', DAY2 + 1_000)).toBe(true);
    list.tick(DAY2 + SETTLE_MS);
    expect(list.confirmFromStore('A', 'a', DAY2 + SETTLE_MS)).toBe(false);
    expect(list.get('A')).toBeUndefined();
    expect(list.get('C')).toBe('c');
  });

  it('a found person leaves the plate index too', () => {
    const lists = new MasterLists(SETTLE_MS);
    lists.applyMissing(person('P1', '123가4567'), DAY1, DAY1);
    lists.applyMissing(person('P2', '55다1234'), DAY2, DAY2);
    const gone = lists.tick(DAY2 + SETTLE_MS).missing;
    expect(gone.map((g) => g.key)).toEqual(['P1']);
    expect(decideRead(missingRead('123가4567'), lists).outcome).toBe('unlisted');
    expect(decideRead(missingRead('123가4567', 'P1'), lists)).toMatchObject({
      outcome: 'delisted',
    });
  });
});

describe('reads that arrive before their list row', () => {
  it('are held, become hits when the list catches up, and count as unmatched after the hold', () => {
    const lists = new MasterLists(SETTLE_MS);
    const held = new UnmatchedReads(10 * 60_000, 100);
    for (const [plate, id] of [
      ['12가3456', 'A1'],
      ['99허9999', 'A2'],
    ] as const) {
      const read = arrearsRead(plate, true, id);
      const decision = decideRead(read, lists);
      expect(decision.outcome).toBe('unlisted');
      if (decision.outcome === 'unlisted') held.hold(read, decision.plate, DAY1);
    }
    expect(held.recheck(lists)).toEqual([]);
    lists.applyArrears(arrearsInfo('12 가 3456'), DAY1, DAY1 + 5_000);
    const caught = held.recheck(lists);
    expect(caught.map((c) => [c.read.read.row.detection_id, c.decision.outcome])).toEqual([
      ['A1', 'hit'],
    ]);
    expect(held.size).toBe(1);
    expect(held.expire(DAY1 + 10 * 60_000 - 1)).toEqual([]);
    expect(held.expire(DAY1 + 10 * 60_000).map((h) => h.plate)).toEqual(['99허9999']);
    expect(held.size).toBe(0);
  });

  it('hold at most the capacity, pushing out the oldest; a redelivered read is held once', () => {
    const held = new UnmatchedReads(60_000, 2);
    expect(held.hold(arrearsRead('12가3456', true, 'A1'), '12가3456', DAY1)).toEqual([]);
    expect(held.hold(arrearsRead('12가3456', true, 'A1'), '12가3456', DAY1)).toEqual([]);
    expect(held.hold(arrearsRead('34나5678', true, 'A2'), '34나5678', DAY1)).toEqual([]);
    const out = held.hold(arrearsRead('56다7890', true, 'A3'), '56다7890', DAY1);
    expect(out.map((o) => o.read.row.detection_id)).toEqual(['A1']);
    expect(held.size).toBe(2);
  });
});

describe('one hit, one alert', () => {
  it('the alert of a hit names the normal plate and the list row, placed where it was read', () => {
    const lists = new MasterLists(SETTLE_MS);
    lists.applyArrears(arrearsInfo('부산 12 가 3456', 3_200_000), DAY1, DAY1);
    const decision = decideRead(arrearsRead('부산12가3456'), lists);
    if (decision.outcome !== 'hit') throw new Error('expected a hit');
    const detection = plateHitDetection(decision.hit, {
      vehicleOfPlate: (plate) =>
        plate === '부산12가3456' ? { carId: 'c1', plate, position: null } : null,
      placeAt: () => null,
    });
    expect(detection).toMatchObject({
      sourceId: 'arrears_detection:A1',
      type: 'ARREARS_HIT',
      severity: 'high',
      vehicleKey: 'car:c1',
      plate: '부산12가3456',
      position: { lon: 129.0, lat: 35.1 },
      evidence: { imageId: 'img-A1', amountKrw: 3_200_000, ocrConfidence: 0.93 },
    });
  });
});
