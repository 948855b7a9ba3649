import fc from 'fast-check';
import geodesic from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { createGeoGrid } from '../../../../processors/healthcare/connections/geo-cells.ts';
import { geoParams } from '../../../../processors/healthcare/connections/geo-params.ts';

const G = geodesic.Geodesic.WGS84;
const dist = (a: P, b: P) => G.Inverse(a.lat, a.lon, b.lat, b.lon).s12 as number;
interface P {
  id: number;
  lat: number;
  lon: number;
}

/** Points anywhere, and points crowded near the poles and the antimeridian. */
const latitude = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc.double({ min: 89.99, max: 90, noNaN: true }),
  fc.double({ min: -90, max: -89.99, noNaN: true }),
  fc.constantFrom(90, -90, 0, 89.9995, -89.9995),
);
const longitude = fc.oneof(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: 179.999, max: 180, noNaN: true }),
  fc.double({ min: -180, max: -179.999, noNaN: true }),
  fc.constantFrom(180, -180, 0),
);

describe.each([
  { maxDistanceMeters: 50 },
  { maxDistanceMeters: 50, cellSizeMeters: 30 }, // cells smaller than the distance: more neighbours
  { maxDistanceMeters: 5 },
  { maxDistanceMeters: 2000 },
])('geo grid %j', (params) => {
  const geo = geoParams(params);
  const grid = createGeoGrid(geo);
  const D = geo.maxDistanceMeters;

  it('replicates every point to the home cell of every point within the distance (property)', () => {
    fc.assert(
      fc.property(
        latitude,
        longitude,
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.oneof(fc.double({ min: 0, max: D, noNaN: true }), fc.constant(D)),
        (lat, lon, azi, s) => {
          const q = G.Direct(lat, lon, azi, s);
          const p = { id: 0, lat, lon };
          const other = { id: 1, lat: q.lat2 as number, lon: q.lon2 as number };
          if (dist(p, other) > D) return; // Direct/Inverse round-off right at the bound
          expect(grid.cellsNear(other.lat, other.lon)).toContain(grid.homeCell(p.lat, p.lon));
          expect(grid.cellsNear(p.lat, p.lon)).toContain(grid.homeCell(other.lat, other.lon));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('home cell is always among the cells near a point', () => {
    fc.assert(
      fc.property(latitude, longitude, (lat, lon) => {
        expect(grid.cellsNear(lat, lon)).toContain(grid.homeCell(lat, lon));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds every pair within the distance exactly once, as brute force does (property)', () => {
    const cluster = fc.record({ lat: latitude, lon: longitude }).chain(({ lat, lon }) =>
      fc
        .array(
          fc.record({
            azi: fc.double({ min: -180, max: 180, noNaN: true }),
            s: fc.double({ min: 0, max: 3 * D, noNaN: true }),
          }),
          { minLength: 2, maxLength: 40 },
        )
        .map((offsets) =>
          offsets.map((o, id) => {
            const r = G.Direct(lat, lon, o.azi, o.s);
            return { id, lat: r.lat2 as number, lon: r.lon2 as number };
          }),
        ),
    );
    fc.assert(
      fc.property(cluster, (points) => {
        // The matcher's rule, simulated: each point sits in every cell near it; a cell reports a pair when
        // it is the home cell of the point with the smaller id.
        const cells = new Map<string, P[]>();
        const home = new Map<number, string>();
        for (const p of points) {
          home.set(p.id, grid.homeCell(p.lat, p.lon));
          for (const c of grid.cellsNear(p.lat, p.lon)) cells.set(c, [...(cells.get(c) ?? []), p]);
        }
        const found: string[] = [];
        for (const [c, members] of cells) {
          for (let i = 0; i < members.length; i++) {
            for (let j = i + 1; j < members.length; j++) {
              const [a, b] = [members[i]!, members[j]!].sort((x, y) => x.id - y.id) as [P, P];
              if (home.get(a.id) === c && dist(a, b) <= D) found.push(`${a.id}-${b.id}`);
            }
          }
        }
        const oracle: string[] = [];
        for (let i = 0; i < points.length; i++) {
          for (let j = i + 1; j < points.length; j++) {
            if (dist(points[i]!, points[j]!) <= D) oracle.push(`${i}-${j}`);
          }
        }
        expect(found.sort()).toEqual(oracle.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the neighbourhood small away from the poles', () => {
    expect(grid.cellsNear(37.55, -122.29).length).toBeLessThanOrEqual(geo.cellSizeMeters >= 2 * D ? 9 : 25);
  });
});
