import { useEffect } from 'react';
import { useAppStore } from '../store';
import { i18n } from './index';
import { storeLanguage } from './language';

/** Applies the store's language to i18next, the document, and storage for the next start. */
export function useLanguageSync(): void {
  const language = useAppStore((state) => state.language);
  useEffect(() => {
    void i18n.changeLanguage(language);
    storeLanguage(language);
    document.documentElement.lang = language;
    document.title = i18n.getFixedT(language)('app.title');
  }, [language]);
}
