/** "Replay from here" in an alert's detail: opens the minutes around it on the time bar. */
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../../../shared/alerts';
import { useAppStore } from '../../store';
import { REPLAY_LEAD_MS } from './replay-window';

export function ReplayFromHere({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const seek = useAppStore((s) => s.seekReplay);
  const oldest = useAppStore((s) => s.replay.range?.oldestMs ?? null);
  // Before the oldest kept moment there is nothing to replay.
  const start = Math.max(alert.firstSeenMs - REPLAY_LEAD_MS, oldest ?? alert.firstSeenMs);
  const possible = oldest !== null && alert.firstSeenMs >= oldest;
  return (
    <button
      type="button"
      className="replay-from-here"
      data-testid="replay-from-here"
      disabled={!possible}
      title={possible ? undefined : t('replay.tooOld')}
      onClick={() => seek(start)}
    >
      {t('replay.fromHere')}
    </button>
  );
}
