import { ALERT_TYPES } from '../../../../shared/alerts';
import { useNow } from '../../lib/use-now';
import { formatPercent } from '../../lib/format-money';
import { useAppStore } from '../../store';
import { Bi } from '../Bi';
import { formatDataAge } from '../feed-status';
import { ALERT_TYPE_SHORT, fill, KIOSK_TEXT } from '../kiosk-text';
import { useDispatchStats, type DispatchStatsState } from '../use-dispatch-stats';
import { Figure } from './Figure';
import { formatCount, useAlertFigures } from './use-alert-figures';

const TICK_MS = 1000;

/**
 * Key figures: live vehicles, unacknowledged alerts and how long the oldest has waited, today's
 * alerts per type, the TCS hand-off success rate (where the relay has it) and the ingest's health.
 */
export function KpiBoard() {
  const now = useNow(TICK_MS);
  const vehicles = useAppStore((state) => state.liveCount);
  const { figures } = useAlertFigures(now);
  const oldest = figures.oldestUnacknowledgedMs;
  const oldestText = oldest === null ? KIOSK_TEXT.noneWaiting : formatDataAge(oldest);

  return (
    <section className="kiosk-view kiosk-view--kpi" data-testid="kiosk-view-kpi">
      <div className="kiosk-kpi">
        <Figure
          label={KIOSK_TEXT.vehicles}
          value={formatCount(vehicles)}
          testId="kiosk-kpi-vehicles"
          dataValue={vehicles}
        />
        <Figure
          label={KIOSK_TEXT.unacknowledged}
          value={formatCount(figures.unacknowledged)}
          alarm={figures.overdue > 0}
          testId="kiosk-kpi-unacknowledged"
          dataValue={figures.unacknowledged}
          detail={
            <Bi
              text={fill({ ko: '기한 초과 {{n}}건', en: '{{n}} overdue' }, { n: figures.overdue })}
              inline
            />
          }
        />
        <Figure
          label={KIOSK_TEXT.oldestUnacknowledged}
          value={<span className="kiosk-figure__age">{oldestText.ko}</span>}
          detail={<span lang="en">{oldestText.en}</span>}
          testId="kiosk-kpi-oldest"
          dataValue={oldest ?? ''}
        />
        <Figure
          label={KIOSK_TEXT.alertsToday}
          value={formatCount(figures.todayTotal)}
          testId="kiosk-kpi-today"
          dataValue={figures.todayTotal}
          beside
          detail={
            <ul className="kiosk-kpi__types">
              {ALERT_TYPES.map((type) => (
                <li key={type} data-type={type}>
                  <span className="kiosk-kpi__type-count">
                    {formatCount(figures.todayByType[type])}
                  </span>
                  <Bi text={ALERT_TYPE_SHORT[type]} />
                </li>
              ))}
            </ul>
          }
        />
        <TcsFigure stats={useDispatchStats()} />
        <IngestFigure now={now} />
      </div>
    </section>
  );
}

function TcsFigure({ stats }: { stats: DispatchStatsState }) {
  if (stats.kind !== 'ok') {
    const text =
      stats.kind === 'unavailable'
        ? KIOSK_TEXT.tcsUnavailable
        : stats.kind === 'failed'
          ? KIOSK_TEXT.tcsFailed
          : KIOSK_TEXT.ingestUnknown;
    return (
      <Figure
        label={KIOSK_TEXT.tcsRate}
        value={<span className="kiosk-figure__none">—</span>}
        detail={<Bi text={text} />}
        testId="kiosk-kpi-tcs"
        dataValue={stats.kind}
      />
    );
  }
  const { successRate, caseRate, target, tcs } = stats.stats;
  const below = successRate !== null && successRate < target;
  const detail = [
    fill(KIOSK_TEXT.tcsTarget, { target: formatPercent(target) }),
    ...(successRate === null ? [KIOSK_TEXT.tcsNoneYet] : []),
    // The link's rate is the KPI; how many requests became cases is the other half of the story.
    ...(caseRate === null ? [] : [fill(KIOSK_TEXT.tcsCaseRate, { rate: formatPercent(caseRate) })]),
    ...(tcs.breaker === 'open' ? [KIOSK_TEXT.tcsBreakerOpen] : []),
  ];
  return (
    <Figure
      label={KIOSK_TEXT.tcsRate}
      value={successRate === null ? '—' : formatPercent(successRate)}
      alarm={below || tcs.breaker === 'open'}
      testId="kiosk-kpi-tcs"
      dataValue={successRate ?? 'none'}
      detail={
        <>
          {detail.map((line) => (
            <Bi key={line.en} text={line} inline />
          ))}
        </>
      }
    />
  );
}

function IngestFigure({ now }: { now: number }) {
  const health = useAppStore((state) => state.health);
  if (health === null) {
    return (
      <Figure
        label={KIOSK_TEXT.ingestWaiting}
        value={<Bi text={KIOSK_TEXT.ingestUnknown} inline />}
        testId="kiosk-kpi-ingest"
        dataValue="unknown"
      />
    );
  }
  const ok = health.status === 'ok';
  const lag =
    health.consumerLag === null
      ? KIOSK_TEXT.ingestLagUnknown
      : fill(KIOSK_TEXT.ingestLag, { lag: formatCount(health.consumerLag) });
  return (
    <Figure
      label={fill(KIOSK_TEXT.ingest, { source: KIOSK_TEXT.source[health.source] })}
      value={<Bi text={ok ? KIOSK_TEXT.ingestOk : KIOSK_TEXT.ingestDegraded} inline />}
      alarm={!ok}
      testId="kiosk-kpi-ingest"
      dataValue={health.status}
      detail={
        <>
          <Bi text={lag} inline />
          {health.lastIngestMs !== null && (
            <Bi
              text={fill(KIOSK_TEXT.ingestLast, {
                age: formatDataAge(now - health.lastIngestMs),
              })}
              inline
            />
          )}
        </>
      }
    />
  );
}
