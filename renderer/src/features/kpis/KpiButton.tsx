import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { KpiPanel } from './KpiPanel';

/** Opens the KPI and pipeline-health panel (every logged-in role: the figures hold no personal data). */
export function KpiButton() {
  const { t } = useTranslation();
  const loggedIn = useAppStore((state) => state.session !== null);
  const open = useAppStore((state) => state.headerPanel === 'kpis');
  const setHeaderPanel = useAppStore((state) => state.setHeaderPanel);
  if (!loggedIn) return null;
  return (
    <>
      <button
        type="button"
        className={`header-button${open ? ' is-active' : ''}`}
        data-testid="open-kpis"
        aria-pressed={open}
        onClick={() => setHeaderPanel(open ? null : 'kpis')}
      >
        {t('kpi.open')}
      </button>
      {open && <KpiPanel onClose={() => setHeaderPanel(null)} />}
    </>
  );
}
