import type { StateCreator } from 'zustand';
import { readStoredSession } from '../auth/session';
import type { AppState, SessionSlice } from './types';

/** Persisting the session to sessionStorage is a side effect, done in useSessionPersistence. */
export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  session: readStoredSession(),
  authNotice: null,
  login: (session) => set({ session, authNotice: null }),
  logout: (notice = null) => set({ session: null, authNotice: notice }),
  setSessionUser: (user) =>
    set((state) =>
      state.session === null ||
      (state.session.user.username === user.username && state.session.user.role === user.role)
        ? state
        : { session: { ...state.session, user } },
    ),
});
