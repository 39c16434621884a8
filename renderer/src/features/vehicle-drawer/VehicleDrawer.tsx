import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEED_SCALE, VehicleFlag } from '../../../../shared/frames';
import { can } from '../../../../shared/roles';
import { vehicleDriverPath, type VehicleDriver } from '../../../../shared/vehicles';
import { api } from '../../auth/api';
import { relayErrorText } from '../../lib/relay-error-text';
import { shownFleet } from '../../live/fleet';
import type { FleetBuffer } from '../../live/fleet-buffer';
import { formatKstDateTime, formatKstTime } from '../../lib/format-time';
import { useAgeText } from '../../lib/use-age-text';
import { monotonicNow, useNow } from '../../lib/use-now';
import {
  rgbToCss,
  VEHICLE_COLOR_ARREARS,
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_MISSING_PERSON,
} from '../../map/vehicle-colors';
import { useAppStore } from '../../store';
import '../detail/detail.css';
import { displayBrand } from '../detail/display-names';
import { weatherKey } from './weather';
import './vehicle-drawer.css';

/** The "3초 전" text advances even when no frame carries this vehicle. */
const AGE_TICK_MS = 1000;

/** The fleet the map draws: live, or the replayed city while the time bar is off live. */
const shownFleetSnapshot = (): FleetBuffer => shownFleet.current;
const subscribeShownFleet = (listener: () => void): (() => void) => shownFleet.subscribe(listener);

type DriverView =
  | { state: 'loading' }
  | { state: 'shown'; driver: VehicleDriver }
  | { state: 'failed'; message: string };

/**
 * The driver's age band and sex, read from the relay when the drawer opens, for roles that may
 * see them (the vehicle table every client holds has no driver fields; the relay audits the read).
 * null: this role does not see the driver.
 */
function useDriver(carId: string | null): DriverView | null {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const allowed = role !== null && can(role, 'vehicle.driver');
  const [view, setView] = useState<DriverView>({ state: 'loading' });
  useEffect(() => {
    if (!allowed || carId === null) return;
    let cancelled = false;
    setView({ state: 'loading' });
    void api.json<VehicleDriver>(vehicleDriverPath(carId)).then((result) => {
      if (cancelled) return;
      setView(
        result.ok
          ? { state: 'shown', driver: result.value }
          : { state: 'failed', message: relayErrorText(t, result.error) },
      );
    });
    return () => {
      cancelled = true;
    };
  }, [allowed, carId, t]);
  return allowed ? view : null;
}

/** Details of the selected vehicle; right side; Esc or × closes. */
export function VehicleDrawer() {
  const selectedIndex = useAppStore((state) => state.selectedIndex);
  if (selectedIndex === null) return null;
  return <VehicleDrawerPanel index={selectedIndex} />;
}

