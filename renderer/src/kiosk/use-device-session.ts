/**
 * The wall's sign-in: no login prompt, only the device credential (device-credential.ts),
 * checked with `GET /api/auth/me`. A refused credential is checked again every minute (an admin
 * may re-enable the account); an unreachable relay every few seconds.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MeResponse, SessionUser } from '../../../shared/auth';
import { endSession } from '../auth/end-session';
import { relayJson } from '../auth/relay-api';
import { useAppStore } from '../store';
import {
  classifyVerification,
  takeDeviceCredential,
  tokenFromFragment,
  type CredentialProblem,
} from './device-credential';

const RECHECK_REFUSED_MS = 60_000;
const RETRY_UNREACHABLE_MS = 5_000;

export type DeviceSession =
  | { phase: 'checking' }
  | { phase: 'problem'; problem: CredentialProblem }
  | { phase: 'unreachable'; message: string }
  | { phase: 'ready'; token: string; user: SessionUser };

function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function takeFromThisPage(): string | null {
  return takeDeviceCredential({
    location: window.location,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    storage: browserStorage(),
  });
}

let taken: { token: string | null } | null = null;

/**
 * Taken once per page load: the first call stores it and clears the address bar, so a second
 * call (React's strict mode runs initialisers twice) would find no fragment any more.
 */
function credentialOfThisPage(): string | null {
  taken ??= { token: takeFromThisPage() };
  return taken.token;
}

export function useDeviceSession(): { session: DeviceSession; refuse: () => void } {
  const [token, setToken] = useState(credentialOfThisPage);
  const [session, setSession] = useState<DeviceSession>(() =>
    token === null ? { phase: 'problem', problem: 'missing' } : { phase: 'checking' },
  );
  const [attempt, setAttempt] = useState(0);

  // A credential typed into the address of an open wall changes only the fragment: no reload.
  useEffect(() => {
    const onHashChange = (): void => {
      if (tokenFromFragment(window.location.hash) === null) return;
      const next = takeFromThisPage();
      if (next === null) return;
      setSession({ phase: 'checking' });
      setToken(next);
      setAttempt((n) => n + 1);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (token === null) return;
    let cancelled = false;
    void relayJson<MeResponse>('/api/auth/me', { token }).then((result) => {
      if (cancelled) return;
      const verdict = classifyVerification(result);
      if (verdict.kind === 'valid') {
        // In the store before the views mount, so their REST calls (auth/api.ts) carry it.
        useAppStore.getState().login({ token, user: verdict.user });
        setSession({ phase: 'ready', token, user: verdict.user });
      } else if (verdict.kind === 'problem')
        setSession({ phase: 'problem', problem: verdict.problem });
      else setSession({ phase: 'unreachable', message: verdict.message });
    });
    return () => {
      cancelled = true;
    };
  }, [token, attempt]);

  useEffect(() => {
    if (token === null || session.phase === 'ready' || session.phase === 'checking') return;
    const delay = session.phase === 'unreachable' ? RETRY_UNREACHABLE_MS : RECHECK_REFUSED_MS;
    const timer = setTimeout(() => setAttempt((n) => n + 1), delay);
    return () => clearTimeout(timer);
  }, [token, session]);

  /** The relay refused the credential mid-session (socket handshake or a 401). */
  const refuse = useCallback(() => {
    // Nothing of the refused session stays: alerts, the store's token.
    endSession(useAppStore, null);
    setSession({ phase: 'problem', problem: 'refused' });
  }, []);
  return { session, refuse };
}
