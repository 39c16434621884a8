/**
 * The alert inbox: a collapsible panel on the left with counts per status, filters, and a
 * virtualised list (thousands of alerts cost as much as the dozen on screen).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALERT_STATUSES,
  ALERT_TYPES,
  OPEN_STATUSES,
  SEVERITIES,
  type Alert,
  type AlertStatus,
  type AlertType,
  type Severity,
} from '../../../../shared/alerts';
import { can } from '../../../../shared/roles';
import { useAgeText } from '../../lib/use-age-text';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store';
import { ExportButton } from '../exports/ExportButton';
import { countByStatus, visibleAlerts, type AlertFilters, type StatusFilter } from './alert-list';
import { AlertTypeIcon } from './AlertTypeIcon';
import { districtsIn, placeText } from './districts';

/** Fixed row height: the virtualiser needs no measuring, and rows line up for the eye. */
const ROW_HEIGHT_PX = 84;
const OVERSCAN_ROWS = 6;
const AGE_TICK_MS = 1000;
const ALL = '';

export function AlertInbox() {
  const { t } = useTranslation();
  const collapsed = useAppStore((state) => state.inboxCollapsed);
  const setCollapsed = useAppStore((state) => state.setInboxCollapsed);
  const byId = useAppStore((state) => state.alertsById);
  const loaded = useAppStore((state) => state.alertsLoaded);
  const unacknowledged = useMemo(() => countByStatus(byId).new, [byId]);

  if (collapsed) {
    return (
      <section
        className="inbox is-collapsed"
        data-testid="alert-inbox"
        data-collapsed="true"
        data-loaded={loaded}
      >
        <button
          type="button"
          className="inbox__tab"
          data-testid="alert-inbox-toggle"
          aria-expanded="false"
          title={t('inbox.expand')}
          onClick={() => setCollapsed(false)}
        >
          <span>{t('inbox.title')}</span>
          {unacknowledged > 0 && <span className="inbox__tab-count">{unacknowledged}</span>}
        </button>
      </section>
    );
  }
  return <InboxPanel onCollapse={() => setCollapsed(true)} />;
}

function InboxPanel({ onCollapse }: { onCollapse: () => void }) {
  const { t } = useTranslation();
  const byId = useAppStore((state) => state.alertsById);
  const loaded = useAppStore((state) => state.alertsLoaded);
  const filters = useAppStore((state) => state.alertFilters);
  const selectedId = useAppStore((state) => state.selectedAlertId);
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const alerts = useMemo(() => visibleAlerts(byId, filters), [byId, filters]);
  const counts = useMemo(() => countByStatus(byId, filters), [byId, filters]);
  const now = useNow(AGE_TICK_MS);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: alerts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => alerts[index]?.id ?? index,
  });

  const select = (id: number): void => {
    const state = useAppStore.getState();
    state.selectAlert(id);
    state.selectVehicle(null);
  };

  /** Up and down move the selection through the list, as in a mail client. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = alerts.findIndex((alert) => alert.id === selectedId);
    const next = event.key === 'ArrowDown' ? index + 1 : Math.max(0, index - 1);
    const target = alerts[Math.min(next, alerts.length - 1)];
    if (target === undefined) return;
    select(target.id);
    virtualizer.scrollToIndex(alerts.indexOf(target), { align: 'auto' });
  };

  const exportQuery = exportAlertsQuery(filters);

  return (
    <section
      className="inbox"
      data-testid="alert-inbox"
      data-collapsed="false"
      data-loaded={loaded}
      aria-label={t('inbox.title')}
    >
      <div className="inbox__head">
        <h2 className="inbox__title">{t('inbox.title')}</h2>
        <span className="inbox__shown">{t('inbox.shown', { count: alerts.length })}</span>
        {role !== null && can(role, 'export.csv') && (
          <ExportButton
            testId="export-alerts-csv"
            label="CSV"
            path={`/api/alerts.csv${exportQuery}`}
            fallbackName="alerts.csv"
          />
        )}
        <button
          type="button"
          className="inbox__collapse"
          data-testid="alert-inbox-toggle"
          aria-expanded="true"
          aria-label={t('inbox.collapse')}
          title={t('inbox.collapse')}
          onClick={onCollapse}
        >
          ‹
        </button>
      </div>
      <StatusCounts counts={counts} active={filters.status} />
      <Filters filters={filters} />
      <div
        ref={scrollRef}
        className="inbox__list"
        role="listbox"
        tabIndex={0}
        aria-label={t('inbox.title')}
        aria-activedescendant={selectedId === null ? undefined : `alert-row-${selectedId}`}
        onKeyDown={onKeyDown}
      >
        {alerts.length === 0 ? (
          <p className="inbox__empty">{loaded ? t('inbox.empty') : t('inbox.loading')}</p>
        ) : (
          <div className="inbox__rows" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const alert = alerts[item.index]!;
              return (
                <AlertRow
                  key={item.key}
                  alert={alert}
                  top={item.start}
                  selected={alert.id === selectedId}
                  now={now}
                  onSelect={select}
                />
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

/** The export follows the inbox filters (the relay's list query takes the same ones). */
function exportAlertsQuery(filters: AlertFilters): string {
  const params = new URLSearchParams();
  if (filters.type !== null) params.set('type', filters.type);
  if (filters.severity !== null) params.set('severity', filters.severity);
  if (filters.status === 'open') params.set('status', OPEN_STATUSES.join(','));
  else if (filters.status !== null) params.set('status', filters.status);
  if (filters.district !== null) params.set('district', filters.district);
  params.set('limit', '5000');
  return `?${params.toString()}`;
}

