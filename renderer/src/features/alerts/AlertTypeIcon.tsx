import type { AlertType } from '../../../../shared/alerts';

/** Small line icons, drawn inline (no icon font, no network): one shape per alert type. */
const PATHS: Readonly<Record<AlertType, string>> = {
  // A closed eye with lashes.
  DROWSY: 'M3 11c2.5 3 5.5 4.5 9 4.5s6.5-1.5 9-4.5M7 14.5l-1.5 2.5M12 15.5V18.5M17 14.5l1.5 2.5',
  // The won sign.
  ARREARS_HIT: 'M4 6l3.5 12L12 8l4.5 10L20 6M3 10.5h18M3 13.5h18',
  // A person.
  MISSING_PERSON_HIT: 'M12 4a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7M5 20c.8-4 3.5-6 7-6s6.2 2 7 6',
  // A breath-test handset.
  INTERLOCK: 'M8 3h6v4l3 3v10H7V10l1-3zM10 13h4M10 16h4',
  // A pipe with a warning mark: the data pipeline itself, not a vehicle.
  PIPELINE_HEALTH: 'M3 9h18M3 15h18M6 9v6M18 9v6M12 5v5M12 13.5v.5',
};

export function AlertTypeIcon({ type, size = 22 }: { type: AlertType; size?: number }) {
  return (
    <svg
      className={`alert-type-icon alert-type-icon--${type}`}
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
    >
      <path
        d={PATHS[type]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
