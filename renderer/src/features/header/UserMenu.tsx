import { useTranslation } from 'react-i18next';
import { endSession } from '../../auth/end-session';
import { useAppStore } from '../../store';
import { AdminButton } from '../admin/AdminButton';
import { TwoFactorButton } from '../two-factor/TwoFactorButton';

/** Who is logged in, as which role, and the way out. */
export function UserMenu() {
  const { t } = useTranslation();
  const username = useAppStore((state) => state.session?.user.username ?? null);
  const role = useAppStore((state) => state.session?.user.role ?? null);
  if (username === null || role === null) return null;
  return (
    <div className="user-menu" data-testid="user-menu" data-username={username} data-role={role}>
      <AdminButton />
      <span className="user-menu__who">
        <span className="user-menu__name">{username}</span>
        <span className="user-menu__role">{t(`roles.${role}`)}</span>
      </span>
      <TwoFactorButton />
      <button
        type="button"
        className="header-button"
        data-testid="logout"
        onClick={() => endSession(useAppStore, 'loggedOut')}
      >
        {t('auth.logout')}
      </button>
    </div>
  );
}