/** One chip per status with its count; a click filters by it (again: all). */
function StatusCounts({
  counts,
  active,
}: {
  counts: Record<AlertStatus, number>;
  active: StatusFilter | null;
}) {
  const { t } = useTranslation();
  const setFilter = useAppStore((state) => state.setAlertFilter);
  return (
    <div className="inbox__counts">
      {ALERT_STATUSES.map((status) => (
        <button
          key={status}
          type="button"
          className={`status-count status-count--${status}${active === status ? ' is-active' : ''}`}
          data-testid={`alert-count-${status}`}
          data-count={counts[status]}
          aria-pressed={active === status}
          onClick={() => setFilter('status', active === status ? null : status)}
        >
          <span className="status-count__label">{t(`alertStatus.${status}`)}</span>
          <span className="status-count__value">{counts[status]}</span>
        </button>
      ))}
    </div>
  );
}

function Filters({ filters }: { filters: AlertFilters }) {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  const setFilter = useAppStore((state) => state.setAlertFilter);
  const districts = useMemo(() => districtsIn(language), [language]);
  const valueOrNull = <T extends string>(value: string): T | null =>
    value === ALL ? null : (value as T);
  return (
    <div className="inbox__filters">
      <label className="filter">
        <span className="filter__label">{t('inbox.filterType')}</span>
        <select
          data-testid="alert-filter-type"
          value={filters.type ?? ALL}
          onChange={(event) => setFilter('type', valueOrNull<AlertType>(event.target.value))}
        >
          <option value={ALL}>{t('inbox.all')}</option>
          {ALERT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`alertType.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter__label">{t('inbox.filterSeverity')}</span>
        <select
          data-testid="alert-filter-severity"
          value={filters.severity ?? ALL}
          onChange={(event) => setFilter('severity', valueOrNull<Severity>(event.target.value))}
        >
          <option value={ALL}>{t('inbox.all')}</option>
          {[...SEVERITIES].reverse().map((severity) => (
            <option key={severity} value={severity}>
              {t(`severity.${severity}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter__label">{t('inbox.filterStatus')}</span>
        <select
          data-testid="alert-filter-status"
          value={filters.status ?? ALL}
          onChange={(event) => setFilter('status', valueOrNull<StatusFilter>(event.target.value))}
        >
          <option value={ALL}>{t('inbox.all')}</option>
          <option value="open">{t('inbox.open')}</option>
          {ALERT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`alertStatus.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter__label">{t('inbox.filterDistrict')}</span>
        <select
          data-testid="alert-filter-district"
          value={filters.district ?? ALL}
          onChange={(event) => setFilter('district', valueOrNull<string>(event.target.value))}
        >
          <option value={ALL}>{t('inbox.all')}</option>
          {districts.map((district) => (
            <option key={district.code} value={district.code}>
              {district.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

const AlertRow = memo(function AlertRow({
  alert,
  top,
  selected,
  now,
  onSelect,
}: {
  alert: Alert;
  top: number;
  selected: boolean;
  now: number;
  onSelect: (id: number) => void;
}) {
  const { t } = useTranslation();
  const ageText = useAgeText();
  const language = useAppStore((state) => state.language);
  const overdue = alert.escalated && alert.status !== 'resolved';
  const classes = [
    'alert-row',
    `alert-row--${alert.severity}`,
    `alert-row--${alert.status}`,
    overdue ? 'is-escalated' : '',
    overdue && alert.status === 'new' ? 'is-pulsing' : '',
    selected ? 'is-selected' : '',
  ].filter(Boolean);
  const place = placeText(alert, language);
  return (
    <div
      id={`alert-row-${alert.id}`}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT_PX }}
      role="option"
      aria-selected={selected}
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-status={alert.status}
      data-type={alert.type}
      data-severity={alert.severity}
      data-escalated={alert.escalated}
      onClick={() => onSelect(alert.id)}
    >
      <div className="alert-row__line">
        <span className={`alert-row__type type--${alert.type}`}>
          <AlertTypeIcon type={alert.type} size={20} />
          <span className="alert-row__type-label">{t(`alertType.${alert.type}`)}</span>
        </span>
        <span className={`severity-chip severity-chip--${alert.severity}`}>
          {t(`severity.${alert.severity}`)}
        </span>
        {alert.count > 1 && (
          <span className="alert-row__count" data-testid="alert-row-count">
            {t('inbox.merged', { count: alert.count })}
          </span>
        )}
        {overdue && <span className="escalated-chip">{t('inbox.escalated')}</span>}
        <span className="alert-row__age">{ageText(now - alert.lastSeenMs)}</span>
      </div>
      <div className="alert-row__line">
        <span className="alert-row__plate">{alert.plate ?? t('inbox.unknownPlate')}</span>
        <span className="alert-row__place">{place || t('inbox.unknownPlace')}</span>
        <span className={`status-chip status-chip--${alert.status}`}>
          {t(`alertStatus.${alert.status}`)}
        </span>
      </div>
    </div>
  );
});
