/**
 * The interlock registry screen (seed 001 §4–§5 대상자 관리, 장치/로그 관리): obliged drivers with
 * their obligation period, device, last calibration (with its notice before due), last log,
 * open violations and closer monitoring; devices with their installer, status and re-calibration
 * request; and, for admins, the registry file import with its validation report. Personal data
 * arrives masked from the relay.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../../shared/roles';
import type {
  RegistryDeviceView,
  RegistryStatus,
  RegistrySubjectView,
} from '../../../../shared/registry';
import { formatKstDateTime } from '../../lib/format-time';
import { displayInstaller } from '../detail/display-names';
import { useAppStore } from '../../store';
import { loadDevices, loadStatus, loadSubjects, refreshRegistry } from './registry-api';
import { formatKstDate, standingTone } from './registry-format';
import { RegistryImport } from './RegistryImport';
import './registry.css';

type Tab = 'subjects' | 'devices' | 'import';

export function RegistryPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const isAdmin = role !== null && can(role, 'settings.manage');
  const [tab, setTab] = useState<Tab>('subjects');
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [status, setStatus] = useState<RegistryStatus | null>(null);
  const [subjects, setSubjects] = useState<RegistrySubjectView[] | null>(null);
  const [devices, setDevices] = useState<RegistryDeviceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  const load = useCallback(async () => {
    const [s, subjectList, deviceList] = await Promise.all([
      loadStatus(),
      loadSubjects(flaggedOnly),
      loadDevices(),
    ]);
    const failed = [s, subjectList, deviceList].find((r) => !r.ok);
    setError(failed && !failed.ok ? failed.error.message : null);
    if (s.ok) setStatus(s.value);
    if (subjectList.ok) setSubjects(subjectList.value.subjects);
    if (deviceList.ok) setDevices(deviceList.value.devices);
  }, [flaggedOnly]);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = async () => {
    setRefreshing(true);
    const result = await refreshRegistry();
    setRefreshing(false);
    if (!result.ok) setError(result.error.message);
    await load();
  };

  return (
    <section
      className="registry-panel"
      aria-label={t('registry.title')}
      data-testid="registry-panel"
    >
      <header className="registry-panel__head">
        <h2 className="registry-panel__title">{t('registry.title')}</h2>
        <div className="registry-panel__tabs" role="tablist">
          {(['subjects', 'devices', ...(isAdmin ? ['import' as const] : [])] as Tab[]).map(
            (name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                className={`registry-panel__tab${tab === name ? ' is-active' : ''}`}
                data-testid={`registry-tab-${name}`}
                onClick={() => setTab(name)}
              >
                {t(`registry.tabs.${name}`)}
              </button>
            ),
          )}
        </div>
        <button
          type="button"
          className="registry-panel__close"
          onClick={onClose}
          data-testid="registry-close"
        >
          {t('registry.close')}
        </button>
      </header>
      {status && (
        <Summary status={status} isAdmin={isAdmin} refreshing={refreshing} onRefresh={refresh} />
      )}
      {error && (
        <p className="registry-panel__error" role="alert" data-testid="registry-error">
          {t('registry.error', { message: error })}
        </p>
      )}
      {tab === 'subjects' && (
        <>
          <label className="registry-panel__filter">
            <input
              type="checkbox"
              checked={flaggedOnly}
              onChange={(event) => setFlaggedOnly(event.target.checked)}
              data-testid="registry-flagged-only"
            />{' '}
            {t('registry.flaggedOnly')}
          </label>
          <SubjectTable subjects={subjects} />
        </>
      )}
      {tab === 'devices' && <DeviceTable devices={devices} />}
      {tab === 'import' && isAdmin && <RegistryImport onImported={() => void load()} />}
    </section>
  );
}

function Summary({
  status,
  isAdmin,
  refreshing,
  onRefresh,
}: {
  status: RegistryStatus;
  isAdmin: boolean;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { t } = useTranslation();
  const { counts, lastRefresh, policy } = status;
  return (
    <div className="registry-panel__summary" data-testid="registry-summary">
      <span>
        {t('registry.counts', {
          operators: String(counts.operators),
          subjects: String(counts.subjects),
          devices: String(counts.devices),
        })}
      </span>
      <span className={counts.flagged > 0 ? 'is-notice' : ''} data-testid="registry-flagged-count">
        {t('registry.flaggedCount', { count: counts.flagged, days: String(policy.windowDays) })}
      </span>
      <span className={counts.calibrationDueSoon > 0 ? 'is-notice' : ''}>
        {t('registry.dueSoonCount', {
          count: counts.calibrationDueSoon,
          days: String(policy.noticeDays),
        })}
      </span>
      <span className={counts.calibrationOverdue > 0 ? 'is-bad' : ''}>
        {t('registry.overdueCount', { count: counts.calibrationOverdue })}
      </span>
      <span className={counts.recalibrationOpen > 0 ? 'is-notice' : ''}>
        {t('registry.recalibrationCount', { count: counts.recalibrationOpen })}
      </span>
      <span className="registry-panel__refreshed">
        {lastRefresh === null
          ? t('registry.neverRefreshed')
          : lastRefresh.ok
            ? t('registry.refreshed', { time: `${formatKstDateTime(lastRefresh.atMs)} KST` })
            : t('registry.refreshFailed', { message: lastRefresh.error ?? '' })}
      </span>
      <span className="registry-panel__policy">
        {t('registry.policy', { count: policy.repeatCount, days: String(policy.windowDays) })}
      </span>
      {isAdmin && (
        <button
          type="button"
          className="registry-panel__button"
          disabled={refreshing}
          onClick={onRefresh}
          data-testid="registry-refresh"
        >
          {t(refreshing ? 'registry.refreshing' : 'registry.refresh')}
        </button>
      )}
    </div>
  );
}

function Calibration({
  device,
}: {
  device: Pick<RegistryDeviceView, 'lastCalibrationMs' | 'calibration' | 'calibrationDueMs'>;
}) {
  const { t } = useTranslation();
  return (
    <>
      {formatKstDate(device.lastCalibrationMs)}
      {device.calibration !== 'ok' && (
        <span
          className={`registry-badge registry-badge--${standingTone(device.calibration)}`}
          data-testid="registry-calibration-notice"
          data-standing={device.calibration}
        >
          {t(`registry.calibration.${device.calibration}`, {
            date: formatKstDate(device.calibrationDueMs),
          })}
        </span>
      )}
    </>
  );
}

function LastLog({
  device,
}: {
  device: Pick<RegistryDeviceView, 'lastLogSubmittedMs' | 'logOverdue'>;
}) {
  const { t } = useTranslation();
  return (
    <>
      {formatKstDate(device.lastLogSubmittedMs)}
      {device.logOverdue && (
        <span className="registry-badge registry-badge--bad">{t('registry.logOverdue')}</span>
      )}
    </>
  );
}

function SubjectTable({ subjects }: { subjects: RegistrySubjectView[] | null }) {
  const { t } = useTranslation();
  if (subjects === null) return <p className="registry-panel__note">{t('registry.loading')}</p>;
  if (subjects.length === 0) {
    return <p className="registry-panel__note">{t('registry.noSubjects')}</p>;
  }
  return (
    <div className="registry-panel__scroll">
      <table className="registry-table" data-testid="registry-subjects">
        <thead>
          <tr>
            <th scope="col">{t('registry.col.subject')}</th>
            <th scope="col">{t('registry.col.name')}</th>
            <th scope="col">{t('registry.col.obligation')}</th>
            <th scope="col">{t('registry.col.device')}</th>
            <th scope="col">{t('registry.col.lastCalibration')}</th>
            <th scope="col">{t('registry.col.lastLog')}</th>
            <th scope="col">{t('registry.col.openViolations')}</th>
            <th scope="col">{t('registry.col.monitoring')}</th>
          </tr>
        </thead>
        <tbody>
          {subjects.map((s) => (
            <tr
              key={s.subjectId}
              data-testid="registry-subject-row"
              data-subject={s.subjectId}
              className={s.monitoring.flagged ? 'is-flagged' : ''}
            >
              <td>{s.subjectId}</td>
              <td>
                {s.name}
                <span className="registry-table__sub">{s.licenceNumber ?? ''}</span>
              </td>
              <td>
                {formatKstDate(s.obligationStartMs)} ~ {formatKstDate(s.obligationEndMs)}
                {!s.obliged && <span className="registry-badge">{t('registry.notObliged')}</span>}
              </td>
              <td>
                {s.device ? (
                  <>
                    {s.device.deviceId}
                    <span className="registry-table__sub">{s.device.plate ?? ''}</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>{s.device ? <Calibration device={s.device} /> : '—'}</td>
              <td>{s.device ? <LastLog device={s.device} /> : '—'}</td>
              <td className={s.openViolations > 0 ? 'is-bad' : ''}>{s.openViolations}</td>
              <td data-testid="registry-monitoring">
                {s.monitoring.flagged ? (
                  <span className="registry-badge registry-badge--notice">
                    {t('registry.monitoring', {
                      count: s.monitoring.minorCount,
                      until: formatKstDate(s.monitoring.untilMs),
                    })}
                  </span>
                ) : (
                  '—'
                )}
                {s.monitoring.escalations > 0 && (
                  <span className="registry-badge registry-badge--bad">
                    {t('registry.escalated', { count: s.monitoring.escalations })}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeviceTable({ devices }: { devices: RegistryDeviceView[] | null }) {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  if (devices === null) return <p className="registry-panel__note">{t('registry.loading')}</p>;
  if (devices.length === 0)
    return <p className="registry-panel__note">{t('registry.noDevices')}</p>;
  return (
    <div className="registry-panel__scroll">
      <table className="registry-table" data-testid="registry-devices">
        <thead>
          <tr>
            <th scope="col">{t('registry.col.device')}</th>
            <th scope="col">{t('registry.col.model')}</th>
            <th scope="col">{t('registry.col.status')}</th>
            <th scope="col">{t('registry.col.operator')}</th>
            <th scope="col">{t('registry.col.subject')}</th>
            <th scope="col">{t('registry.col.lastCalibration')}</th>
            <th scope="col">{t('registry.col.recalibration')}</th>
            <th scope="col">{t('registry.col.lastLog')}</th>
            <th scope="col">{t('registry.col.openViolations')}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId} data-testid="registry-device-row" data-device={d.deviceId}>
              <td>
                {d.deviceId}
                <span className="registry-table__sub">{d.plate ?? ''}</span>
              </td>
              <td>
                {d.model}
                <span className="registry-table__sub">{d.serialNumber}</span>
              </td>
              <td>{d.status ?? '—'}</td>
              <td>
                {d.operatorName === null
                  ? (d.operatorId ?? '—')
                  : displayInstaller(d.operatorName, language)}
              </td>
              <td>{d.subjectId ?? '—'}</td>
              <td>
                <Calibration device={d} />
              </td>
              <td data-testid="registry-recalibration">
                {d.recalibration ? (
                  <span
                    className={`registry-badge registry-badge--${d.recalibration.standing === 'overdue' ? 'bad' : 'notice'}`}
                  >
                    {t(`registry.recalibration.${d.recalibration.standing}`, {
                      date: formatKstDate(d.recalibration.dueMs),
                    })}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <LastLog device={d} />
              </td>
              <td className={d.openViolations > 0 ? 'is-bad' : ''}>{d.openViolations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
