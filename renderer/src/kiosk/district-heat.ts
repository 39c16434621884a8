/**
 * The district heat view's rule: open alerts per district (구·군) and the colour each count gets,
 * as a MapLibre `fill-color` expression over the basemap's district polygons (property `code`).
 * Pure, tested in Node.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import { isOpenAlert, type AlertsById } from '../features/alerts/alert-list';

/** Open alerts per district code; alerts the relay could not place are not counted. */
export function openAlertsByDistrict(byId: AlertsById): Map<string, number> {
  const counts = new Map<string, number>();
  for (const alert of Object.values(byId)) {
    if (!isOpenAlert(alert) || alert.districtCode === null) continue;
    counts.set(alert.districtCode, (counts.get(alert.districtCode) ?? 0) + 1);
  }
  return counts;
}

export interface HeatStep {
  /** The fewest open alerts this colour stands for. */
  min: number;
  color: string;
}

/**
 * Fixed steps (not relative to today's maximum), so a colour means the same on every wall and at
 * every hour. Dark violet to hot yellow, rising in lightness: readable without colour vision too.
 * A district with none keeps the land colour.
 */
export const HEAT_STEPS: readonly HeatStep[] = [
  { min: 1, color: '#5b2a86' },
  { min: 2, color: '#9c2f8f' },
  { min: 4, color: '#d9466a' },
  { min: 7, color: '#f7803a' },
  { min: 10, color: '#ffd23f' },
];
export const HEAT_NONE_COLOR = 'rgba(0, 0, 0, 0)';

/** The step a count falls in, or null for none. */
export function heatStep(count: number): HeatStep | null {
  let step: HeatStep | null = null;
  for (const candidate of HEAT_STEPS) if (count >= candidate.min) step = candidate;
  return step;
}

/** "2–3", "10+": the legend's text for a step. */
export function heatStepLabel(index: number): string {
  const step = HEAT_STEPS[index];
  if (step === undefined) throw new RangeError(`no heat step ${index}`);
  const next = HEAT_STEPS[index + 1];
  if (next === undefined) return `${step.min}+`;
  return next.min - 1 === step.min ? String(step.min) : `${step.min}–${next.min - 1}`;
}

/** `fill-color` for the district polygons: each counted district's step colour, else none. */
export function heatFillColor(
  counts: ReadonlyMap<string, number>,
): ExpressionSpecification | string {
  const pairs: string[] = [];
  for (const [code, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const step = heatStep(count);
    if (step !== null) pairs.push(code, step.color);
  }
  // A `match` needs at least one case; with none, every district has the same colour.
  const [firstCode, firstColor, ...rest] = pairs;
  if (firstCode === undefined || firstColor === undefined) return HEAT_NONE_COLOR;
  return ['match', ['get', 'code'], firstCode, firstColor, ...rest, HEAT_NONE_COLOR];
}
