/**
 * How a KPI figure reads on the panel: value and target in the same unit, and whether it is shown
 * as a miss (red). Pure, so the panel's rules are tested without a browser.
 */
import type { KpiComparison, KpiFigure, KpiUnit } from '../../../../shared/kpis';

const MS_PER_SECOND = 1000;
const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

export function formatKpiValue(value: number, unit: KpiUnit): string {
  switch (unit) {
    case 'ms':
      return `${(value / MS_PER_SECOND).toFixed(value < 10 * MS_PER_SECOND ? 1 : 0)} s`;
    case 'ratio': {
      const percent = value * 100;
      // 99.9 % must not round up to "100 %" while it misses a 99.95 % target; one decimal, or two
      // close to 100.
      return `${percent.toFixed(percent >= 99 && percent < 100 ? 2 : 1)} %`;
    }
    case 'count':
    case 'messages':
      return String(Math.round(value)).replace(THOUSANDS, ',');
  }
}

const COMPARISON_SIGN: Readonly<Record<KpiComparison, string>> = {
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
};

/** A figure without a target (one the seed sets no measurable target for) shows a dash. */
export const NO_TARGET = '—';

export function formatKpiTarget(figure: Pick<KpiFigure, 'target' | 'comparison' | 'unit'>): string {
  if (figure.target === null) return NO_TARGET;
  return `${COMPARISON_SIGN[figure.comparison]} ${formatKpiValue(figure.target, figure.unit)}`;
}

/** `info`: a value with no target to meet (neither a hit nor a miss, but not missing either). */
export type KpiTone = 'met' | 'missed' | 'no-data' | 'info';

export function kpiTone(figure: Pick<KpiFigure, 'met'> & Partial<KpiFigure>): KpiTone {
  if (figure.target === null && figure.value !== null && figure.value !== undefined) return 'info';
  return figure.met === null ? 'no-data' : figure.met ? 'met' : 'missed';
}

/** The seed 001 §10 (interlock) figures, listed under their own heading. */
export function isInterlockKpi(id: string | undefined): boolean {
  return id !== undefined && id.startsWith('interlock_');
}
