/**
 * Blood alcohol shown one way everywhere (issue 19): the panels' format is the audit log's words
 * and the relay's alert CSV, from the one rule in shared/bac.ts.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatBac } from '../../../shared/bac';
import { alertsCsv } from '../../../server/alerts/csv';
import { makeAlert } from '../renderer/alert-fixtures';

describe('formatBac', () => {
  it('writes % with three decimals, then ‰', () => {
    expect(formatBac(0.05)).toBe('0.050% (0.50‰)');
    expect(formatBac(0.081)).toBe('0.081% (0.81‰)');
    expect(formatBac(0)).toBe('0.000% (0.00‰)');
  });
});

// The audit log's words for a reading: test/unit/renderer/audit-words.test.ts.
describe('the same reading in the CSV', () => {
  it('the alert CSV’s evidence names the reading as the panels do', () => {
    const alert = makeAlert({
      id: 7,
      type: 'INTERLOCK',
      evidence: {
        type: 'INTERLOCK',
        violationId: '31',
        deviceId: 'ILD-1',
        rule: 'alcohol_retest',
        bac: 0.05,
      },
    });
    const rows = parse(alertsCsv([alert]).replace(/^\uFEFF/u, ''), {
      columns: true,
    }) as Record<string, string>[];
    expect(rows[0]!['근거']).toBe('위반 31, 혈중알코올농도 0.050% (0.50‰)');
  });
});
