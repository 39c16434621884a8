/** Busan's 16 districts (구·군) for the inbox filter and place names: the list the map labels. */
import type { Alert } from '../../../../shared/alerts';
import type { Language } from '../../i18n/language';
import { labelField } from '../../map/basemap-style';
import { DISTRICT_LABELS } from '../../map/map-fonts';

export interface District {
  code: string;
  name: string;
}

/** In district-code order (중구 21010 … 기장군 21310), the order of Busan's own lists. */
export function districtsIn(language: Language): District[] {
  const field = labelField(language);
  return DISTRICT_LABELS.features
    .map((f) => ({ code: f.properties.code, name: f.properties[field] }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

const ENGLISH_NAMES = new Map(
  DISTRICT_LABELS.features.map((f) => [f.properties.code, f.properties.name_en]),
);

/**
 * Where an alert is, as a person reads it: district then neighbourhood (`연제구 연산5동`). In
 * English the district is romanised (`Yeonje-gu 연산5동`); neighbourhoods have only Korean names.
 * Empty when the relay could not place it.
 */
export function placeText(
  alert: Pick<Alert, 'districtCode' | 'districtName' | 'dongName'>,
  language: Language,
): string {
  const district =
    language === 'en' && alert.districtCode !== null
      ? (ENGLISH_NAMES.get(alert.districtCode) ?? alert.districtName)
      : alert.districtName;
  return [district, alert.dongName].filter(Boolean).join(' ');
}
