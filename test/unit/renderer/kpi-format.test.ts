import { describe, expect, it } from 'vitest';
import {
  formatKpiTarget,
  formatKpiValue,
  kpiTone,
} from '../../../renderer/src/features/kpis/kpi-format';

describe('KPI panel figures', () => {
  it('formats each unit, and 99.9 % never rounds to 100 %', () => {
    expect(formatKpiValue(4_250, 'ms')).toBe('4.3 s');
    expect(formatKpiValue(12_400, 'ms')).toBe('12 s');
    expect(formatKpiValue(0.9512, 'ratio')).toBe('95.1 %');
    expect(formatKpiValue(0.99949, 'ratio')).toBe('99.95 %');
    expect(formatKpiValue(1, 'ratio')).toBe('100.0 %');
    expect(formatKpiValue(12_345, 'messages')).toBe('12,345');
    expect(formatKpiValue(99, 'count')).toBe('99');
  });

  it('shows the target with its comparison', () => {
    expect(formatKpiTarget({ target: 5_000, comparison: 'lt', unit: 'ms' })).toBe('< 5.0 s');
    expect(formatKpiTarget({ target: 0.999, comparison: 'gte', unit: 'ratio' })).toBe('≥ 99.90 %');
    expect(formatKpiTarget({ target: 100, comparison: 'gte', unit: 'count' })).toBe('≥ 100');
  });

  it('a miss is red, no data is neither', () => {
    expect(kpiTone({ met: false })).toBe('missed');
    expect(kpiTone({ met: true })).toBe('met');
    expect(kpiTone({ met: null })).toBe('no-data');
  });
});
