import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';
import { LANGUAGES, readStoredLanguage } from './language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ko };
  }
}

/**
 * One i18next instance for the app. Resources are bundled (no backend), so init completes
 * synchronously and the first render already has the operator's language.
 */
export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { ko: { translation: ko }, en: { translation: en } },
  lng: readStoredLanguage(),
  fallbackLng: 'ko',
  supportedLngs: [...LANGUAGES],
  // React escapes text itself; escaping twice would show entities.
  interpolation: { escapeValue: false },
  initAsync: false,
  // Keeps the console clean for operators and QA logs.
  showSupportNotice: false,
});
