import type { StateCreator } from 'zustand';
import { readStoredSoundMuted } from '../features/alerts/sound/sound-preference';
import { readStoredLanguage } from '../i18n/language';
import type { AppState, UiSlice } from './types';

/** Toasts stay this many at most; older ones make room. */
const MAX_TOASTS = 4;

/**
 * Persisting and applying the language (useLanguageSync) and the mute switch
 * (useSoundPreferenceSync) are side effects, done in hooks.
 */
export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => {
  let nextToastId = 1;
  return {
    language: readStoredLanguage(),
    soundMuted: readStoredSoundMuted(),
    inboxCollapsed: false,
    auditOpen: false,
    adminOpen: false,
    headerPanel: null,
    toasts: [],
    setLanguage: (language) => set({ language }),
    setSoundMuted: (soundMuted) => set({ soundMuted }),
    setInboxCollapsed: (inboxCollapsed) => set({ inboxCollapsed }),
    // The audit log and the admin screen take the same place: one at a time. Closing the audit
    // is how the app goes back to the map (a selection, the interlock buttons, logout): both close.
    setAuditOpen: (auditOpen) => set({ auditOpen, adminOpen: false }),
    setAdminOpen: (adminOpen) => set(adminOpen ? { adminOpen, auditOpen: false } : { adminOpen }),
    setHeaderPanel: (headerPanel) => set({ headerPanel }),
    pushToast: (toast) =>
      set((state) => ({
        toasts: [...state.toasts, { ...toast, id: nextToastId++ }].slice(-MAX_TOASTS),
      })),
    dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
  };
};
