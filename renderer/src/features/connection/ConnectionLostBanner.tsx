import { useTranslation } from 'react-i18next';
import { useConnectionState } from './use-connection-state';

/** A banner nobody can miss when the feed is lost: a stale map must not pass for a live one. */
export function ConnectionLostBanner() {
  const { t } = useTranslation();
  const { state } = useConnectionState();
  if (state !== 'lost') return null;
  return (
    <div className="lost-banner" role="alert" data-testid="connection-lost-banner">
      {t('connection.lostBanner')}
    </div>
  );
}
