/** The wall's district names never run together (issue 19: "사상구부산진구" on the wall). */
import { describe, expect, it } from 'vitest';
import { placedWallDistricts } from '../../../renderer/src/kiosk/map/wall-label-placement';

const SASANG = '21150';
const BUSANJIN = '21050';
const GIJANG = '21310';
const GANGSEO = '21120';
/** Mercator stretches latitude by about 1/cos(35.2°) at Busan. */
const LAT_STRETCH = 1.22;

/** Busan fitted to a 1920×1080 wall beside its side panel, as the kiosk map shows it. */
function wallProjection(pxPerDegree: number) {
  return (lon: number, lat: number) => ({
    x: 800 + (lon - 128.76) * pxPerDegree,
    y: 140 + (35.39 - lat) * pxPerDegree * LAT_STRETCH,
  });
}
const WALL = { width: 1920, height: 1080 };

describe('placedWallDistricts', () => {
  it('draws one of two names that would run together, and the large ones apart', () => {
    const placed = placedWallDistricts(wallProjection(1650), WALL, null);
    expect(placed.has(SASANG) && placed.has(BUSANJIN)).toBe(false);
    expect(placed.has(GIJANG)).toBe(true);
    expect(placed.has(GANGSEO)).toBe(true);
    // Most of the 16 still read on a 1920 px wall.
    expect(placed.size).toBeGreaterThanOrEqual(10);
  });

  it('keeps the name of a district with open alerts over its neighbour', () => {
    const counts = new Map([[SASANG, 2]]);
    const placed = placedWallDistricts(wallProjection(1650), WALL, counts);
    expect(placed.has(SASANG)).toBe(true);
    expect(placed.has(BUSANJIN)).toBe(false);
  });

  it('draws all 16 where the wall is large enough', () => {
    const big = { width: 7680, height: 4320 };
    expect(placedWallDistricts(wallProjection(6600), big, null).size).toBe(16);
  });
});
