import { describe, expect, it } from 'vitest';
import {
  arrearsSeverity,
  deriveDetections,
  drowsySeverity,
  plateHitDetection,
  type DetectionRows,
  type RuleContext,
  type VehicleRef,
} from '../../../server/domain/alert-rules';
import {
  decideRead,
  MasterLists,
  type PlateHit,
  type PlateRead,
} from '../../../server/domain/plate-hits';
import type { TopicRow } from '../../../shared/topics';

const T = Date.UTC(2025, 11, 9, 5, 30);

const cars: Record<string, VehicleRef> = {
  c1: { carId: 'c1', plate: '12가3456', position: { lon: 129.06, lat: 35.16 } },
  c2: { carId: 'c2', plate: '34나5678', position: null },
};
const arrears: TopicRow<'arrears_info'> = {
  car_plate_number: '12가3456',
  arrears_user_id: 'u1',
  total_arrears_amount: 1_250_000,
  notice_count: 3,
};
const missing: TopicRow<'missing_person_info'> = {
  missing_id: 'm1',
  name: '김민수',
  age: 72,
  sex: '남',
  car_plate_number: '34나5678',
  description: '회색 점퍼',
  reported_at: T - 3_600_000,
};

const ctx: RuleContext = {
  vehicleOfSession: (s) => (s === 'S1' ? cars.c1! : null),
  vehicleOfPlate: (p) => Object.values(cars).find((c) => c.plate === p) ?? null,
  placeAt: (lon) =>
    lon > 129
      ? {
          dongCode: '2105084',
          dongName: '범천2동',
          districtCode: '21050',
          districtName: '부산진구',
        }
      : null,
};

const none = (): DetectionRows => ({ drowsy_drive: [] });

const lists = new MasterLists();
lists.applyArrears(arrears, T, T);
lists.applyMissing(missing, T, T);

/** The alerts of the reads the one hit rule decides are hits. */
function hitDetections(reads: PlateRead[]) {
  return reads
    .map((read) => decideRead(read, lists))
    .flatMap((d) => (d.outcome === 'hit' ? [d.hit] : ([] as PlateHit[])))
    .map((hit) => plateHitDetection(hit, ctx));
}

describe('drowsy severity from eye closures and head drops', () => {
  it.each([
    [2, 0, 'low'],
    [null, null, 'low'],
    [7, 0, 'medium'],
    [3, 2, 'medium'],
    [12, 0, 'high'],
    [6, 3, 'high'],
    [10, 4, 'critical'],
    [8, 5, 'critical'],
    [-3, 9, 'critical'],
  ] as const)('gaze %s, head %s → %s', (gaze, head, severity) => {
    expect(drowsySeverity(gaze, head)).toBe(severity);
  });
});

describe('arrears severity from amount and notices', () => {
  it.each([
    [200_000, 1, 'low'],
    [null, null, 'low'],
    [1_000_000, 1, 'medium'],
    [200_000, 5, 'medium'],
    [3_000_000, 1, 'high'],
    [100_000, 10, 'high'],
  ] as const)('%s원, %s notices → %s', (amount, notices, severity) => {
    expect(arrearsSeverity(amount, notices)).toBe(severity);
  });
});

describe('deriving detections', () => {
  it('places a drowsy alert at the car’s last known position', () => {
    const rows = none();
    rows.drowsy_drive.push({
      drowsy_id: 'D1',
      session_id: 'S1',
      detected_at: T,
      gaze_closure: 9,
      head_drop: 2,
    });
    const [d] = deriveDetections(rows, ctx);
    expect(d).toMatchObject({
      sourceId: 'drowsy_drive:D1',
      type: 'DROWSY',
      severity: 'high',
      vehicleKey: 'car:c1',
      carId: 'c1',
      plate: '12가3456',
      position: { lon: 129.06, lat: 35.16 },
      place: { districtName: '부산진구', dongName: '범천2동' },
      evidence: { gazeClosure: 9, headDrop: 2 },
    });
  });

  it('still raises a drowsy alert for a session the fleet does not know yet', () => {
    const rows = none();
    rows.drowsy_drive.push({
      drowsy_id: 'D2',
      session_id: 'S?',
      detected_at: T,
      gaze_closure: 3,
      head_drop: null,
    });
    const [d] = deriveDetections(rows, ctx);
    expect(d).toMatchObject({ vehicleKey: 'session:S?', carId: null, position: null, place: null });
  });

  it('raises an arrears hit only for a successful read of a listed plate', () => {
    const detection = (over: Partial<TopicRow<'arrears_detection'>>) => ({
      detection_id: 'A1',
      image_id: 'I1',
      car_plate_number: '12가3456',
      detection_success: true,
      detected_lat: 35.1,
      detected_lon: 129.1,
      detected_time: T,
      confidence: 0.93,
      ...over,
    });
    const found = hitDetections(
      [
        detection({}),
        detection({ detection_id: 'A2', detection_success: false }),
        detection({ detection_id: 'A3', car_plate_number: '99허9999' }),
        detection({ detection_id: 'A4', car_plate_number: null }),
      ].map((row) => ({ list: 'arrears', row }) as const),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      sourceId: 'arrears_detection:A1',
      type: 'ARREARS_HIT',
      severity: 'medium',
      position: { lon: 129.1, lat: 35.1 },
      evidence: { amountKrw: 1_250_000, noticeCount: 3, ocrConfidence: 0.93, arrearsUserId: 'u1' },
    });
  });

  it('raises a critical missing-person hit only on success', () => {
    const row = {
      detection_id: 'M1',
      image_id: 'I2',
      car_plate_number: '34나5678',
      missing_id: 'm1',
      detection_success: true,
      detected_lat: null,
      detected_lon: null,
      detected_time: T,
    };
    const found = hitDetections(
      [row, { ...row, detection_id: 'M2', detection_success: false }].map(
        (r) => ({ list: 'missing', row: r }) as const,
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'MISSING_PERSON_HIT',
      severity: 'critical',
      vehicleKey: 'car:c2',
      position: null,
      evidence: { name: '김민수', age: 72, ageBand: 70, sex: '남', missingId: 'm1' },
    });
  });

  it('returns detections oldest first', () => {
    const rows = none();
    rows.drowsy_drive.push(
      {
        drowsy_id: 'late',
        session_id: 'S1',
        detected_at: T + 5_000,
        gaze_closure: null,
        head_drop: null,
      },
      { drowsy_id: 'early', session_id: 'S1', detected_at: T, gaze_closure: null, head_drop: null },
    );
    expect(deriveDetections(rows, ctx).map((d) => d.sourceId)).toEqual([
      'drowsy_drive:early',
      'drowsy_drive:late',
    ]);
  });
});
