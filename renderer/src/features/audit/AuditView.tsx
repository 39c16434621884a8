/**
 * The audit screen (roles with `audit.view`): every change, unmask, export and login, newest
 * first, as a virtualised table; CSV exports for roles with `export.csv`.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AUDIT_ENTITY_TYPES,
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
import { auditDiffSummary } from './audit-diff';

const ROW_HEIGHT_PX = 44;
const OVERSCAN_ROWS = 10;
/** Enough for a shift's activity; the CSV export has the rest. */
const AUDIT_LIMIT = 2000;

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready' };

export function AuditView() {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const setAuditOpen = useAppStore((state) => state.setAuditOpen);
  const [entity, setEntity] = useState<AuditEntityType | null>(null);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const params = new URLSearchParams({ limit: String(AUDIT_LIMIT) });
    if (entity !== null) params.set('entity', entity);
    setLoad({ state: 'loading' });
    void api.json<AuditListResponse>(`/api/audit?${params.toString()}`).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setEvents(result.value.events);
        setLoad({ state: 'ready' });
      } else {
        setLoad({ state: 'failed', message: relayErrorText(t, result.error) });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [entity, revision, t]);

  const close = useCallback(() => setAuditOpen(false), [setAuditOpen]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [close]);

  const summaries = useMemo(
    () => events.map((event) => auditDiffSummary(event.before, event.after)),
    [events],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => events[index]?.id ?? index,
  });

  const mayExport = role !== null && can(role, 'export.csv');

  return (
    <section className="audit" data-testid="audit-view" aria-labelledby="audit-title">
      <div className="audit__toolbar">
        <h2 id="audit-title" className="audit__title">
          {t('audit.title')}
        </h2>
        <label className="filter filter--inline">
          <span className="filter__label">{t('audit.filterEntity')}</span>
          <select
            data-testid="audit-filter-entity"
            value={entity ?? ''}
            onChange={(event) =>
              setEntity(event.target.value === '' ? null : (event.target.value as AuditEntityType))
            }
          >
            <option value="">{t('audit.entityAll')}</option>
            {AUDIT_ENTITY_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`audit.entity.${type}`)}
              </option>
            ))}
          </select>
        </label>
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
              path={`/api/audit.csv?limit=10000${entity === null ? '' : `&entity=${entity}`}`}
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
      <div className="audit__table" role="table" aria-rowcount={events.length}>
        <div className="audit__row audit__row--head" role="row">
          <span role="columnheader">{t('audit.time')}</span>
          <span role="columnheader">{t('audit.actor')}</span>
          <span role="columnheader">{t('audit.role')}</span>
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
                const summary = summaries[item.index] ?? '';
                return (
                  <div
                    key={item.key}
                    className="audit__row"
                    role="row"
                    data-testid="audit-row"
                    data-action={event.action}
                    data-actor={event.actor}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT_PX }}
                  >
                    <span role="cell" className="audit__time">
                      {formatKstDateTime(event.atMs)}
                    </span>
                    <span role="cell" className="audit__actor">
                      {event.actor}
                    </span>
                    <span role="cell">
                      {event.actorRole === null
                        ? '—'
                        : event.actorRole === 'system'
                          ? t('audit.system')
                          : t(`roles.${event.actorRole}`)}
                    </span>
                    <span role="cell" className="audit__action">
                      {event.action}
                    </span>
                    <span role="cell">
                      {event.entityId === null
                        ? t(`audit.entity.${event.entityType}`)
                        : `${t(`audit.entity.${event.entityType}`)} ${event.entityId}`}
                    </span>
                    <span role="cell" className="audit__changes" title={summary}>
                      {summary}
                    </span>
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
