import fc from 'fast-check';
import geodesic from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import {
  geodesicDistance,
  surelyFartherThan,
} from '../../../../processors/healthcare/connections/geodesic.ts';

const G = geodesic.Geodesic.WGS84;
const latitude = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc.double({ min: 89.999, max: 90, noNaN: true }),
  fc.double({ min: -90, max: -89.999, noNaN: true }),
  fc.constantFrom(90, -90, 0),
);
const longitude = fc.oneof(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: 179.999, max: 180, noNaN: true }),
  fc.double({ min: -180, max: -179.999, noNaN: true }),
  fc.constantFrom(180, -180, 0),
);
const azimuth = fc.double({ min: -180, max: 180, noNaN: true });
/** How far along the distance the second point lies: anywhere, or right at the limit. */
const fraction = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1, 0.999_999, 0.9999));
const meters = fc.constantFrom(1, 5, 50, 120, 400);

describe('surelyFartherThan', () => {
  it('never rejects a pair within the distance in either direction (property)', () => {
    fc.assert(
      fc.property(latitude, longitude, azimuth, fraction, meters, (lat, lon, azi, f, m) => {
        const g = G.Direct(lat, lon, azi, f * m);
        const [lat2, lon2] = [g.lat2 as number, g.lon2 as number];
        const near =
          Math.min(geodesicDistance(lat, lon, lat2, lon2), geodesicDistance(lat2, lon2, lat, lon)) <= m;
        if (near) expect(surelyFartherThan(lat, lon, lat2, lon2, m)).toBe(false);
      }),
      { numRuns: 20_000, seed: 7 },
    );
  });

  it('keeps pairs just inside the distance along a meridian and a parallel', () => {
    // 49.99 m north, and 49.99 m east at 60°N (where a degree of longitude is about 55.8 km).
    expect(surelyFartherThan(10, 20, 10 + 49.99 / 110_600, 20, 50)).toBe(false);
    const east = 20 + 49.99 / 55_800;
    expect(geodesicDistance(60, 20, 60, east)).toBeLessThan(50);
    expect(surelyFartherThan(60, 20, 60, east, 50)).toBe(false);
  });

  it('rejects most pairs that are far apart, across the antimeridian too', () => {
    expect(surelyFartherThan(10, 20, 10.001, 20, 50)).toBe(true); // ~110 m north
    expect(surelyFartherThan(10, 20, 10, 20.001, 50)).toBe(true); // ~110 m east
    expect(surelyFartherThan(0, 179.9999, 0, -179.9999, 50)).toBe(false); // ~22 m across it
    expect(surelyFartherThan(0, 179.999, 0, -179.999, 50)).toBe(true); // ~220 m across it
    expect(surelyFartherThan(89.99995, 0, 89.99995, 180, 50)).toBe(false); // over the pole: no bound
  });
});
