import type { Violation } from '../../../../shared/interlock';
import type { Language } from '../../i18n/language';
import { placeName } from '../detail/place-names';

/**
 * Where a violation happened as a person reads it: `부산진구 부전1동`, in English `Busanjin-gu
 * Bujeon 1(il)-dong`. Violations carry the names but not the codes (shared/interlock.ts), so the
 * English names are found by name. Empty when the relay could not place it.
 */
export function violationPlace(
  v: Pick<Violation, 'districtName' | 'dongName'>,
  language: Language,
): string {
  return placeName(v, language);
}
