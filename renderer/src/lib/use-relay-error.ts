/**
 * An error a screen shows after a refused or failed relay call, which clears itself once it no
 * longer holds. "Not connected to the relay" (or no answer in time, or anything that failed while
 * the link was down) stops being true when the link comes back: the message goes at the next
 * reconnect instead of staying beside a pill that says 실시간. Refusals (403, 409) stay until the
 * person acts again: they describe the record, not the link.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAppStore } from '../store';
import type { RelayError } from '../auth/relay-api';
import { isLinkError } from './relay-error-text';

export interface ShownRelayError {
  text: string;
  /** The error was about the link (or happened while it was down): a reconnect clears it. */
  clearsOnReconnect: boolean;
  /** The link has been seen down since it was shown, so the next connect is a reconnect. */
  linkDropped: boolean;
}

/** The state change one connection change makes to a shown error (pure: tested in Node). */
export function afterConnectionChange(
  shown: ShownRelayError | null,
  connected: boolean,
): ShownRelayError | null {
  if (shown === null || !shown.clearsOnReconnect) return shown;
  if (!connected) return shown.linkDropped ? shown : { ...shown, linkDropped: true };
  return shown.linkDropped ? null : shown;
}

/** What a new error looks like, given the link's state when it happened. */
export function shownError(
  text: string,
  error: RelayError | null,
  connected: boolean,
): ShownRelayError {
  const aboutLink = (error !== null && isLinkError(error)) || !connected;
  return { text, clearsOnReconnect: aboutLink, linkDropped: aboutLink && !connected };
}

export function useRelayError() {
  const [shown, setShown] = useState<ShownRelayError | null>(null);
  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        if (state.connected !== previous.connected)
          setShown((current) => afterConnectionChange(current, state.connected));
      }),
    [],
  );
  /** Shows a relay error in words (`text`), remembering whether it was about the link. */
  const showRelayError = useCallback((text: string, error: RelayError) => {
    setShown(shownError(text, error, useAppStore.getState().connected));
  }, []);
  /** Shows a text (or clears with null); one shown while the link is down clears on reconnect. */
  const setError = useCallback((text: string | null) => {
    setShown(text === null ? null : shownError(text, null, useAppStore.getState().connected));
  }, []);
  return { error: shown?.text ?? null, showRelayError, setError };
}
