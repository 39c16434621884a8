import type { StateCreator } from 'zustand';
import { readStoredLanguage } from '../i18n/language';
import type { AppState, UiSlice } from './types';

/** Persisting and applying the language to i18next is a side effect, done in useLanguageSync. */
export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  language: readStoredLanguage(),
  setLanguage: (language) => set({ language }),
});
