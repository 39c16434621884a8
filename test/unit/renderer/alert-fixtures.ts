import type { Alert } from '../../../shared/alerts';

const BASE_MS = Date.UTC(2025, 11, 9, 5, 30, 0);

/** A whole alert payload as the relay sends it, with the fields a test cares about overridden. */
export function makeAlert(overrides: Partial<Alert> & { id: number }): Alert {
  return {
    type: 'DROWSY',
    severity: 'medium',
    status: 'new',
    escalated: false,
    version: 1,
    seq: overrides.id,
    count: 1,
    firstSeenMs: BASE_MS,
    lastSeenMs: BASE_MS,
    createdMs: BASE_MS,
    updatedMs: BASE_MS,
    deadlineMs: BASE_MS + 600_000,
    carId: `car-${overrides.id}`,
    plate: '12가3456',
    lon: 129.07,
    lat: 35.18,
    dongCode: '2105051000',
    dongName: '부전1동',
    districtCode: '21050',
    districtName: '부산진구',
    evidence: { type: 'DROWSY', drowsyId: 'd1', sessionId: 's1', gazeClosure: 8, headDrop: 1 },
    maskedFields: [],
    assignee: null,
    acknowledgedBy: null,
    acknowledgedAtMs: null,
    dispatchedBy: null,
    dispatchedAtMs: null,
    resolvedBy: null,
    resolvedAtMs: null,
    resolution: null,
    resolutionNote: null,
    commentCount: 0,
    ...overrides,
  };
}

export const T0 = BASE_MS;
