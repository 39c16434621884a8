/**
 * The audit screen (roles with `audit.view`): every change, unmask, export and login, newest first,
 * in words (audit-words.ts), as a virtualised table. Filters by person, action, entity and KST time
 * range are answered by the relay, a page at a time; a row opens the record it is about; CSV exports
 * (with the same filters) for roles with `export.csv`.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  type AuditAction,
  type AuditEntityType,
  type AuditEvent,
  type AuditListResponse,
} from '../../../../shared/audit';
import { can } from '../../../../shared/roles';
import { api } from '../../auth/api';
import { formatKstDateTime } from '../../lib/format-time';
import { relayErrorText } from '../../lib/relay-error-text';
import { useAppStore } from '../../store';
import { ExportButton } from '../exports/ExportButton';
import './audit.css';
import { canOpen, openAuditEntity } from './audit-open';
import { auditQuery, hasFilters, NO_AUDIT_FILTERS, type AuditFilters } from './audit-query';
import { actionWord, describeAuditEvent, type Translate } from './audit-words';

const ROW_HEIGHT_PX = 44;
const OVERSCAN_ROWS = 10;
/** One page of the log; older pages load on demand. */
const AUDIT_PAGE = 200;
/** The CSV export's ceiling (the relay's limit). */
const AUDIT_CSV_LIMIT = 10_000;

type Load =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; nextBefore: number | null; loadingMore: boolean };

