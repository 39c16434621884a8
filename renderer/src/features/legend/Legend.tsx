import { useTranslation } from 'react-i18next';
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

const ENTRIES: readonly (readonly [
  key: 'missing' | 'arrears' | 'drowsy' | 'stopped' | 'slow' | 'medium' | 'fast',
  color: Rgb,
])[] = [
  ['missing', VEHICLE_COLOR_MISSING_PERSON],
  ['arrears', VEHICLE_COLOR_ARREARS],
  ['drowsy', VEHICLE_COLOR_DROWSY],
  ['stopped', VEHICLE_COLOR_STOPPED],
  ['slow', VEHICLE_COLOR_SLOW],
  ['medium', VEHICLE_COLOR_MEDIUM],
  ['fast', VEHICLE_COLOR_FAST],
];

/**
 * What each dot colour means, from the same palette the map draws with. A slim strip along the
 * bottom edge, inside the map's fit padding: it never covers Busan, and nothing vehicle-coloured
 * appears over the map area except vehicles.
 */
export function Legend() {
  const { t } = useTranslation();
  return (
    <section className="legend" aria-label={t('legend.title')}>
      <h2 className="legend__title">{t('legend.title')}</h2>
      <ul className="legend__list">
        {ENTRIES.map(([key, color]) => (
          <li key={key} className="legend__item">
            <span className="legend__swatch" style={{ background: rgbToCss(color) }} />
            {t(`legend.${key}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
