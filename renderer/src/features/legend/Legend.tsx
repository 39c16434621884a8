/**
 * One legend for everything the map draws, from the same constants the layers draw with:
 * vehicles (small dots: a state, else a speed), alert markers by severity (each severity its own
 * form — a double white ring, a white ring, a dark ring, a hollow ring — so it reads without
 * hue), and interlock violations (white-ringed dots, major and minor). A slim strip along the
 * bottom edge, inside the map's fit padding: it never covers Busan.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, type Severity } from '../../../../shared/alerts';
import { VIOLATION_GRADES } from '../../../../shared/interlock';
import {
  ALERT_MARKER_RING,
  markerOutlineColor,
  SEVERITY_COLORS,
  SEVERITY_MARKERS,
} from '../alerts/alert-visuals';
import {
  cssColor,
  GRADE_COLORS,
  VIOLATION_MARKER_OUTLINE,
  VIOLATION_MARKERS,
} from '../interlock/interlock-visuals';
import {
  rgbToCss,
  VEHICLE_COLOR_ARREARS,
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
  VEHICLE_COLOR_MISSING_PERSON,
  VEHICLE_COLOR_SLOW,
  VEHICLE_COLOR_STOPPED,
  type Rgb,
} from '../../map/vehicle-colors';
import './legend.css';

type VehicleKey = 'missing' | 'arrears' | 'drowsy' | 'stopped' | 'slow' | 'medium' | 'fast';

const VEHICLES: readonly (readonly [key: VehicleKey, color: Rgb])[] = [
  ['missing', VEHICLE_COLOR_MISSING_PERSON],
  ['arrears', VEHICLE_COLOR_ARREARS],
  ['drowsy', VEHICLE_COLOR_DROWSY],
  ['stopped', VEHICLE_COLOR_STOPPED],
  ['slow', VEHICLE_COLOR_SLOW],
  ['medium', VEHICLE_COLOR_MEDIUM],
  ['fast', VEHICLE_COLOR_FAST],
];
/** The legend's vehicle dot: a little larger than on the map (3 px) so its colour is legible. */
const VEHICLE_DOT_RADIUS = 4;
/** Most urgent first, as the inbox sorts. */
const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** The largest swatch on screen: the strip is 34 px high; bigger forms are drawn scaled. */
const MAX_SWATCH_PX = 24;

function Swatch({ size, children }: { size: number; children: ReactNode }) {
  const shown = Math.min(size, MAX_SWATCH_PX);
  return (
    <svg
      className="legend__swatch"
      width={shown}
      height={shown}
      viewBox={`${-size / 2} ${-size / 2} ${size} ${size}`}
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

function SeveritySwatch({ severity }: { severity: Severity }) {
  const form = SEVERITY_MARKERS[severity];
  const outer = form.outerRingPx;
  const size = 2 * ((outer ?? form.radiusPx) + form.outlinePx) + 2;
  return (
    <Swatch size={size}>
      {outer !== null && (
        <circle r={outer} fill="none" stroke={rgbToCss(ALERT_MARKER_RING)} strokeWidth={2} />
      )}
      <circle
        r={form.radiusPx}
        fill={form.filled ? rgbToCss(SEVERITY_COLORS[severity]) : 'none'}
        stroke={rgbToCss(markerOutlineColor(severity))}
        strokeWidth={form.outlinePx}
      />
    </Swatch>
  );
}

export function Legend() {
  const { t } = useTranslation();
  return (
    <section className="legend" aria-label={t('legend.title')} data-testid="map-legend">
      <h2 className="legend__title">{t('legend.vehicles')}</h2>
      <ul className="legend__list">
        {VEHICLES.map(([key, color]) => (
          <li key={key} className="legend__item" data-testid={`legend-vehicle-${key}`}>
            <Swatch size={2 * VEHICLE_DOT_RADIUS + 2}>
              <circle r={VEHICLE_DOT_RADIUS} fill={rgbToCss(color)} />
            </Swatch>
            {t(`legend.${key}`)}
          </li>
        ))}
      </ul>
      <h2 className="legend__title">{t('legend.alerts')}</h2>
      <ul className="legend__list">
        {SEVERITY_ORDER.map((severity) => (
          <li key={severity} className="legend__item" data-testid={`legend-alert-${severity}`}>
            <SeveritySwatch severity={severity} />
            {t(`severity.${severity}`)}
          </li>
        ))}
      </ul>
      <h2 className="legend__title">{t('legend.violations')}</h2>
      <ul className="legend__list">
        {[...VIOLATION_GRADES].reverse().map((grade) => {
          const form = VIOLATION_MARKERS[grade];
          return (
            <li key={grade} className="legend__item" data-testid={`legend-violation-${grade}`}>
              <Swatch size={2 * (form.radiusPx + form.outlinePx) + 2}>
                <circle
                  r={form.radiusPx}
                  fill={cssColor(GRADE_COLORS[grade])}
                  stroke={cssColor(VIOLATION_MARKER_OUTLINE)}
                  strokeWidth={form.outlinePx}
                />
              </Swatch>
              {t(`interlock.grade.${grade}`)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
