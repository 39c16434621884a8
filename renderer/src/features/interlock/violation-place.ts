import type { Violation } from '../../../../shared/interlock';
import type { Language } from '../../i18n/language';
import { DISTRICT_LABELS } from '../../map/map-fonts';

/**
 * Korean district name → its romanised name. Violations carry the district's name but not its
 * code (shared/interlock.ts), so the lookup is by name.
 */
const ENGLISH_BY_NAME = new Map(
  DISTRICT_LABELS.features.map((f) => [f.properties.name, f.properties.name_en]),
);

/**
 * Where a violation happened as a person reads it: `부산진구 부전1동`, in English `Busanjin-gu
 * 부전1동` (neighbourhoods have only Korean names). Empty when the relay could not place it.
 */
export function violationPlace(
  v: Pick<Violation, 'districtName' | 'dongName'>,
  language: Language,
): string {
  const district =
    language === 'en' && v.districtName !== null
      ? (ENGLISH_BY_NAME.get(v.districtName) ?? v.districtName)
      : v.districtName;
  return [district, v.dongName].filter(Boolean).join(' ');
}
