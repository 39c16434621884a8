import type { Dispatch, Violation } from '../../../shared/interlock';

export const T0 = Date.UTC(2025, 11, 9, 5, 30, 0);

/** A whole violation payload as the relay sends it (masked), with chosen fields overridden. */
export function makeViolation(overrides: Partial<Violation> & { id: number }): Violation {
  return {
    rule: 'alcohol_start',
    grade: 'major',
    status: 'open',
    version: 1,
    occurredMs: T0,
    createdMs: T0,
    updatedMs: T0,
    device: {
      deviceId: `ILD-${overrides.id}`,
      serialNumber: `BS25-${String(overrides.id).padStart(6, '0')}`,
      model: 'BreathSafe K-200',
      operatorId: 'ILO-1',
      operatorName: '부산인터락서비스',
    },
    subject: {
      subjectId: `ILS-${overrides.id}`,
      name: '김*수',
      licenceNumber: '12-**-******-78',
      phone: '010-****-5678',
      obligationStartMs: T0 - 30 * 86_400_000,
      obligationEndMs: T0 + 300 * 86_400_000,
    },
    carId: null,
    plate: '12가3456',
    lon: 129.05,
    lat: 35.15,
    dongName: '부전1동',
    districtName: '부산진구',
    bac: 0.05,
    evidenceEventIds: [`E-${overrides.id}`],
    alertId: null,
    dispatchId: null,
    maskedFields: ['name', 'licenceNumber', 'phone'],
    ...overrides,
  };
}

export function makeDispatch(overrides: Partial<Dispatch> & { id: number }): Dispatch {
  return {
    violationId: overrides.id,
    idempotencyKey: `key-${overrides.id}`,
    state: 'requested',
    version: 1,
    attempts: 0,
    attemptLimit: 6,
    nextAttemptMs: null,
    lastError: null,
    lastHttpStatus: null,
    caseNumber: null,
    awaitingPerson: false,
    requestedBy: 'op.kim',
    requestedMs: T0,
    requestNote: null,
    approvedBy: null,
    approvedMs: null,
    manualOutcome: null,
    manualBy: null,
    manualMs: null,
    manualNote: null,
    createdMs: T0,
    updatedMs: T0,
    attemptLog: [],
    ...overrides,
  };
}
