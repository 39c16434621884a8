/**
 * The seed's KPIs and the pipeline's health (seed 000 §9–§10, DESIGN §14) on the desktop: each
 * figure beside its target, red when it misses; the open pipeline alarms; each topic's freshness
 * against its own cadence.
 */
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiFigure, KpiReport, TopicFreshness } from '../../../../shared/kpis';
import { formatKstDateTime } from '../../lib/format-time';
import { formatKpiTarget, formatKpiValue, isInterlockKpi, kpiTone } from './kpi-format';
import { useKpis } from './use-kpis';
import './kpis.css';

export function KpiPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const state = useKpis();
  const report =
    state.status === 'ready' ? state.report : state.status === 'error' ? state.last : null;
  return (
    <section className="kpi-panel" aria-label={t('kpi.title')} data-testid="kpi-panel">
      <header className="kpi-panel__head">
        <h2 className="kpi-panel__title">{t('kpi.title')}</h2>
        <button
          type="button"
          className="kpi-panel__close"
          onClick={onClose}
          data-testid="kpi-close"
        >
          {t('kpi.close')}
        </button>
      </header>
      {state.status === 'loading' && <p className="kpi-panel__note">{t('kpi.loading')}</p>}
      {state.status === 'error' && (
        <p className="kpi-panel__note" role="alert">
          {t('kpi.error', { message: state.error.message })}
        </p>
      )}
      {report !== null && <Report report={report} />}
    </section>
  );
}

function Report({ report }: { report: KpiReport }) {
  const { t } = useTranslation();
  return (
    <>
      <table className="kpi-panel__table">
        <thead>
          <tr>
            <th scope="col">{t('kpi.figure')}</th>
            <th scope="col">{t('kpi.value')}</th>
            <th scope="col">{t('kpi.target')}</th>
          </tr>
        </thead>
        <tbody>
          {report.figures.map((figure, i) => (
            <Fragment key={figure.id}>
              {isInterlockKpi(figure.id) && !isInterlockKpi(report.figures[i - 1]?.id) && (
                <tr className="kpi-panel__group" data-testid="kpi-group-interlock">
                  <th scope="rowgroup" colSpan={3}>
                    {t('kpi.interlockGroup')}
                  </th>
                </tr>
              )}
              <FigureRow figure={figure} />
            </Fragment>
          ))}
        </tbody>
      </table>
      <h3 className="kpi-panel__subtitle">{t('kpi.alarms')}</h3>
      {report.alarms.length === 0 ? (
        <p className="kpi-panel__note" data-testid="kpi-no-alarms">
          {t('kpi.noAlarms')}
        </p>
      ) : (
        <ul className="kpi-panel__alarms">
          {report.alarms.map((alarm) => (
            <li
              key={alarm.key}
              className="kpi-panel__alarm"
              data-testid="kpi-alarm"
              data-key={alarm.key}
            >
              {alarm.kind === 'consumer_lag'
                ? t('kpi.alarmLag', {
                    value: formatKpiValue(alarm.value, 'messages'),
                    threshold: formatKpiValue(alarm.threshold, 'messages'),
                  })
                : t('kpi.alarmStalled', {
                    topic: alarm.topic ?? '',
                    minutes: String(Math.round(alarm.value / 60_000)),
                  })}{' '}
              <span className="kpi-panel__since">
                {t('kpi.since', { time: `${formatKstDateTime(alarm.sinceMs)} KST` })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="kpi-panel__subtitle">{t('kpi.topics')}</h3>
      <ul className="kpi-panel__topics">
        {report.topics.map((topic) => (
          <TopicRow key={topic.topic} topic={topic} />
        ))}
      </ul>
      <p className="kpi-panel__note">
        {t('kpi.measuredAt', { time: `${formatKstDateTime(report.atMs)} KST` })}
      </p>
    </>
  );
}

function FigureRow({ figure }: { figure: KpiFigure }) {
  const { t } = useTranslation();
  const tone = kpiTone(figure);
  return (
    <tr
      className={`kpi-panel__row kpi-panel__row--${tone}`}
      data-testid="kpi-figure"
      data-kpi={figure.id}
      data-tone={tone}
    >
      <th scope="row">{t(`kpi.figures.${figure.id}`)}</th>
      <td className="kpi-panel__value">
        {figure.value === null ? t('kpi.noData') : formatKpiValue(figure.value, figure.unit)}
        {figure.samples !== null && (
          <span className="kpi-panel__samples">{t('kpi.samples', { count: figure.samples })}</span>
        )}
      </td>
      <td className="kpi-panel__target">{formatKpiTarget(figure)}</td>
    </tr>
  );
}

function TopicRow({ topic }: { topic: TopicFreshness }) {
  const { t } = useTranslation();
  return (
    <li
      className={`kpi-panel__topic${topic.stale ? ' is-stale' : ''}`}
      data-testid="kpi-topic"
      data-topic={topic.topic}
    >
      <span className="kpi-panel__topic-name">{topic.topic}</span>{' '}
      {topic.lastMessageMs === null
        ? t('kpi.topicNever')
        : t(topic.stale ? 'kpi.topicStale' : 'kpi.topicFresh', {
            time: `${formatKstDateTime(topic.lastMessageMs)} KST`,
            staleAfter: String(Math.round(topic.staleAfterMs / 1000)),
          })}
    </li>
  );
}
