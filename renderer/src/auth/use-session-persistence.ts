import { useEffect } from 'react';
import { useAppStore } from '../store';
import { storeSession } from './session';

/** Mirrors the store's session to sessionStorage, so a reload stays logged in. */
export function useSessionPersistence(): void {
  const session = useAppStore((state) => state.session);
  useEffect(() => storeSession(session), [session]);
}
