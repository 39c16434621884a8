/**
 * Sends one alert command over the socket with the version shown and keeps its state: which
 * command waits for its answer, and the relay's refusal in the operator's language (a refusal
 * about the link clears itself when the link is back: lib/use-relay-error.ts).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertCommandName, AlertCommandPayload } from '../../../../shared/alerts';
import { relayErrorText } from '../../lib/relay-error-text';
import { useRelayError } from '../../lib/use-relay-error';
import { alertCommands } from '../../live/alert-commands';
import { useAppStore } from '../../store';

export function useAlertCommand() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<AlertCommandName | null>(null);
  const { error, showRelayError, setError } = useRelayError();
  const run = async <N extends AlertCommandName>(
    name: N,
    payload: AlertCommandPayload<N>,
  ): Promise<boolean> => {
    setPending(name);
    setError(null);
    const result = await alertCommands.send(name, payload);
    setPending(null);
    if (result.ok) {
      // The broadcast brings the same version; the ack may arrive first.
      useAppStore.getState().upsertAlert(result.alert);
      return true;
    }
    showRelayError(relayErrorText(t, result.error), result.error);
    return false;
  };
  return { run, pending, error, setError, showRelayError };
}
