/**
 * The map's one search box, as pure code: a plate (whole or part, in the plate normal form of
 * shared/plates.ts, so `12 가 3456` and `12가3456` are one), a car id, or a district or
 * neighbourhood name in Korean or English (`동래구 온천3동`, `Oncheon 3`) → what matches, best first.
 */
import { cleanPlateText } from '../../../../shared/plates';
import type { VehicleEntry } from '../../../../shared/vehicles';
import type { DistrictLabels } from '../../map/basemap-style';

export type SearchResult =
  | { kind: 'vehicle'; index: number; carId: string; plate: string | null; score: number }
  | {
      kind: 'district' | 'dong';
      code: string;
      name: string;
      nameEn: string;
      /** The district a neighbourhood lies in (its name in both languages); null for a district. */
      district: { name: string; nameEn: string } | null;
      bbox: [number, number, number, number];
      score: number;
    };

/** The most results one search lists. */
export const MAX_SEARCH_RESULTS = 12;

const EXACT = 3;
const PREFIX = 2;
const CONTAINS = 1;

/** How well `text` matches `query`: exact, prefix, contained, or 0. Both already normalised. */
function matchScore(text: string, query: string): number {
  if (query === '' || text === '') return 0;
  if (text === query) return EXACT;
  if (text.startsWith(query)) return PREFIX;
  return text.includes(query) ? CONTAINS : 0;
}

/** Lower case, NFC, no spaces or hyphens: `Oncheon 3-dong` and `oncheon3dong` are one. */
function squash(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\-·.]/gu, '');
}

export interface SearchPlaces {
  districts: DistrictLabels;
  dongs: DistrictLabels;
}

/** The district code a neighbourhood code starts with (KOSTAT: 5 digits of district, then 2). */
const DISTRICT_CODE_LENGTH = 5;

/** Every place, each with the words it can be found by. */
function placeEntries(places: SearchPlaces) {
  const districtByCode = new Map(places.districts.features.map((f) => [f.properties.code, f]));
  const entries: {
    result: Omit<Extract<SearchResult, { kind: 'district' | 'dong' }>, 'score'>;
    names: string[];
    full: string[];
  }[] = [];
  for (const f of places.districts.features) {
    const { code, name, name_en: nameEn } = f.properties;
    entries.push({
      result: { kind: 'district', code, name, nameEn, district: null, bbox: bboxOf(f) },
      names: [squash(name), squash(nameEn)],
      full: [squash(name), squash(nameEn)],
    });
  }
  for (const f of places.dongs.features) {
    const { code, name, name_en: nameEn } = f.properties;
    const district = districtByCode.get(code.slice(0, DISTRICT_CODE_LENGTH))?.properties;
    entries.push({
      result: {
        kind: 'dong',
        code,
        name,
        nameEn,
        district: district ? { name: district.name, nameEn: district.name_en } : null,
        bbox: bboxOf(f),
      },
      names: [squash(name), squash(nameEn)],
      full: [
        squash(`${district?.name ?? ''}${name}`),
        squash(`${district?.name_en ?? ''}${nameEn}`),
      ],
    });
  }
  return entries;
}

function bboxOf(feature: DistrictLabels['features'][number]): [number, number, number, number] {
  const box = feature.bbox;
  if (box && box.length === 4) return [box[0], box[1], box[2], box[3]];
  const [lon, lat] = feature.geometry.coordinates as [number, number];
  return [lon, lat, lon, lat];
}

/**
 * Results for `query`, best first: exact plate or car id, then places by name, then partial
 * vehicle matches. `isLive` leaves out vehicles that are not on the map (nowhere to fly to).
 */
export function searchMap(
  query: string,
  vehicles: Iterable<VehicleEntry>,
  isLive: (index: number) => boolean,
  places: SearchPlaces,
  limit = MAX_SEARCH_RESULTS,
): SearchResult[] {
  const words = query.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const results: SearchResult[] = [];

  // Vehicles: the plate in its clean form (no separators, ASCII digits), or the car id.
  const plateQuery = cleanPlateText(query);
  const idQuery = query.trim().toLowerCase();
  for (const vehicle of vehicles) {
    const plateScore = vehicle.plate ? matchScore(cleanPlateText(vehicle.plate), plateQuery) : 0;
    const idScore = matchScore(vehicle.carId.toLowerCase(), idQuery);
    const score = Math.max(plateScore, idScore);
    if (score === 0 || !isLive(vehicle.index)) continue;
    // An exact plate or id outranks any place; a part of one ranks under places.
    results.push({
      kind: 'vehicle',
      index: vehicle.index,
      carId: vehicle.carId,
      plate: vehicle.plate,
      score: score === EXACT ? 10 : score,
    });
  }

  // Places: every word must be found in the place's full name (district + neighbourhood).
  const squashedWords = words.map(squash);
  const whole = squash(query);
  for (const entry of placeEntries(places)) {
    const found = entry.full.some((full) => squashedWords.every((word) => full.includes(word)));
    if (!found) continue;
    const nameScore = Math.max(
      ...entry.names.map((name) => matchScore(name, whole)),
      ...entry.full.map((full) => (full === whole ? EXACT : 0)),
    );
    // Districts before their neighbourhoods when both match equally (`동래` → 동래구 first).
    const kindBonus = entry.result.kind === 'district' ? 0.5 : 0;
    results.push({ ...entry.result, score: 4 + nameScore + kindBonus });
  }

  return results.sort((a, b) => b.score - a.score).slice(0, limit);
}
