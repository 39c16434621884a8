/** Small spherical helpers for the fleet state. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** Initial bearing from a to b, degrees clockwise from north in [0, 360). */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const φ1 = lat1 * DEG;
  const φ2 = lat2 * DEG;
  const Δλ = (lon2 - lon1) * DEG;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (((Math.atan2(y, x) / DEG) % 360) + 360) % 360;
}

/** Equirectangular distance in metres: exact enough at city scale and cheap per message. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * DEG * Math.cos(((lat1 + lat2) / 2) * DEG);
  const y = (lat2 - lat1) * DEG;
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M;
}
