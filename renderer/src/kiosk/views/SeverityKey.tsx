import { SEVERITIES } from '../../../../shared/alerts';
import { SEVERITY_COLORS } from '../../features/alerts/alert-visuals';
import { rgbToCss } from '../../map/vehicle-colors';
import { Bi } from '../Bi';
import { bilingual } from '../kiosk-text';

/** What an alert marker's colour means, most severe first. */
export function SeverityKey() {
  return (
    <ul className="kiosk-key">
      {[...SEVERITIES].reverse().map((severity) => (
        <li key={severity} className="kiosk-key__item">
          <span
            className="kiosk-key__marker"
            style={{ background: rgbToCss(SEVERITY_COLORS[severity]) }}
          />
          <Bi text={bilingual(`severity.${severity}`)} inline />
        </li>
      ))}
    </ul>
  );
}
