import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/alerts';
import {
  maskAlert,
  maskEvidence,
  maskIdentifier,
  maskName,
  unmaskedAlert,
} from '../../../server/domain/masking';
import { createAlert, DEFAULT_ALERT_POLICY } from '../../../server/domain/alert-lifecycle';
import type { Detection } from '../../../server/domain/alert-rules';

describe('masking names and identifiers', () => {
  it.each([
    ['김민수', '김*수'],
    ['남궁민수', '남**수'],
    ['이수', '이*'],
    ['김', '*'],
    ['', ''],
    [' 박지성 ', '박*성'],
    ['John Smith', 'J********h'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('keeps the first two and the last character of an identifier', () => {
    expect(maskIdentifier('AU-0012345')).toBe('AU*******5');
    expect(maskIdentifier('abc')).toBe('***');
    expect(maskIdentifier('010-1234-5678')).toBe('01**********8');
  });
});

const missingDetection: Detection = {
  sourceId: 'missing_person_detection:MPD1',
  type: 'MISSING_PERSON_HIT',
  severity: 'critical',
  atMs: 1_000,
  vehicleKey: 'car:c1',
  carId: 'c1',
  plate: '34나5678',
  position: { lon: 129.05, lat: 35.15 },
  place: null,
  evidence: {
    type: 'MISSING_PERSON_HIT',
    detectionId: 'MPD1',
    imageId: 'IMG1',
    missingId: 'm1',
    name: '김민수',
    age: 72,
    ageBand: 70,
    sex: '남',
    description: '치매 증상, 회색 점퍼',
    reportedAtMs: 0,
  },
};

describe('masking alerts', () => {
  const alert: Alert = createAlert(missingDetection, DEFAULT_ALERT_POLICY, 1_000);

  it('hides a missing person’s name, exact age and description, and says so', () => {
    const masked = maskAlert(alert);
    expect(masked.evidence).toMatchObject({
      name: '김*수',
      age: null,
      ageBand: 70,
      sex: '남',
      description: null,
    });
    expect(masked.maskedFields).toEqual(['name', 'age', 'description']);
    expect(JSON.stringify(masked)).not.toContain('김민수');
    expect(JSON.stringify(masked)).not.toContain('치매');
    // The stored alert is untouched.
    expect(alert.evidence).toMatchObject({ name: '김민수' });
  });

  it('hides the arrears debtor id but keeps amount and notices', () => {
    const { evidence, maskedFields } = maskEvidence({
      type: 'ARREARS_HIT',
      detectionId: 'A1',
      imageId: null,
      amountKrw: 1_250_000,
      noticeCount: 3,
      ocrConfidence: 0.93,
      arrearsUserId: 'u-778812',
    });
    expect(evidence).toMatchObject({
      amountKrw: 1_250_000,
      noticeCount: 3,
      arrearsUserId: 'u-*****2',
    });
    expect(maskedFields).toEqual(['arrearsUserId']);
  });

  it('has nothing to hide in drowsy evidence', () => {
    const { maskedFields } = maskEvidence({
      type: 'DROWSY',
      drowsyId: 'D1',
      sessionId: 'S1',
      gazeClosure: 5,
      headDrop: 1,
    });
    expect(maskedFields).toEqual([]);
  });

  it('unmasks for the audited answer only', () => {
    expect(unmaskedAlert(alert).evidence).toMatchObject({ name: '김민수', age: 72 });
    expect(unmaskedAlert(alert).maskedFields).toEqual([]);
  });
});
