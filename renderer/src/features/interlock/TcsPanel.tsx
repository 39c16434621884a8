/**
 * The police TCS hand-off (경찰청 TCS 이관): every hand-off with its state, attempts, last error,
 * next attempt and TCS case number, those waiting for a person first; the success rate against
 * the 99% KPI; what a supervisor may do (approve, retry now, take over with an outcome); and a
 * notice when the relay has no TCS endpoint or has paused sending.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dispatch, DispatchStats, Violation } from '../../../../shared/interlock';
import { can } from '../../../../shared/roles';
import { formatKstMoment } from '../../lib/format-time';
import { useAgeText } from '../../lib/use-age-text';
import { useNow } from '../../lib/use-now';
import { useRelayError } from '../../lib/use-relay-error';
import { useAppStore } from '../../store';
import { dispatchCommand } from './interlock-api';
import { interlockErrorText } from './interlock-errors';
import {
  formatRate,
  isPendingDispatch,
  possibleCommands,
  sortedDispatches,
  type DispatchCommand,
} from './interlock-list';
import { dispatchAttention } from './interlock-labels';
import { selectViolation } from './selection';
import { TakeoverDialog } from './TakeoverDialog';
import { useDispatchStats } from './use-dispatch-stats';

/** Rows with the action line, and without it (roles that may not act). */
const ROW_HEIGHT_PX = 136;
const ROW_HEIGHT_READ_ONLY_PX = 104;
const OVERSCAN_ROWS = 4;
const CLOCK_TICK_MS = 1000;

export function TcsPanel() {
  const { t } = useTranslation();
  const byId = useAppStore((state) => state.dispatchesById);
  const loaded = useAppStore((state) => state.dispatchesLoaded);
  const violations = useAppStore((state) => state.violationsById);
  const highlighted = useAppStore((state) => state.highlightedDispatchId);
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const close = useAppStore((state) => state.setInterlockPanel);
  const dispatches = useMemo(() => sortedDispatches(byId), [byId]);
  const mayAct = role !== null && can(role, 'dispatch.approve');
  const rowHeight = mayAct ? ROW_HEIGHT_PX : ROW_HEIGHT_READ_ONLY_PX;
  const now = useNow(CLOCK_TICK_MS);
  const [pending, setPending] = useState<number | null>(null);
  // A refusal about the link clears itself when the link is back (lib/use-relay-error.ts).
  const { error, showRelayError, setError } = useRelayError();
  const [takingOver, setTakingOver] = useState<Dispatch | null>(null);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: dispatches.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => dispatches[index]?.id ?? index,
  });

  // "Show in the TCS panel" from a violation: scroll its hand-off into view.
  const highlightedIndex = dispatches.findIndex((d) => d.id === highlighted);
  useEffect(() => {
    if (highlightedIndex >= 0) virtualizer.scrollToIndex(highlightedIndex, { align: 'center' });
  }, [highlightedIndex, virtualizer]);

  const run = async (dispatch: Dispatch, command: 'approve' | 'retry'): Promise<void> => {
    setPending(dispatch.id);
    setError(null);
    const result = await dispatchCommand(dispatch, command);
    setPending(null);
    if (!result.ok)
      showRelayError(`#${dispatch.id}: ${interlockErrorText(t, result.error)}`, result.error);
  };

  const onCommand = (dispatch: Dispatch, command: DispatchCommand): void => {
    if (command === 'takeover') {
      setError(null);
      setTakingOver(dispatch);
    } else {
      void run(dispatch, command);
    }
  };

  return (
    <section
      className="interlock-panel tcs-panel"
      data-testid="tcs-panel"
      data-loaded={loaded}
      aria-labelledby="tcs-title"
    >
      <div className="interlock-panel__head">
        <h2 id="tcs-title" className="interlock-panel__title">
          {t('tcs.title')}
        </h2>
        <span className="interlock-panel__shown">
          {t('tcs.shown', { count: dispatches.length })}
        </span>
        <button
          type="button"
          className="drawer__close"
          data-testid="tcs-close"
          aria-label={t('tcs.close')}
          title={t('tcs.close')}
          onClick={() => close(null)}
        >
          ×
        </button>
      </div>
      <SuccessRate />
      {error !== null && (
        <p className="detail__error tcs-panel__error" data-testid="tcs-action-error" role="alert">
          {error}
        </p>
      )}
      <div ref={scrollRef} className="interlock-panel__list" aria-label={t('tcs.title')}>
        {dispatches.length === 0 ? (
          <p className="interlock-panel__empty">{loaded ? t('tcs.empty') : t('tcs.loading')}</p>
        ) : (
          <div className="interlock-panel__rows" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const dispatch = dispatches[item.index]!;
              return (
                <DispatchRow
                  key={item.key}
                  dispatch={dispatch}
                  violation={violations[dispatch.violationId]}
                  top={item.start}
                  height={rowHeight}
                  mayAct={mayAct}
                  busy={pending === dispatch.id}
                  highlighted={dispatch.id === highlighted}
                  now={now}
                  onCommand={onCommand}
                />
              );
            })}
          </div>
        )}
      </div>
      {takingOver !== null && (
        <TakeoverDialog
          dispatch={byId[takingOver.id] ?? takingOver}
          onClose={() => setTakingOver(null)}
        />
      )}
    </section>
  );
}

