import { describe, expect, it } from 'vitest';
import { maskViolation, unmaskedViolation } from '../../../server/domain/interlock-masking';
import type { Violation } from '../../../shared/interlock';

const violation: Violation = {
  id: 1,
  rule: 'alcohol_start',
  grade: 'major',
  status: 'open',
  version: 1,
  occurredMs: 0,
  createdMs: 0,
  updatedMs: 0,
  device: {
    deviceId: 'D1',
    serialNumber: 'BS25-000001',
    model: 'BreathSafe K-200',
    operatorId: 'O1',
    operatorName: '부산인터락서비스',
  },
  subject: {
    subjectId: 'S1',
    name: '남궁민수',
    licenceNumber: '12-19-123456-78',
    phone: '010-1234-5678',
    obligationStartMs: 0,
    obligationEndMs: 1,
  },
  carId: 'car_000001',
  plate: '12가3456',
  lon: 129.05,
  lat: 35.15,
  dongName: '범천2동',
  districtName: '부산진구',
  bac: 0.08,
  evidenceEventIds: ['E1'],
  alertId: 3,
  dispatchId: null,
  maskedFields: [],
};

describe('violation masking', () => {
  it('hides the driver’s name, licence and phone, and says so', () => {
    const masked = maskViolation(violation);
    expect(masked.subject).toEqual({
      ...violation.subject,
      name: '남**수',
      licenceNumber: '12************8',
      phone: '01**********8',
    });
    expect(masked.maskedFields).toEqual(['name', 'licenceNumber', 'phone']);
    // Everything else stays, and the original is untouched.
    expect({ ...masked, subject: null, maskedFields: [] }).toEqual({ ...violation, subject: null });
    expect(violation.subject?.name).toBe('남궁민수');
  });

  it('names only the fields it hid; a violation without a driver hides nothing', () => {
    const partial = maskViolation({
      ...violation,
      subject: { ...violation.subject!, licenceNumber: null, phone: null },
    });
    expect(partial.maskedFields).toEqual(['name']);
    expect(maskViolation({ ...violation, subject: null }).maskedFields).toEqual([]);
    expect(unmaskedViolation(maskViolation(violation)).maskedFields).toEqual([]);
  });
});