export function AuditView() {
  const { t, i18n } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const setAuditOpen = useAppStore((state) => state.setAuditOpen);
  const pushToast = useAppStore((state) => state.pushToast);
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const [actorDraft, setActorDraft] = useState('');
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [revision, setRevision] = useState(0);

  // Keys the relay may add later (a new action) fall back to the code instead of breaking.
  const language = useAppStore((state) => state.language);
  const translate = useMemo<Translate>(
    () =>
      Object.assign(
        (key: string, fallback: string, vars?: Readonly<Record<string, string | number>>) =>
          i18n.exists(key) ? String(t(key as never, vars as never)) : fallback,
        { language },
      ),
    // `t` changes with the language, so the words follow a language switch.
    [t, i18n, language],
  );

  useEffect(() => {
    let cancelled = false;
    setLoad({ state: 'loading' });
    const params = auditQuery(filters, { limit: AUDIT_PAGE });
    void api.json<AuditListResponse>(`/api/audit?${params.toString()}`).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setEvents(result.value.events);
        setLoad({ state: 'ready', nextBefore: result.value.nextBefore, loadingMore: false });
      } else {
        setEvents([]);
        setLoad({ state: 'failed', message: relayErrorText(t, result.error) });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [filters, revision, t]);

  const loadMore = async (): Promise<void> => {
    if (load.state !== 'ready' || load.nextBefore === null || load.loadingMore) return;
    setLoad({ ...load, loadingMore: true });
    const params = auditQuery(filters, { limit: AUDIT_PAGE, before: load.nextBefore });
    const result = await api.json<AuditListResponse>(`/api/audit?${params.toString()}`);
    if (result.ok) {
      setEvents((current) => [...current, ...result.value.events]);
      setLoad({ state: 'ready', nextBefore: result.value.nextBefore, loadingMore: false });
    } else {
      setLoad({ ...load, loadingMore: false });
      pushToast({ tone: 'error', text: relayErrorText(t, result.error) });
    }
  };

  const close = useCallback(() => setAuditOpen(false), [setAuditOpen]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [close]);

  const described = useMemo(
    () => events.map((event) => describeAuditEvent(translate, event)),
    [events, translate],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => events[index]?.id ?? index,
  });

  const open = async (event: AuditEvent, target: string): Promise<void> => {
    const error = await openAuditEntity(event);
    if (error) {
      pushToast({
        tone: 'error',
        text: t('audit.openFailed', { target, message: relayErrorText(t, error) }),
      });
    }
  };

  const setFilter = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]): void =>
    setFilters((current) => ({ ...current, [key]: value }));
  const applyActor = (): void => {
    if (actorDraft.trim() !== filters.actor) setFilter('actor', actorDraft.trim());
  };

  const mayExport = role !== null && can(role, 'export.csv');
  const csvPath = `/api/audit.csv?${auditQuery(filters, { limit: AUDIT_CSV_LIMIT }).toString()}`;
  const actionOptions = useMemo(
    () =>
      AUDIT_ACTIONS.filter((action) => {
        const entity = actionEntity(action);
        return filters.entity === null || entity === null || entity === filters.entity;
      }),
    [filters.entity],
  );

  return (
    <section className="audit" data-testid="audit-view" aria-labelledby="audit-title">
      <div className="audit__toolbar">
        <h2 id="audit-title" className="audit__title">
          {t('audit.title')}
        </h2>
        <span className="audit__count" data-testid="audit-count" data-count={events.length}>
          {t('audit.count', { count: events.length })}
        </span>
        <div className="header__spacer" />
        <button
          type="button"
          className="panel-button"
          data-testid="audit-refresh"
          onClick={() => setRevision((r) => r + 1)}
        >
          {t('audit.refresh')}
        </button>
        {mayExport && (
          <>
            <ExportButton
              testId="export-alerts-csv"
              label={t('exports.alerts')}
              path="/api/alerts.csv?limit=5000"
              fallbackName="alerts.csv"
            />
            <ExportButton
              testId="export-audit-csv"
              label={t('exports.audit')}
              path={csvPath}
              fallbackName="audit.csv"
            />
          </>
        )}
        <button
          type="button"
          className="drawer__close"
          data-testid="audit-close"
          aria-label={t('audit.close')}
          title={`${t('audit.close')} (Esc)`}
          onClick={close}
        >
          ×
        </button>
      </div>
      <form
        className="audit__filters"
        onSubmit={(event) => {
          event.preventDefault();
          applyActor();
        }}
      >
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterActor')}</span>
          <input
            type="search"
            data-testid="audit-filter-actor"
            value={actorDraft}
            placeholder={t('audit.filterActorPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setActorDraft(event.target.value)}
            onBlur={applyActor}
          />
        </label>
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterEntity')}</span>
          <select
            data-testid="audit-filter-entity"
            value={filters.entity ?? ''}
            onChange={(event) => {
              const entity =
                event.target.value === '' ? null : (event.target.value as AuditEntityType);
              setFilters((current) => ({
                ...current,
                entity,
                // An action of another entity would match nothing: drop it.
                action:
                  current.action !== null &&
                  entity !== null &&
                  ![null, entity].includes(actionEntity(current.action))
                    ? null
                    : current.action,
              }));
            }}
          >
            <option value="">{t('audit.entityAll')}</option>
            {AUDIT_ENTITY_TYPES.map((type) => (
              <option key={type} value={type}>
                {translate(`audit.entity.${type}`, type)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterAction')}</span>
          <select
            data-testid="audit-filter-action"
            value={filters.action ?? ''}
            onChange={(event) =>
              setFilter(
                'action',
                event.target.value === '' ? null : (event.target.value as AuditAction),
              )
            }
          >
            <option value="">{t('audit.actionAll')}</option>
            {actionOptions.map((action) => (
              <option key={action} value={action}>
                {actionWord(translate, action)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterFrom')}</span>
          <input
            type="datetime-local"
            data-testid="audit-filter-from"
            value={filters.from}
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </label>
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterTo')}</span>
          <input
            type="datetime-local"
            data-testid="audit-filter-to"
            value={filters.to}
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </label>
        {hasFilters(filters) && (
          <button
            type="button"
            className="panel-button"
            data-testid="audit-clear-filters"
            onClick={() => {
              setActorDraft('');
              setFilters(NO_AUDIT_FILTERS);
            }}
          >
            {t('audit.clearFilters')}
          </button>
        )}
      </form>
      <div className="audit__table" role="table" aria-rowcount={events.length}>
        <div className="audit__row audit__row--head" role="row">
          <span role="columnheader">{t('audit.time')}</span>
          <span role="columnheader">{t('audit.actor')}</span>
          <span role="columnheader">{t('audit.action')}</span>
          <span role="columnheader">{t('audit.target')}</span>
          <span role="columnheader">{t('audit.changes')}</span>
        </div>
        <div ref={scrollRef} className="audit__body">
          {load.state !== 'ready' || events.length === 0 ? (
            <p className="audit__empty" data-testid="audit-status">
              {load.state === 'loading'
                ? t('audit.loading')
                : load.state === 'failed'
                  ? t('audit.failed', { message: load.message })
                  : t('audit.empty')}
            </p>
          ) : (
            <div className="audit__rows" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const event = events[item.index]!;
                const words = described[item.index]!;
                const openable = canOpen(event, role);
                return (
                  <div
                    key={item.key}
                    className="audit__row"
                    role="row"
                    data-testid="audit-row"
                    data-action={event.action}
                    data-actor={event.actor}
                    data-entity={`${event.entityType}:${event.entityId ?? ''}`}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT_PX }}
                  >
                    <span role="cell" className="audit__time">
                      {formatKstDateTime(event.atMs)}
                    </span>
                    <span role="cell" className="audit__who">
                      <span className="audit__actor">{event.actor}</span>
                      <span className="audit__role">
                        {event.actorRole === null
                          ? ''
                          : event.actorRole === 'system'
                            ? t('audit.system')
                            : t(`roles.${event.actorRole}`)}
                      </span>
                    </span>
                    <span role="cell" className="audit__action" data-testid="audit-action">
                      {words.action}
                    </span>
                    <span role="cell" className="audit__target">
                      {openable ? (
                        <button
                          type="button"
                          className="audit__open"
                          data-testid="audit-open"
                          title={t('audit.openTitle', { target: words.target })}
                          onClick={() => void open(event, words.target)}
                        >
                          {words.target}
                        </button>
                      ) : (
                        words.target
                      )}
                    </span>
                    <span
                      role="cell"
                      className="audit__changes"
                      data-testid="audit-changes"
                      title={words.summary}
                    >
                      {words.summary}
                    </span>
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      {load.state === 'ready' && load.nextBefore !== null && (
        <div className="audit__more">
          <button
            type="button"
            className="panel-button"
            data-testid="audit-more"
            disabled={load.loadingMore}
            onClick={() => void loadMore()}
          >
            {t('audit.more')}
          </button>
        </div>
      )}
    </section>
  );
}

/** Which entity an action is about, for the action list that follows the entity filter. */
function actionEntity(action: AuditAction): AuditEntityType | null {
  const prefix = action.split('.')[0]!;
  if ((AUDIT_ENTITY_TYPES as readonly string[]).includes(prefix)) return prefix as AuditEntityType;
  if (prefix === 'auth') return 'user';
  // `pii.unmask` is about alerts, violations and vehicles alike.
  return null;
}
