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
