import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n/language';
import { useAppStore } from '../../store';

/** Each language's name in itself, so an operator can find theirs whatever is showing. */
const LANGUAGE_NAMES: Record<Language, string> = { ko: '한국어', en: 'English' };

/** One button: toggles between Korean and English, showing both with the current one marked. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  const setLanguage = useAppStore((state) => state.setLanguage);
  const next: Language = language === 'ko' ? 'en' : 'ko';
  return (
    <button
      type="button"
      className="language-switch"
      data-testid="language-switch"
      data-language={language}
      aria-label={`${t('language.label')}: ${LANGUAGE_NAMES[next]}`}
      onClick={() => setLanguage(next)}
    >
      {(Object.keys(LANGUAGE_NAMES) as Language[]).map((code) => (
        <span
          key={code}
          lang={code}
          className={
            code === language ? 'language-switch__option is-active' : 'language-switch__option'
          }
        >
          {LANGUAGE_NAMES[code]}
        </span>
      ))}
    </button>
  );
}
