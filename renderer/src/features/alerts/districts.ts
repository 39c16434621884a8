/** Busan's 16 districts (구·군) for the inbox filter and place names: the list the map labels. */
import type { Alert } from '../../../../shared/alerts';
import type { Language } from '../../i18n/language';
import { labelField } from '../../map/basemap-style';
import { DISTRICT_LABELS } from '../../map/map-fonts';
import { placeName } from '../detail/place-names';

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

/**
 * Where an alert is, as a person reads it: district then neighbourhood (`연제구 연산5동`, in
 * English `Yeonje-gu Yeonsan 5(o)-dong`). Empty when the relay could not place it.
 */
export function placeText(
  alert: Pick<Alert, 'districtCode' | 'districtName' | 'dongCode' | 'dongName'>,
  language: Language,
): string {
  return placeName(alert, language);
}
