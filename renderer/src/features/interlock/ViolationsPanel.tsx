/**
 * Interlock violations (음주운전 방지장치 위반): filters by grade, status and rule, and a
 * virtualised list, major violations still waiting for someone first. Selecting one opens its
 * detail and flies the map to it.
 */
import { formatBac } from '../../../../shared/bac';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  VIOLATION_GRADES,
  VIOLATION_RULES,
  VIOLATION_STATUSES,
  type Violation,
} from '../../../../shared/interlock';
import { Age } from '../../lib/Age';
import { useAppStore } from '../../store';
import {
  countOpenMajor,
  needsAttention,
  visibleViolations,
  type ViolationFilters,
} from './interlock-list';
import { violationStatusLabel } from './interlock-labels';
import { selectViolation } from './selection';
import { violationPlace } from './violation-place';

/**
 * Fixed row height: the virtualiser needs no measuring, and rows line up for the eye. Three lines
 * (rule and age; plate, driver and place; reading and status), as the alert inbox.
 */
const ROW_HEIGHT_PX = 96;
const OVERSCAN_ROWS = 6;
const ALL = '';

export function ViolationsPanel() {
  const { t } = useTranslation();
  const byId = useAppStore((state) => state.violationsById);
  const loaded = useAppStore((state) => state.violationsLoaded);
  const filters = useAppStore((state) => state.violationFilters);
  const selectedId = useAppStore((state) => state.selectedViolationId);
  const close = useAppStore((state) => state.setInterlockPanel);
  const violations = useMemo(() => visibleViolations(byId, filters), [byId, filters]);
  const openMajor = useMemo(() => countOpenMajor(byId), [byId]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: violations.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => violations[index]?.id ?? index,
  });

  /** Up and down move the selection through the list, as in the alert inbox. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = violations.findIndex((v) => v.id === selectedId);
    const next = event.key === 'ArrowDown' ? index + 1 : Math.max(0, index - 1);
    const target = violations[Math.min(next, violations.length - 1)];
    if (target === undefined) return;
    selectViolation(target.id);
    virtualizer.scrollToIndex(violations.indexOf(target), { align: 'auto' });
  };

  return (
    <section
      className="interlock-panel"
      data-testid="violations-panel"
      data-loaded={loaded}
      aria-labelledby="violations-title"
    >
      <div className="interlock-panel__head">
        <h2 id="violations-title" className="interlock-panel__title">
          {t('interlock.title')}
        </h2>
        <span className="interlock-panel__shown">
          {t('interlock.shown', { count: violations.length })}
        </span>
        <button
          type="button"
          className="drawer__close"
          data-testid="violations-close"
          aria-label={t('interlock.close')}
          title={t('interlock.close')}
          onClick={() => close(null)}
        >
          ×
        </button>
      </div>
      {openMajor > 0 && (
        <p className="interlock-panel__summary" data-testid="violations-open-major">
          {t('interlock.openMajor', { count: openMajor })}
        </p>
      )}
      <Filters filters={filters} />
      <div
        ref={scrollRef}
        className="interlock-panel__list"
        role="listbox"
        tabIndex={0}
        aria-label={t('interlock.title')}
        aria-activedescendant={selectedId === null ? undefined : `violation-row-${selectedId}`}
        onKeyDown={onKeyDown}
      >
        {violations.length === 0 ? (
          <p className="interlock-panel__empty">
            {loaded ? t('interlock.empty') : t('interlock.loading')}
          </p>
        ) : (
          <div className="interlock-panel__rows" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const violation = violations[item.index]!;
              return (
                <ViolationRow
                  key={item.key}
                  violation={violation}
                  top={item.start}
                  selected={violation.id === selectedId}
                />
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

function Filters({ filters }: { filters: ViolationFilters }) {
  const { t } = useTranslation();
  const setFilter = useAppStore((state) => state.setViolationFilter);
  const valueOrNull = <T extends string>(value: string): T | null =>
    value === ALL ? null : (value as T);
  return (
    <div className="interlock-panel__filters">
      <label className="filter">
        <span className="filter__label">{t('interlock.filterGrade')}</span>
        <select
          data-testid="violation-filter-grade"
          value={filters.grade ?? ALL}
          onChange={(event) => setFilter('grade', valueOrNull(event.target.value))}
        >
          <option value={ALL}>{t('interlock.all')}</option>
          {[...VIOLATION_GRADES].reverse().map((grade) => (
            <option key={grade} value={grade}>
              {t(`interlock.grade.${grade}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter__label">{t('interlock.filterStatus')}</span>
        <select
          data-testid="violation-filter-status"
          value={filters.status ?? ALL}
          onChange={(event) => setFilter('status', valueOrNull(event.target.value))}
        >
          <option value={ALL}>{t('interlock.all')}</option>
          {VIOLATION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`interlock.status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter__label">{t('interlock.filterRule')}</span>
        <select
          data-testid="violation-filter-rule"
          value={filters.rule ?? ALL}
          onChange={(event) => setFilter('rule', valueOrNull(event.target.value))}
        >
          <option value={ALL}>{t('interlock.all')}</option>
          {VIOLATION_RULES.map((rule) => (
            <option key={rule} value={rule}>
              {t(`interlock.rule.${rule}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

const ViolationRow = memo(function ViolationRow({
  violation,
  top,
  selected,
}: {
  violation: Violation;
  top: number;
  selected: boolean;
}) {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  const place = violationPlace(violation, language);
  const dispatchState = useAppStore((state) =>
    violation.dispatchId === null ? undefined : state.dispatchesById[violation.dispatchId]?.state,
  );
  const statusLabel = violationStatusLabel(
    violation.status,
    dispatchState === undefined ? undefined : { state: dispatchState },
  );
  const classes = [
    'list-row',
    'violation-row',
    `violation-row--${violation.grade}`,
    needsAttention(violation) ? 'is-attention' : '',
    selected ? 'is-selected' : '',
  ].filter(Boolean);
  return (
    <div
      id={`violation-row-${violation.id}`}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT_PX }}
      role="option"
      aria-selected={selected}
      data-testid="violation-row"
      data-violation-id={violation.id}
      data-grade={violation.grade}
      data-status={violation.status}
      data-rule={violation.rule}
      onClick={() => selectViolation(violation.id)}
    >
      <div className="violation-row__line">
        <span className={`grade-chip grade-chip--${violation.grade}`}>
          {t(`interlock.grade.${violation.grade}`)}
        </span>
        <span className="violation-row__rule">{t(`interlock.rule.${violation.rule}`)}</span>
        <Age className="violation-row__age" sinceMs={violation.occurredMs} />
      </div>
      <div className="violation-row__line">
        <span className="violation-row__plate">
          {violation.plate ?? violation.device.serialNumber ?? t('interlock.unknownPlate')}
        </span>
        <span className="violation-row__subject">
          {violation.subject?.name ?? t('interlock.noSubject')}
        </span>
        <span className="violation-row__place">{place || t('interlock.unknownPlace')}</span>
      </div>
      {/* The reading and the status on a line of their own: beside the rule they cut it. */}
      <div className="violation-row__line">
        {violation.bac !== null && (
          <span className="violation-row__bac">{formatBac(violation.bac)}</span>
        )}
        <span className={`violation-status violation-status--${violation.status}`}>
          {t(`interlock.status.${statusLabel}`)}
        </span>
      </div>
    </div>
  );
});
