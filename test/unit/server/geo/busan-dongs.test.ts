import { describe, expect, it } from 'vitest';
import { sharedDongIndex } from '../../../../server/geo/busan-dongs';
import { createPlaceLookup } from '../../../../server/geo/places';

describe('Busan dongs (production geography)', () => {
  const dongs = sharedDongIndex();

  it('knows every bundled neighbourhood and where a point is', () => {
    expect(dongs.dongs.length).toBe(206);
    // Busan City Hall is in Yeonsan 5-dong, Yeonje-gu.
    expect(dongs.dongAt(129.0756, 35.1798)).toMatchObject({
      code: '2113059',
      name: '연산5동',
      districtCode: '21130',
    });
    expect(dongs.isOnLand(129.2, 35.05)).toBe(false);
    expect(dongs.dongAt(127.0, 37.5)).toBeNull();
  });

  it('places an alert by dong and district, with Korean names', () => {
    const placeAt = createPlaceLookup();
    expect(placeAt(129.0756, 35.1798)).toEqual({
      dongCode: '2113059',
      dongName: '연산5동',
      districtCode: '21130',
      districtName: '연제구',
    });
    expect(placeAt(129.2, 35.05)).toBeNull();
  });
});
