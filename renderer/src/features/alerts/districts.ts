/** Busan's 16 districts (구·군) for the inbox filter: the same list the map labels. */
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
