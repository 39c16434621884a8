import { describe, expect, it } from 'vitest';
import { csvFileName, csvKindOf } from '../../../renderer/src/features/exports/download-csv';

/** 2026-12-05 14:32:59 KST. */
const AT = Date.UTC(2026, 11, 5, 5, 32, 59);

describe('CSV file names', () => {
  it('say what the file holds and when, in KST to the minute', () => {
    expect(csvFileName('경보', AT)).toBe('경보_2026-12-05_1432.csv');
    expect(csvFileName('audit-log', AT)).toBe('audit-log_2026-12-05_1432.csv');
  });

  it('turn over to the next KST day at 15:00 UTC', () => {
    expect(csvFileName('경보', Date.UTC(2026, 11, 5, 15, 0))).toBe('경보_2026-12-06_0000.csv');
  });

  it('keep characters a file system refuses out of the label', () => {
    expect(csvFileName('a/b: c', AT)).toBe('a-b-c_2026-12-05_1432.csv');
  });

  it('know the export endpoints by path, whatever the query', () => {
    expect(csvKindOf('/api/alerts.csv?limit=5000')).toBe('alerts');
    expect(csvKindOf('/api/audit.csv')).toBe('audit');
    expect(csvKindOf('/api/other.csv')).toBeNull();
  });
});
