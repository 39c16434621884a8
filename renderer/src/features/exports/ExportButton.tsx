import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { relayErrorText } from '../../lib/relay-error-text';
import { useAppStore } from '../../store';
import { csvFileName, csvKindOf, downloadCsv } from './download-csv';

/** A CSV export of the relay; the caller shows it only to roles with `export.csv`. */
export function ExportButton({
  testId,
  label,
  path,
  fallbackName,
}: {
  testId: string;
  label: string;
  path: string;
  fallbackName: string;
}) {
  const { t } = useTranslation();
  const pushToast = useAppStore((state) => state.pushToast);
  const [busy, setBusy] = useState(false);
  const onClick = async (): Promise<void> => {
    setBusy(true);
    const kind = csvKindOf(path);
    const fileName = kind === null ? null : csvFileName(t(`exports.fileName.${kind}`), Date.now());
    const error = await downloadCsv(path, fallbackName, fileName);
    setBusy(false);
    if (error !== null) {
      pushToast({
        tone: 'error',
        text: t('exports.failed', { message: relayErrorText(t, error) }),
      });
    }
  };
  return (
    <button
      type="button"
      className="panel-button"
      data-testid={testId}
      disabled={busy}
      aria-busy={busy}
      onClick={() => void onClick()}
    >
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path d="M12 4v11m-5-5 5 5 5-5M5 20h14" stroke="currentColor" strokeWidth="2" fill="none" />
      </svg>
      {label}
    </button>
  );
}
