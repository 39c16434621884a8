/**
 * Where a scenario event happens (shared/scenarios.ts): a district or neighbourhood named in
 * Korean, English or by its KOSTAT code becomes one fixed point in it — the neighbourhood's hub on
 * the simulator's road network (a district: the hub of its first neighbourhood by code), so the
 * same name is always the same spot and the spot is on land. Pure apart from the bundled data it
 * is given.
 */
import { readFileSync } from 'node:fs';
import type { ScenarioPlace } from '../../shared/scenarios';
import type { RoadNetwork } from './road-network';

export interface ResolvedPlace {
  lon: number;
  lat: number;
}

export interface DistrictName {
  code: string;
  name: string;
  nameEn: string;
}

export type PlaceResolver = (place: ScenarioPlace) => ResolvedPlace | string;

/** The district names bundled with the map (resources/map/districts.geojson). */
export function loadDistrictNames(): DistrictName[] {
  const url = new URL('../../resources/map/districts.geojson', import.meta.url);
  const collection = JSON.parse(readFileSync(url, 'utf8')) as {
    features: { properties: { code: string; name: string; name_en: string } }[];
  };
  return collection.features.map(({ properties: p }) => ({
    code: String(p.code),
    name: p.name,
    nameEn: p.name_en,
  }));
}

/**
 * `Haeundae-gu` and `haeundae gu` compare equal, and `Bujeon 1-dong` matches the bundled
 * `Bujeon 1(il)-dong` (the reading of the number in brackets is left out).
 */
function key(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/[\s_-]+/g, '');
}

/**
 * A resolver over the road network's neighbourhood hubs. Returns the point, or a reason (unknown
 * name, a neighbourhood not in the district named with it) for the caller to report.
 */
export function createPlaceResolver(
  network: RoadNetwork,
  districts: readonly DistrictName[],
): PlaceResolver {
  const hubs = new Map<string, ResolvedPlace>();
  for (const node of network.nodes) {
    if (node.kind === 'dong' && !hubs.has(node.dongCode)) {
      hubs.set(node.dongCode, { lon: node.lon, lat: node.lat });
    }
  }
  const dongByKey = new Map<string, { code: string; districtCode: string }>();
  for (const dong of network.dongs) {
    if (!hubs.has(dong.code)) continue;
    const entry = { code: dong.code, districtCode: dong.districtCode };
    for (const k of [dong.code, dong.name, dong.nameEn]) dongByKey.set(key(k), entry);
  }
  const districtByKey = new Map<string, string>();
  for (const d of districts) {
    for (const k of [d.code, d.name, d.nameEn]) districtByKey.set(key(k), d.code);
  }
  const firstHubOfDistrict = (districtCode: string): ResolvedPlace | null => {
    const codes = network.dongs
      .filter((d) => d.districtCode === districtCode && hubs.has(d.code))
      .map((d) => d.code)
      .sort();
    return codes.length > 0 ? hubs.get(codes[0]!)! : null;
  };

  return (place) => {
    if ('lon' in place) return { lon: place.lon, lat: place.lat };
    const district =
      place.district === undefined ? null : (districtByKey.get(key(place.district)) ?? undefined);
    if (district === undefined) return `no district named "${place.district}" in Busan`;
    if ('dong' in place) {
      const dong = dongByKey.get(key(place.dong));
      if (!dong) return `no neighbourhood (동) named "${place.dong}" in Busan`;
      if (district !== null && dong.districtCode !== district) {
        return `"${place.dong}" is not in ${place.district}`;
      }
      return hubs.get(dong.code)!;
    }
    return (
      firstHubOfDistrict(district!) ?? `no neighbourhood with a road in district ${place.district}`
    );
  };
}