function VehicleDrawerPanel({ index }: { index: number }) {
  const { t } = useTranslation();
  const ageText = useAgeText();
  const language = useAppStore((state) => state.language);
  const entry = useAppStore((state) => state.vehicles.get(index));
  const driver = useDriver(entry?.carId ?? null);
  const selectVehicle = useAppStore((state) => state.selectVehicle);
  // Position, speed and state come from the fleet the map draws (live, or the replayed moment's):
  // re-render on each of its frames and each second, only while the drawer is open.
  const fleet = useSyncExternalStore(subscribeShownFleet, shownFleetSnapshot);
  useSyncExternalStore(fleet.subscribe, () => fleet.frameCount);
  const now = useNow(AGE_TICK_MS, monotonicNow);
  // While replaying: the moment of the frame on screen. The vehicle table (plate, brand, weather,
  // session) and the driver have no history, so they are what the relay holds now, marked so.
  const replayedAsOf = useAppStore((state) =>
    state.replay.atMs === null ? null : state.replay.shownAsOfMs,
  );
  const replaying = useAppStore((state) => state.replay.atMs !== null);
  const current = (label: string): string =>
    replaying ? `${label} ${t('drawer.nowMark')}` : label;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') selectVehicle(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [selectVehicle]);

  const slot = fleet.slotOf(index);
  const live = slot >= 0;
  const unknown = t('drawer.unknown');
  const flags = live ? (fleet.flags[slot] ?? 0) : 0;
  const speedKmh = live ? (fleet.speed[slot] ?? 0) / SPEED_SCALE : null;
  const updatedAt = live ? (fleet.updatedAt[slot] ?? null) : null;
  const pending = t('drawer.driverLoading');
  const driverText = (shown: (d: VehicleDriver) => string): string =>
    driver === null
      ? unknown
      : driver.state === 'shown'
        ? shown(driver.driver)
        : driver.state === 'loading'
          ? pending
          : unknown;
  const weather = entry?.weather ?? null;
  const weatherName = weather === null ? null : weatherKey(weather);

  const statuses = [
    { flag: VehicleFlag.Missing, label: t('status.missing'), color: VEHICLE_COLOR_MISSING_PERSON },
    { flag: VehicleFlag.Arrears, label: t('status.arrears'), color: VEHICLE_COLOR_ARREARS },
    { flag: VehicleFlag.Drowsy, label: t('status.drowsy'), color: VEHICLE_COLOR_DROWSY },
  ].filter((status) => (flags & status.flag) !== 0);

  // The driver rows only for roles that may see the driver: the others never receive them.
  const driverRows: (readonly [testId: string, label: string, value: string])[] =
    driver === null
      ? []
      : [
          [
            'drawer-age',
            current(t('drawer.age')),
            driverText((d) =>
              d.ageBand === null ? unknown : t('drawer.ageBand', { band: String(d.ageBand) }),
            ),
          ],
          [
            'drawer-sex',
            current(t('drawer.sex')),
            driverText((d) =>
              d.sex === '남' ? t('sex.male') : d.sex === '여' ? t('sex.female') : unknown,
            ),
          ],
        ];
  const rows: readonly (readonly [testId: string, label: string, value: string])[] = [
    ['drawer-plate', t('drawer.plate'), entry?.plate ?? unknown],
    ...driverRows,
    [
      'drawer-brand',
      t('drawer.brand'),
      entry?.brand == null ? unknown : displayBrand(entry.brand, language),
    ],
    [
      'drawer-speed',
      replaying ? t('drawer.speedRecorded') : t('drawer.speed'),
      speedKmh === null ? unknown : t('drawer.speedValue', { speed: String(Math.round(speedKmh)) }),
    ],
    [
      'drawer-weather',
      current(t('drawer.weather')),
      weatherName !== null ? t(`weather.${weatherName}`) : (weather ?? unknown),
    ],
    [
      'drawer-session-start',
      `${t('drawer.sessionStart')} (KST)`,
      entry?.sessionStartMs == null ? unknown : formatKstTime(entry.sessionStartMs),
    ],
    replaying
      ? [
          'drawer-last-update',
          t('drawer.recordedAt'),
          replayedAsOf === null || !live ? unknown : `${formatKstTime(replayedAsOf)} KST`,
        ]
      : [
          'drawer-last-update',
          t('drawer.lastUpdate'),
          updatedAt === null ? unknown : ageText(Math.max(0, now - updatedAt)),
        ],
  ];

  return (
    <aside
      className="drawer"
      data-testid="vehicle-drawer"
      data-vehicle-index={index}
      data-replay={replaying}
      aria-labelledby="vehicle-drawer-title"
    >
      <div className="drawer__head">
        <h2 id="vehicle-drawer-title" className="drawer__title">
          {t('drawer.title')}
        </h2>
        <button
          type="button"
          className="drawer__close"
          data-testid="drawer-close"
          aria-label={t('drawer.close')}
          title={t('drawer.close')}
          onClick={() => selectVehicle(null)}
        >
          ×
        </button>
      </div>
      {statuses.length > 0 && (
        <ul className="drawer__statuses">
          {statuses.map((status) => (
            <li
              key={status.flag}
              className="drawer__status"
              style={{ borderColor: rgbToCss(status.color), color: rgbToCss(status.color) }}
            >
              {status.label}
            </li>
          ))}
        </ul>
      )}
      {replaying && (
        <p
          className="drawer__replayed"
          data-testid="drawer-replayed"
          data-as-of-ms={replayedAsOf ?? ''}
          role="status"
        >
          {replayedAsOf === null
            ? t('drawer.replayLoading')
            : t('drawer.replayed', { time: `${formatKstDateTime(replayedAsOf)} KST` })}
        </p>
      )}
      {!live && (
        <p className="drawer__gone">{replaying ? t('drawer.notAtReplay') : t('drawer.gone')}</p>
      )}
      <dl className="drawer__fields">
        {rows.map(([testId, label, value]) => (
          <div key={testId} className="drawer__field">
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
      {driver?.state === 'failed' && (
        <p className="drawer__note is-error" data-testid="drawer-driver-error" role="alert">
          {driver.message}
        </p>
      )}
      {driver !== null && (
        <p className="drawer__note" data-testid="drawer-driver-audited">
          {t('drawer.driverAudited')}
        </p>
      )}
    </aside>
  );
}
