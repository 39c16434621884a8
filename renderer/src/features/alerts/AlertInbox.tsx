/**
 * The alert inbox: a collapsible panel on the left with counts per status, filters, and a
 * virtualised list (thousands of alerts cost as much as the dozen on screen). The list holds still
 * while someone reads it (new arrivals wait in a bar), moves with the keyboard, and lets a
 * supervisor check several alerts and acknowledge them at once with one note.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALERT_STATUSES,
  ALERT_TYPES,
  MAX_NOTE_LENGTH,
  OPEN_STATUSES,
  SEVERITIES,
  type Alert,
  type AlertStatus,
  type AlertType,
  type Severity,
} from '../../../../shared/alerts';
import { can } from '../../../../shared/roles';
import { relayErrorText } from '../../lib/relay-error-text';
import { Age } from '../../lib/Age';
import { useRelayError } from '../../lib/use-relay-error';
import { useAppStore } from '../../store';
import { ExportButton } from '../exports/ExportButton';
import {
  countByStatus,
  holdList,
  stepThrough,
  visibleAlerts,
  type AlertFilters,
  type StatusFilter,
} from './alert-list';
import { AlertTypeIcon } from './AlertTypeIcon';
import { acknowledgeAlerts, applyBulkAck, bulkRefusalLines } from './bulk-ack';
import { districtsIn, placeText } from './districts';
import './inbox.css';

/** Fixed row height: the virtualiser needs no measuring, and rows line up for the eye. */
/** Three lines: type and age; plate and place; severity, overdue and status chips. */
const ROW_HEIGHT_PX = 96;
const OVERSCAN_ROWS = 6;
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
  const sorted = useMemo(() => visibleAlerts(byId, filters), [byId, filters]);
  const counts = useMemo(() => countByStatus(byId, filters), [byId, filters]);
  const mayAck = role !== null && can(role, 'alert.ack');

  // The list holds still while someone is reading it: the pointer in it, the keyboard in it, or
  // an alert open. Held, it shows the rows it showed, in that order; arrivals wait in the bar.
  const [pointerInside, setPointerInside] = useState(false);
  const [keyboardInside, setKeyboardInside] = useState(false);
  const holding = pointerInside || keyboardInside || selectedId !== null;
  const [heldIds, setHeldIds] = useState<readonly number[] | null>(null);
  const [heldFilters, setHeldFilters] = useState(filters);
  /** The ids on screen at the last render (null before the first). */
  const lastShown = useRef<readonly number[] | null>(null);
  // State adjusted during render (React's pattern for state derived from a change): the order is
  // taken from what was on screen the moment the list started to hold, and let go at rest. A new
  // filter is the person's own doing: the list follows it at once.
  if (heldFilters !== filters) {
    setHeldFilters(filters);
    if (heldIds !== null) setHeldIds(sorted.map((alert) => alert.id));
  }
  if (holding && heldIds === null) {
    setHeldIds(lastShown.current ?? sorted.map((alert) => alert.id));
  } else if (!holding && heldIds !== null) {
    setHeldIds(null);
  }
  const { rows, arrivals } = useMemo(
    () => (heldIds === null ? { rows: sorted, arrivals: [] } : holdList(heldIds, sorted)),
    [heldIds, sorted],
  );
  useEffect(() => {
    lastShown.current = rows.map((alert) => alert.id);
  }, [rows]);
  const insertArrivals = (): void => {
    setHeldIds(sorted.map((alert) => alert.id));
    virtualizer.scrollToOffset(0);
  };

  // The keyboard's place in the list (J/K, arrows); Enter or O opens it.
  const [cursorId, setCursorId] = useState<number | null>(null);
  const cursor = cursorId ?? selectedId;
  // Alerts checked for a bulk acknowledgement (supervisors); only those still waiting count.
  const [checked, setChecked] = useState<ReadonlySet<number>>(() => new Set());
  const checkedAlerts = useMemo(
    () => [...checked].map((id) => byId[id]).filter((a): a is Alert => a?.status === 'new'),
    [checked, byId],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  const select = useCallback((id: number): void => {
    const state = useAppStore.getState();
    state.selectAlert(id);
    state.selectVehicle(null);
    setCursorId(id);
  }, []);
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);
  const toggleChecked = useCallback((id: number): void => {
    setBulkOutcome(null);
    setChecked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  const moveCursor = (step: 1 | -1): void => {
    const target = stepThrough(rows, cursor, step);
    if (target === null) return;
    setCursorId(target.id);
    scrollRef.current?.focus({ preventScroll: true });
    virtualizer.scrollToIndex(rows.indexOf(target), { align: 'auto' });
  };
  const openCursor = (): void => {
    if (cursor !== null && rows.some((alert) => alert.id === cursor)) select(cursor);
  };

  // Shortcuts anywhere on the desk (not while typing): J/K next/previous, Enter/O open, X check
  // for the bulk acknowledgement. A (acknowledge) and C (claim) act on the open alert: the detail
  // panel's own shortcuts. The handler reads the latest render through a ref.
  const keys = useRef<Record<string, (() => void) | undefined>>({});
  useEffect(() => {
    keys.current = {
      j: () => moveCursor(1),
      k: () => moveCursor(-1),
      o: openCursor,
      enter: openCursor,
      x: mayAck && cursor !== null ? () => toggleChecked(cursor) : undefined,
    };
  });
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (useAppStore.getState().auditOpen || isInteractive(event.target, scrollRef.current))
        return;
      const action = keys.current[event.key.toLowerCase()];
      if (action === undefined) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  /** The arrows too, while the list has the focus (elsewhere they pan the map or a select). */
  const onListKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    moveCursor(event.key === 'ArrowDown' ? 1 : -1);
  };

  const exportQuery = exportAlertsQuery(filters);

  return (
    <section
      className="inbox"
      data-testid="alert-inbox"
      data-collapsed="false"
      data-loaded={loaded}
      data-holding={heldIds !== null}
      aria-label={t('inbox.title')}
    >
      <div className="inbox__head">
        <h2 className="inbox__title">{t('inbox.title')}</h2>
        <span className="inbox__shown">{t('inbox.shown', { count: rows.length })}</span>
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
      {/* The bar floats over the list's top edge: appearing, it must not push the rows down. */}
      <div className="inbox__list-frame">
        {arrivals.length > 0 && (
          <button
            type="button"
            className="inbox__arrivals"
            data-testid="alert-arrivals"
            data-count={arrivals.length}
            onClick={insertArrivals}
          >
            {t('inbox.arrivals', { count: arrivals.length })}
          </button>
        )}
        <div
          ref={scrollRef}
          className="inbox__list"
          data-testid="alert-list"
          role="listbox"
          tabIndex={0}
          aria-label={t('inbox.title')}
          aria-activedescendant={cursor === null ? undefined : `alert-row-${cursor}`}
          onKeyDown={onListKeyDown}
          onPointerEnter={() => setPointerInside(true)}
          onPointerLeave={() => setPointerInside(false)}
          onFocus={() => setKeyboardInside(true)}
          onBlur={() => setKeyboardInside(false)}
        >
          {rows.length === 0 ? (
            <p className="inbox__empty">{loaded ? t('inbox.empty') : t('inbox.loading')}</p>
          ) : (
            <div className="inbox__rows" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const alert = rows[item.index]!;
                return (
                  <AlertRow
                    key={item.key}
                    alert={alert}
                    top={item.start}
                    selected={alert.id === selectedId}
                    cursor={alert.id === cursor}
                    checkable={mayAck && alert.status === 'new'}
                    checked={checked.has(alert.id)}
                    onSelect={select}
                    onToggleChecked={toggleChecked}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
      {/* Below the list, so checking a row never moves the rows under the pointer. */}
      {mayAck && checkedAlerts.length > 0 && (
        <BulkAckBar
          alerts={checkedAlerts}
          onDone={(left, outcome) => {
            setChecked(new Set(left));
            setBulkOutcome(outcome.text === '' ? null : outcome);
          }}
        />
      )}
      {bulkOutcome !== null && (
        <div className="inbox__bulk-outcome" role="status" data-testid="alert-bulk-outcome">
          <span>{bulkOutcome.text}</span>
          {bulkOutcome.refusals.map((line) => (
            <span key={line} className="inbox__bulk-refusal" data-testid="alert-bulk-refusal">
              {line}
            </span>
          ))}
          <button
            type="button"
            className="inbox__bulk-dismiss"
            aria-label={t('errors.dismiss')}
            onClick={() => setBulkOutcome(null)}
          >
            ×
          </button>
        </div>
      )}
    </section>
  );
}

/** A key press aimed at a control (typing, a button, a select) is not a shortcut. */
function isInteractive(target: EventTarget | null, list: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement) || target === list) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(target.tagName) ||
    target.closest('dialog') !== null
  );
}

