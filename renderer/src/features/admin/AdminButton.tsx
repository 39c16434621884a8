import { useTranslation } from 'react-i18next';
import { can } from '../../../../shared/roles';
import { useAppStore } from '../../store';

/** Opens the admin screen (users, wall credentials, who is signed in), for admins only. */
export function AdminButton() {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const open = useAppStore((state) => state.adminOpen);
  const setOpen = useAppStore((state) => state.setAdminOpen);
  if (role === null || !can(role, 'users.manage')) return null;
  return (
    <button
      type="button"
      className={`header-button${open ? ' is-active' : ''}`}
      data-testid="open-admin"
      aria-pressed={open}
      onClick={() => setOpen(!open)}
    >
      {open ? t('header.backToMap') : t('admin.button')}
    </button>
  );
}
