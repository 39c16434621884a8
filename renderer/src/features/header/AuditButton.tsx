import { useTranslation } from 'react-i18next';
import { can } from '../../../../shared/roles';
import { useAppStore } from '../../store';

/** Opens the audit screen, for roles that may read it. */
export function AuditButton() {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const open = useAppStore((state) => state.auditOpen);
  const setOpen = useAppStore((state) => state.setAuditOpen);
  if (role === null || !can(role, 'audit.view')) return null;
  return (
    <button
      type="button"
      className={`header-button${open ? ' is-active' : ''}`}
      data-testid="open-audit"
      aria-pressed={open}
      onClick={() => setOpen(!open)}
    >
      {open ? t('header.backToMap') : t('header.audit')}
    </button>
  );
}
