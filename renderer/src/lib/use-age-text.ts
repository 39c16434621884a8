import { useTranslation } from 'react-i18next';
import { ageParts } from './format-time';

/** "3초 전" / "3 s ago" for an age in ms, in the current language. */
export function useAgeText(): (ageMs: number) => string {
  const { t } = useTranslation();
  return (ageMs) => {
    const { unit, count } = ageParts(ageMs);
    switch (unit) {
      case 'justNow':
        return t('age.justNow');
      case 'seconds':
        return t('age.secondsAgo', { count });
      case 'minutes':
        return t('age.minutesAgo', { count });
      case 'hours':
        return t('age.hoursAgo', { count });
    }
  };
}
