import geodesic from 'geographiclib-geodesic';

const WGS84 = geodesic.Geodesic.WGS84;

/**
 * The geodesic distance in meters from (lat1, lon1) to (lat2, lon2) on the WGS84 ellipsoid (Karney's
 * method, GeographicLib), which PostGIS `ST_Distance`/`ST_DWithin` on geography use too.
 * The two directions may differ in the last bits; callers that need a symmetric answer ask both.
 */
export function geodesicDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return WGS84.Inverse(lat1, lon1, lat2, lon2).s12 as number;
}

/** a(1 − e²) of WGS84, rounded down: the smallest meridional radius of curvature (meters per radian). */
const M_MIN = 6_335_439;
/** WGS84's equatorial radius: the prime-vertical radius of curvature N(φ) is never smaller. */
const A = 6_378_137;
const DEG = Math.PI / 180;

/**
 * True only when the geodesic distance between the points is surely above `meters` (in both directions, as
 * {@link geodesicDistance} computes them), from two lower bounds of any path's length, with
 * ds² = M² dφ² + N² cos²φ dλ²: |Δφ|·M_min, and a·cos(φmax)·|Δλ| where φmax bounds the latitudes of a path
 * no longer than `meters` (its ends' largest plus meters / M_min). A cheap filter before the geodesic:
 * it never rejects a pair the geodesic would keep (the slack covers GeographicLib's nanometer error).
 */
export function surelyFartherThan(
  lat1: number,
  lon1: number,
  lat2: number,
  lon2: number,
  meters: number,
): boolean {
  const limit = meters * (1 + 1e-9) + 1e-6;
  if (Math.abs(lat1 - lat2) * DEG * M_MIN > limit) return true;
  let dLon = Math.abs(lon1 - lon2);
  if (dLon > 180) dLon = 360 - dLon;
  const phiMax = Math.max(Math.abs(lat1), Math.abs(lat2)) * DEG + meters / M_MIN;
  if (phiMax >= Math.PI / 2) return false;
  return A * Math.cos(phiMax) * dLon * DEG > limit;
}
