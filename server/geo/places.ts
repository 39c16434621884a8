/** Where an alert is: the neighbourhood (동) and district (구·군) at a point, with Korean names. */
import { readFileSync } from 'node:fs';
import type { Place } from '../domain/alert-rules';
import { sharedDongIndex } from './busan-dongs';

interface DistrictCollection {
  features: { properties: { code: string; name: string } }[];
}

function loadDistrictNames(): Map<string, string> {
  const url = new URL('../../resources/map/districts.geojson', import.meta.url);
  const collection = JSON.parse(readFileSync(url, 'utf8')) as DistrictCollection;
  return new Map(collection.features.map((f) => [f.properties.code, f.properties.name]));
}

export type PlaceLookup = (lon: number, lat: number) => Place | null;

/**
 * Only the dong polygons, not the simulator's road network: a relay on Kafka never builds roads
 * it does not drive on.
 */
export function createPlaceLookup(): PlaceLookup {
  const dongs = sharedDongIndex();
  const districtNames = loadDistrictNames();
  return (lon, lat) => {
    const dong = dongs.dongAt(lon, lat);
    if (!dong) return null;
    return {
      dongCode: dong.code,
      dongName: dong.name,
      districtCode: dong.districtCode,
      districtName: districtNames.get(dong.districtCode) ?? null,
    };
  };
}
