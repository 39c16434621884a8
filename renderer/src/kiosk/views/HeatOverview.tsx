import { useMemo } from 'react';
import { districtsIn } from '../../features/alerts/districts';
import { useAppStore } from '../../store';
import { Bi } from '../Bi';
import { HEAT_STEPS, heatStepLabel, openAlertsByDistrict } from '../district-heat';
import { KIOSK_TEXT } from '../kiosk-text';
import { formatCount } from './use-alert-figures';

const TOP_DISTRICTS = 3;
const NAMES_KO = new Map(districtsIn('ko').map((d) => [d.code, d.name]));
const NAMES_EN = new Map(districtsIn('en').map((d) => [d.code, d.name]));

/**
 * The district heat view's panel: the colour key and the districts with the most open alerts.
 * The coloured districts are KioskMap's DistrictHeatFill behind it.
 */
export function HeatOverview() {
  const alertsById = useAppStore((state) => state.alertsById);
  const counts = useMemo(() => openAlertsByDistrict(alertsById), [alertsById]);
  const top = [...counts]
    .filter(([code]) => NAMES_KO.has(code))
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, TOP_DISTRICTS);

  return (
    <section className="kiosk-view kiosk-view--heat" data-testid="kiosk-view-heat">
      <aside className="kiosk-side">
        <h2 className="kiosk-side__title">
          <Bi text={KIOSK_TEXT.heatLegend} />
        </h2>
        <ul className="kiosk-heat-key">
          <li className="kiosk-heat-key__step">
            <span className="kiosk-heat-key__swatch kiosk-heat-key__swatch--none" />
            <Bi text={KIOSK_TEXT.heatNone} inline />
          </li>
          {HEAT_STEPS.map((step, index) => (
            <li key={step.min} className="kiosk-heat-key__step">
              <span className="kiosk-heat-key__swatch" style={{ background: step.color }} />
              {heatStepLabel(index)}
            </li>
          ))}
        </ul>
        <h2 className="kiosk-side__title">
          <Bi text={KIOSK_TEXT.heatTop} />
        </h2>
        {top.length === 0 ? (
          <p className="kiosk-side__empty">
            <Bi text={KIOSK_TEXT.noOpenAlerts} />
          </p>
        ) : (
          <ol className="kiosk-heat-top" data-testid="kiosk-heat-top">
            {top.map(([code, count]) => (
              <li key={code} className="kiosk-heat-top__item" data-district={code}>
                <span className="kiosk-heat-top__count">{formatCount(count)}</span>
                <Bi
                  text={{ ko: NAMES_KO.get(code) ?? code, en: NAMES_EN.get(code) ?? code }}
                  inline
                />
              </li>
            ))}
          </ol>
        )}
      </aside>
    </section>
  );
}
