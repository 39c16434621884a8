import { describe, expect, it } from 'vitest';
import type { VehicleEntry } from '../../../shared/vehicles';
import { searchMap } from '../../../renderer/src/features/search/map-search';
import type { DistrictLabels } from '../../../renderer/src/map/basemap-style';

function vehicle(index: number, carId: string, plate: string | null): VehicleEntry {
  return {
    index,
    carId,
    plate,
    brand: null,
    sessionId: null,
    sessionStartMs: null,
    weather: null,
    rapidAccCount: null,
  };
}

function place(code: string, name: string, nameEn: string): DistrictLabels['features'][number] {
  return {
    type: 'Feature',
    bbox: [129, 35, 129.1, 35.1],
    properties: { code, name, name_en: nameEn },
    geometry: { type: 'Point', coordinates: [129.05, 35.05] },
  };
}

const PLACES = {
  districts: {
    type: 'FeatureCollection' as const,
    features: [place('21060', '동래구', 'Dongnae-gu'), place('21130', '연제구', 'Yeonje-gu')],
  },
  dongs: {
    type: 'FeatureCollection' as const,
    features: [
      place('2106058', '온천3동', 'Oncheon 3(sam)-dong'),
      place('2106057', '온천2동', 'Oncheon 2(i)-dong'),
      place('2113066', '연산5동', 'Yeonsan 5(o)-dong'),
    ],
  },
};

const VEHICLES = [
  vehicle(0, 'CAR-0001', '12가3456'),
  vehicle(1, 'CAR-0002', '123나4567'),
  vehicle(2, 'CAR-0003', '34다3456'),
  vehicle(3, 'CAR-0004', '56라7890'),
];
const allLive = () => true;

describe('searchMap', () => {
  it('finds a whole plate however it is written, first', () => {
    for (const query of ['12가3456', '12 가 3456', '12-가-3456', '１２가３４５６']) {
      const [first] = searchMap(query, VEHICLES, allLive, PLACES);
      expect(first).toMatchObject({ kind: 'vehicle', index: 0 });
    }
  });

  it('lists every vehicle a partial plate matches', () => {
    const results = searchMap('3456', VEHICLES, allLive, PLACES);
    expect(results.map((r) => (r.kind === 'vehicle' ? r.index : -1)).sort()).toEqual([0, 2]);
  });

  it('finds a car id, and leaves out vehicles not on the map', () => {
    expect(searchMap('car-0004', VEHICLES, allLive, PLACES)[0]).toMatchObject({ index: 3 });
    expect(searchMap('CAR-0004', VEHICLES, (i) => i !== 3, PLACES)).toEqual([]);
  });

  it('finds "동래구 온천3동" as that neighbourhood, and "온천" lists both of its kind', () => {
    const [first] = searchMap('동래구 온천3동', VEHICLES, allLive, PLACES);
    expect(first).toMatchObject({ kind: 'dong', code: '2106058', district: { name: '동래구' } });
    const oncheon = searchMap('온천', VEHICLES, allLive, PLACES).map(
      (r) => r.kind === 'dong' && r.code,
    );
    expect(oncheon.sort()).toEqual(['2106057', '2106058']);
  });

  it('finds places by their English names, the district before its neighbourhoods', () => {
    expect(searchMap('Oncheon 3', VEHICLES, allLive, PLACES)[0]).toMatchObject({ code: '2106058' });
    const dongnae = searchMap('dongnae', VEHICLES, allLive, PLACES);
    expect(dongnae[0]).toMatchObject({ kind: 'district', code: '21060' });
  });

  it('finds nothing for blank or unknown text', () => {
    expect(searchMap('   ', VEHICLES, allLive, PLACES)).toEqual([]);
    expect(searchMap('해운대역', VEHICLES, allLive, PLACES)).toEqual([]);
  });
});
