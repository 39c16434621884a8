/**
 * The registry file import (admins): choose what the file holds, pick the CSV, send it, and read
 * the relay's validation report — rows accepted, rows refused with the line, column and reason.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_REGISTRY_CSV_BYTES,
  REGISTRY_COLUMNS,
  REGISTRY_KINDS,
  type RegistryImportReport,
  type RegistryKind,
} from '../../../../shared/registry';
import { formatKstDateTime } from '../../lib/format-time';
import { importRegistryFile } from './registry-api';

export function RegistryImport({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<RegistryKind>('subjects');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RegistryImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    if (!file) return;
    if (file.size > MAX_REGISTRY_CSV_BYTES) {
      setError(t('registry.import.tooLarge'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await importRegistryFile(kind, file.name, await file.text());
    setBusy(false);
    if (!result.ok) {
      setReport(null);
      setError(result.error.message);
      return;
    }
    setReport(result.value);
    onImported();
  };

  return (
    <div className="registry-import" data-testid="registry-import">
      <div className="registry-import__form">
        <label>
          {t('registry.import.kind')}{' '}
          <select
            value={kind}
            onChange={(event) => setKind(event.target.value as RegistryKind)}
            data-testid="registry-import-kind"
          >
            {REGISTRY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`registry.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          data-testid="registry-import-file"
        />
        <button
          type="button"
          className="registry-panel__button"
          disabled={file === null || busy}
          onClick={() => void send()}
          data-testid="registry-import-submit"
        >
          {t(busy ? 'registry.import.sending' : 'registry.import.send')}
        </button>
      </div>
      <p className="registry-panel__note">
        {t('registry.import.columns', { columns: REGISTRY_COLUMNS[kind].join(', ') })}
      </p>
      {error && (
        <p className="registry-panel__error" role="alert" data-testid="registry-import-error">
          {t('registry.import.refusedFile', { message: error })}
        </p>
      )}
      {report && <Report report={report} />}
    </div>
  );
}

function Report({ report }: { report: RegistryImportReport }) {
  const { t } = useTranslation();
  return (
    <div className="registry-report" data-testid="registry-import-report">
      <p>
        {t('registry.import.summary', {
          file: report.fileName ?? '—',
          time: `${formatKstDateTime(report.atMs)} KST`,
        })}
      </p>
      <p className="registry-report__counts">
        <span data-testid="registry-report-rows">
          {t('registry.import.rows', { count: report.rows })}
        </span>
        <span className="is-ok" data-testid="registry-report-accepted">
          {t('registry.import.accepted', { count: report.accepted })}
        </span>
        <span className={report.refused > 0 ? 'is-bad' : ''} data-testid="registry-report-refused">
          {t('registry.import.refused', { count: report.refused })}
        </span>
      </p>
      {report.ignoredColumns.length > 0 && (
        <p className="registry-panel__note">
          {t('registry.import.ignored', { columns: report.ignoredColumns.join(', ') })}
        </p>
      )}
      {report.problems.length > 0 && (
        <table className="registry-table" data-testid="registry-report-problems">
          <thead>
            <tr>
              <th scope="col">{t('registry.import.line')}</th>
              <th scope="col">{t('registry.import.column')}</th>
              <th scope="col">{t('registry.import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((p, i) => (
              <tr key={`${p.line}:${p.column ?? ''}:${i}`} data-testid="registry-report-problem">
                <td>{p.line}</td>
                <td>{p.column ?? t('registry.import.wholeRow')}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.problemsTruncated && (
        <p className="registry-panel__note">{t('registry.import.truncated')}</p>
      )}
    </div>
  );
}
