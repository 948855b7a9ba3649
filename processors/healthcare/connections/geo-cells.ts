import type { GeoParams } from './geo-params.ts';

/**
 * The spatial index of person connections: a grid of latitude bands, each cut into longitude cells about
 * as wide as they are tall, fewer of them toward the poles (the band touching a pole is one cell).
 *
 * Cell id: `"<band>:<column>"`, band = ⌊(lat + 90) / h⌋ with h the cell height in degrees, column =
 * ⌊(lon + 180) / 360 · n(band)⌋ with n(band) = max(1, ⌊360 · cos(poleward edge) / h⌋).
 *
 * Every point has one home cell ({@link GeoGrid.homeCell}) and is replicated to every cell that may hold a
 * point within the maximum distance ({@link GeoGrid.cellsNear}, which includes the home cell). A pair
 * (p, q) is reported only in the home cell of the one with the smaller locationId: both points are
 * present there (one at home, the other replicated, as it is within the distance), and no other cell
 * reports it, so every pair is found exactly once, whatever the order they arrive in.
 *
 * The neighbourhood is a latitude/longitude box around the point, conservative on purpose: it is computed
 * on a sphere of radius 6 335 439 m (WGS84's smallest radius of curvature, so no ellipsoidal distance is
 * shorter than the spherical one by more than the margin) and widened by 1%; the longitude half-width is
 * asin(sin δ / cos φmax) (the tangent meridian), or all longitudes when the box reaches a pole. Across the
 * antimeridian the box wraps. The cost of a new point is the number of cells in its box, independent of
 * how many points are stored.
 */
export interface GeoGrid {
  homeCell(lat: number, lon: number): string;
  cellsNear(lat: number, lon: number): string[];
}

const MIN_RADIUS_M = 6_335_439;
const METERS_PER_DEGREE_LAT_MIN = 110_574;
const MARGIN = 1.01;
const DEG = Math.PI / 180;

export function createGeoGrid(params: GeoParams): GeoGrid {
  const h = params.cellSizeMeters / METERS_PER_DEGREE_LAT_MIN;
  const bands = Math.ceil(180 / h);
  const columnCache = new Map<number, number>();
  const bandOf = (lat: number) => Math.min(bands - 1, Math.max(0, Math.floor((lat + 90) / h)));
  const columns = (band: number): number => {
    let n = columnCache.get(band);
    if (n === undefined) {
      const edge = Math.min(90, Math.max(Math.abs(band * h - 90), Math.abs((band + 1) * h - 90)));
      n = Math.max(1, Math.floor((360 * Math.cos(edge * DEG)) / h));
      columnCache.set(band, n);
    }
    return n;
  };
  const columnOf = (lon: number, n: number) =>
    Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const delta = (params.maxDistanceMeters * MARGIN) / MIN_RADIUS_M; // angular radius, radians

  return {
    homeCell(lat, lon) {
      const band = bandOf(lat);
      return `${band}:${columnOf(lon, columns(band))}`;
    },
    cellsNear(lat, lon) {
      const dLat = delta / DEG;
      const latLo = lat - dLat;
      const latHi = lat + dLat;
      let dLon = 360;
      if (latLo > -90 && latHi < 90) {
        const s = Math.sin(delta) / Math.cos(Math.max(Math.abs(latLo), Math.abs(latHi)) * DEG);
        if (s < 1) dLon = (Math.asin(s) / DEG) * MARGIN;
      }
      // Longitude intervals, wrapped into [-180, 180].
      const intervals: [number, number][] = [];
      if (dLon >= 180) intervals.push([-180, 180]);
      else {
        const lo = lon - dLon;
        const hi = lon + dLon;
        if (lo < -180) intervals.push([lo + 360, 180], [-180, hi]);
        else if (hi > 180) intervals.push([lo, 180], [-180, hi - 360]);
        else intervals.push([lo, hi]);
      }
      const cells = new Set<string>();
      for (let band = bandOf(latLo); band <= bandOf(latHi); band++) {
        const n = columns(band);
        for (const [a, b] of intervals) {
          for (let c = columnOf(a, n); c <= columnOf(b, n); c++) cells.add(`${band}:${c}`);
        }
      }
      return [...cells];
    },
  };
}