/**
 * The checked alerts, acknowledged at once with one note (a supervisor's round of the inbox).
 * What the relay refused stays checked, with each alert's reason.
 */
/** What the last bulk acknowledgement did: a summary and each refusal in words. */
interface BulkOutcome {
  text: string;
  refusals: string[];
}

function BulkAckBar({
  alerts,
  onDone,
}: {
  alerts: readonly Alert[];
  onDone: (stillChecked: number[], outcome: BulkOutcome) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const { error, showRelayError, setError } = useRelayError();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await acknowledgeAlerts(alerts, note);
    setPending(false);
    if (!result.ok) {
      showRelayError(relayErrorText(t, result.error), result.error);
      return;
    }
    const refused = applyBulkAck(result.value);
    if (refused.length === 0) setNote('');
    onDone(refused, {
      text: t('inbox.bulkDone', {
        acknowledged: String(result.value.acknowledged),
        refused: String(refused.length),
      }),
      refusals: bulkRefusalLines(t, result.value),
    });
  };
  return (
    <form
      className="inbox__bulk"
      data-testid="alert-bulk-bar"
      onSubmit={(event) => void submit(event)}
    >
      <span className="inbox__bulk-count" data-testid="alert-bulk-count">
        {t('inbox.bulkChecked', { count: alerts.length })}
      </span>
      <input
        className="inbox__bulk-note"
        data-testid="alert-bulk-note"
        value={note}
        maxLength={MAX_NOTE_LENGTH}
        placeholder={t('inbox.bulkNote')}
        aria-label={t('inbox.bulkNote')}
        onChange={(event) => setNote(event.target.value)}
      />
      <button
        type="submit"
        className="action-button action-button--small is-primary"
        data-testid="alert-bulk-ack"
        disabled={pending}
        aria-busy={pending}
      >
        {t('inbox.bulkAck', { count: alerts.length })}
      </button>
      <button
        type="button"
        className="action-button action-button--small"
        data-testid="alert-bulk-clear"
        onClick={() => onDone([], { text: '', refusals: [] })}
      >
        {t('inbox.bulkClear')}
      </button>
      {error !== null && (
        <p className="inbox__bulk-error" role="alert" data-testid="alert-bulk-error">
          {error}
        </p>
      )}
    </form>
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
          onChange={(event) => {
            const code = valueOrNull<string>(event.target.value);
            setFilter('district', code);
            // The map goes to the district picked; "all districts" leaves it where it is.
            if (code !== null) useAppStore.getState().focusPlace({ kind: 'district', code });
          }}
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
  cursor,
  checkable,
  checked,
  onSelect,
  onToggleChecked,
}: {
  alert: Alert;
  top: number;
  selected: boolean;
  /** The keyboard's place in the list. */
  cursor: boolean;
  /** May be checked for a bulk acknowledgement (a supervisor, an alert still waiting). */
  checkable: boolean;
  checked: boolean;
  onSelect: (id: number) => void;
  onToggleChecked: (id: number) => void;
}) {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  const overdue = alert.escalated && alert.status !== 'resolved';
  const classes = [
    'list-row',
    'alert-row',
    `alert-row--${alert.severity}`,
    `alert-row--${alert.status}`,
    overdue ? 'is-escalated' : '',
    overdue && alert.status === 'new' ? 'is-pulsing' : '',
    selected ? 'is-selected' : '',
    cursor ? 'is-cursor' : '',
    checked ? 'is-checked' : '',
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
      data-cursor={cursor}
      onClick={() => onSelect(alert.id)}
    >
      <div className="alert-row__line">
        {checkable && (
          <input
            type="checkbox"
            className="alert-row__check"
            data-testid="alert-row-check"
            checked={checked}
            aria-label={t('inbox.check', { plate: alert.plate ?? `#${alert.id}` })}
            onClick={(event) => event.stopPropagation()}
            onChange={() => onToggleChecked(alert.id)}
          />
        )}
        <span className={`alert-row__type type--${alert.type}`}>
          <AlertTypeIcon type={alert.type} size={20} />
          <span className="alert-row__type-label">{t(`alertType.${alert.type}`)}</span>
        </span>
        {alert.count > 1 && (
          <span className="alert-row__count" data-testid="alert-row-count">
            {t('inbox.merged', { count: alert.count })}
          </span>
        )}
        <Age className="alert-row__age" sinceMs={alert.lastSeenMs} />
      </div>
      <div className="alert-row__line">
        <span className="alert-row__plate">{alert.plate ?? t('inbox.unknownPlate')}</span>
        <span className="alert-row__place">{place || t('inbox.unknownPlace')}</span>
      </div>
      {/* The chips on a line of their own: beside the type they cut its English name. */}
      <div className="alert-row__line">
        <span className={`severity-chip severity-chip--${alert.severity}`}>
          {t(`severity.${alert.severity}`)}
        </span>
        {overdue && <span className="escalated-chip">{t('inbox.escalated')}</span>}
        <span className={`status-chip status-chip--${alert.status}`}>
          {t(`alertStatus.${alert.status}`)}
        </span>
      </div>
    </div>
  );
});
