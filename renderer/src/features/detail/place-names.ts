/**
 * Place names as a person reads them, in the reader's language: `연제구 연산5동`, in English
 * `Yeonje-gu Yeonsan 5(o)-dong`. The relay carries Korean names (they are what the boundary
 * data, the stored rows and the audit log hold); the romanised names come from the same boundary
 * data the map labels are drawn from, so the inbox and the map never name a place two ways.
 */
import type { Language } from '../../i18n/language';
import { DISTRICT_LABELS, DONG_LABELS } from '../../map/map-fonts';

/** KOSTAT codes: a neighbourhood's first five digits are its district's code (2113065 → 21130). */
const DISTRICT_CODE_LENGTH = 5;

const districtEnglishByCode = new Map(
  DISTRICT_LABELS.features.map((f) => [f.properties.code, f.properties.name_en]),
);
const districtCodeByName = new Map(
  DISTRICT_LABELS.features.map((f) => [f.properties.name, f.properties.code]),
);
const dongEnglishByCode = new Map(
  DONG_LABELS.features.map((f) => [f.properties.code, f.properties.name_en]),
);
/** By district and Korean name: a violation names its neighbourhood without the code. */
const dongEnglishByDistrictAndName = new Map(
  DONG_LABELS.features.map((f) => [
    dongKey(f.properties.code.slice(0, DISTRICT_CODE_LENGTH), f.properties.name),
    f.properties.name_en,
  ]),
);
/** Busan's 206 neighbourhood names are unique city-wide; used when the district is unknown. */
const dongEnglishByName = new Map(
  DONG_LABELS.features.map((f) => [f.properties.name, f.properties.name_en]),
);

function dongKey(districtCode: string, name: string): string {
  return `${districtCode}/${name}`;
}

export interface PlaceNames {
  districtCode?: string | null;
  districtName: string | null;
  dongCode?: string | null;
  dongName: string | null;
}

function englishDistrict(place: PlaceNames): string | null {
  const code = place.districtCode ?? districtCodeByName.get(place.districtName ?? '');
  return (code === undefined ? undefined : districtEnglishByCode.get(code)) ?? place.districtName;
}

function englishDong(place: PlaceNames): string | null {
  if (place.dongName === null) return null;
  const byCode = place.dongCode ? dongEnglishByCode.get(place.dongCode) : undefined;
  if (byCode !== undefined) return byCode;
  const districtCode = place.districtCode ?? districtCodeByName.get(place.districtName ?? '');
  const byDistrict =
    districtCode === undefined
      ? undefined
      : dongEnglishByDistrictAndName.get(dongKey(districtCode, place.dongName));
  // A name the boundary data does not know (a newer split of a 동) is shown as the relay wrote it.
  return byDistrict ?? dongEnglishByName.get(place.dongName) ?? place.dongName;
}

/** District then neighbourhood; empty when the relay could not place it. */
export function placeName(place: PlaceNames, language: Language): string {
  const parts =
    language === 'en'
      ? [englishDistrict(place), englishDong(place)]
      : [place.districtName, place.dongName];
  return parts.filter(Boolean).join(' ');
}