/** The KPI (seed 001 §10: TCS 연계 성공률 99% 이상) and the link's state. */
function SuccessRate() {
  const { t } = useTranslation();
  const stats = useAppStore((state) => state.dispatchStats);
  const healthTcs = useAppStore((state) => state.health?.tcs ?? null);
  useDispatchStats();
  // The link's state comes with every health push (2 s), so a breaker opening shows without
  // waiting for a hand-off to change; the stats answer stands in until the first push.
  const tcs = healthTcs ?? stats?.tcs ?? null;
  return (
    <div className="tcs-kpi">
      <KpiFigure stats={stats} />
      {tcs !== null && !tcs.configured && (
        <p className="tcs-notice" data-testid="tcs-not-configured" role="status">
          {t('tcs.notConfigured')}
        </p>
      )}
      {tcs !== null && tcs.configured && tcs.breaker === 'open' && (
        <p className="tcs-notice" data-testid="tcs-breaker-open" role="status">
          {t('tcs.breakerOpen')}
        </p>
      )}
    </div>
  );
}

function KpiFigure({ stats }: { stats: DispatchStats | null }) {
  const { t } = useTranslation();
  const rate = stats?.successRate ?? null;
  const meets = rate === null || stats === null ? null : rate >= stats.target;
  return (
    <div className="tcs-kpi__figure">
      <div className="tcs-kpi__rate-box">
        <span className="tcs-kpi__label">{t('tcs.successRate')}</span>
        <span
          className={`tcs-kpi__rate${meets === null ? '' : meets ? ' is-met' : ' is-below'}`}
          data-testid="tcs-success-rate"
          data-rate={rate ?? ''}
          data-meets-target={meets ?? ''}
        >
          {rate === null ? '—' : formatRate(rate)}
        </span>
        <span className="tcs-kpi__target">
          {stats === null ? '' : t('tcs.target', { target: formatRate(stats.target) })}
          {meets === false && ` · ${t('tcs.belowTarget')}`}
          {stats !== null && rate === null && ` · ${t('tcs.noFinished')}`}
        </span>
      </div>
      {stats !== null && (
        <div className="tcs-kpi__rate-box">
          <span className="tcs-kpi__label">{t('tcs.caseRate')}</span>
          <span
            className="tcs-kpi__rate"
            data-testid="tcs-case-rate"
            data-rate={stats.caseRate ?? ''}
          >
            {stats.caseRate === null ? '—' : formatRate(stats.caseRate)}
          </span>
          <span className="tcs-kpi__target">{t('tcs.caseRateHint')}</span>
        </div>
      )}
      {stats !== null && (
        <dl className="tcs-kpi__counts">
          {(['accepted', 'rejected', 'manual', 'pending'] as const).map((key) => (
            <div key={key} className={`tcs-kpi__count tcs-kpi__count--${key}`}>
              <dt>{t(`tcs.counts.${key}`)}</dt>
              <dd data-testid={`tcs-count-${key}`}>{stats[key]}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

const DispatchRow = memo(function DispatchRow({
  dispatch,
  violation,
  top,
  height,
  mayAct,
  busy,
  highlighted,
  now,
  onCommand,
}: {
  dispatch: Dispatch;
  violation: Violation | undefined;
  top: number;
  height: number;
  mayAct: boolean;
  busy: boolean;
  highlighted: boolean;
  now: number;
  onCommand: (dispatch: Dispatch, command: DispatchCommand) => void;
}) {
  const { t } = useTranslation();
  const ageText = useAgeText();
  const at = (ms: number): string => `${formatKstMoment(ms, now)} KST`;
  const commands = mayAct ? possibleCommands(dispatch) : [];
  const attention = dispatchAttention(dispatch, mayAct);
  const needsPerson = attention !== null;
  const classes = [
    'list-row',
    'dispatch-row',
    `dispatch-row--${dispatch.state}`,
    needsPerson ? 'is-attention' : '',
    highlighted ? 'is-highlighted' : '',
  ].filter(Boolean);
  // The plate is what the row is for: it never shrinks; the rule's words give way instead.
  const plate = violation === undefined ? null : (violation.plate ?? t('interlock.unknownPlate'));
  const what =
    violation === undefined
      ? t('tcs.violation', { id: String(dispatch.violationId) })
      : t(`interlock.rule.${violation.rule}`);
  const detail =
    dispatch.manualOutcome !== null && dispatch.manualBy !== null
      ? t('tcs.manualBy', {
          by: dispatch.manualBy,
          outcome: t(`tcs.outcome.${dispatch.manualOutcome}`),
        })
      : [
          t('tcs.requested', { by: dispatch.requestedBy, at: at(dispatch.requestedMs) }),
          dispatch.approvedBy === null ? null : t('tcs.approved', { by: dispatch.approvedBy }),
        ]
          .filter(Boolean)
          .join(' · ');
  const select = (): void => {
    useAppStore.getState().highlightDispatch(null);
    if (violation !== undefined) selectViolation(violation.id);
  };
  return (
    <div
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)`, height }}
      data-testid="dispatch-row"
      data-dispatch-id={dispatch.id}
      data-violation-id={dispatch.violationId}
      data-state={dispatch.state}
      data-version={dispatch.version}
      onClick={select}
    >
      <div className="dispatch-row__line">
        <span
          className={`dispatch-state dispatch-state--${dispatch.state}`}
          data-testid="dispatch-state"
        >
          {t(`tcs.state.${dispatch.state}`)}
        </span>
        <span className="dispatch-row__id">#{dispatch.id}</span>
        {plate !== null && (
          <span className="dispatch-row__plate" data-testid="dispatch-plate">
            {plate}
          </span>
        )}
        {attention !== null && (
          <span
            className="dispatch-row__attention"
            data-testid="dispatch-attention"
            data-attention={attention}
          >
            {t(`tcs.attention.${attention}`)}
          </span>
        )}
        <span className="dispatch-row__age">{ageText(now - dispatch.updatedMs)}</span>
      </div>
      <div className="dispatch-row__line dispatch-row__facts">
        {/* The rule leads the second line: beside the plate and chips it was cut to "A…". */}
        <span className="dispatch-row__what" title={what}>
          {what}
        </span>
        <span data-testid="dispatch-attempts">
          {t('tcs.attempts', {
            attempts: String(dispatch.attempts),
            limit: String(dispatch.attemptLimit),
          })}
        </span>
        {dispatch.state === 'retry_wait' && dispatch.nextAttemptMs !== null && (
          <span data-testid="dispatch-next-attempt">
            {t('tcs.nextAttempt', { at: at(dispatch.nextAttemptMs) })}
          </span>
        )}
        {dispatch.caseNumber !== null && (
          <span className="dispatch-row__case">
            {t('tcs.caseNumber')}{' '}
            <strong data-testid="dispatch-case-number">{dispatch.caseNumber}</strong>
          </span>
        )}
      </div>
      <div className="dispatch-row__line">
        {/* The last error while it still matters: under way or waiting for a person. */}
        {dispatch.lastError !== null && (isPendingDispatch(dispatch) || dispatch.awaitingPerson) ? (
          <span
            className="dispatch-row__error"
            data-testid="dispatch-last-error"
            title={dispatch.lastError}
          >
            {t('tcs.lastError')}: {dispatch.lastError}
          </span>
        ) : (
          <span className="dispatch-row__who" title={detail}>
            {detail}
          </span>
        )}
      </div>
      {commands.length > 0 && (
        <div className="dispatch-row__actions">
          {commands.map((command) => (
            <button
              key={command}
              type="button"
              className={`action-button action-button--small${command === 'approve' ? ' is-primary' : ''}`}
              data-testid={`dispatch-${command}`}
              disabled={busy}
              aria-busy={busy}
              onClick={(event) => {
                event.stopPropagation();
                onCommand(dispatch, command);
              }}
            >
              {t(`tcs.${command}`)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
});
