import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { RegistryPanel } from './RegistryPanel';

/**
 * Opens the interlock registry screen (subjects and devices). Every logged-in person may look —
 * personal data is masked for every role, as on violations; walls have no use for it.
 */
export function RegistryButton() {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const open = useAppStore((state) => state.headerPanel === 'registry');
  const setHeaderPanel = useAppStore((state) => state.setHeaderPanel);
  if (role === null || role === 'viewer') return null;
  return (
    <>
      <button
        type="button"
        className={`header-button${open ? ' is-active' : ''}`}
        data-testid="open-registry"
        aria-pressed={open}
        onClick={() => setHeaderPanel(open ? null : 'registry')}
      >
        {t('registry.open')}
      </button>
      {open && <RegistryPanel onClose={() => setHeaderPanel(null)} />}
    </>
  );
}
