import { MillraceError } from '../../../src/index.ts';

/** Spatial-index parameters of the person-connections topology. */
export interface GeoParams {
  /** The largest distance (meters) a connection query may ask for; pairs farther apart are not stored. */
  readonly maxDistanceMeters: number;
  /** The edge of a grid cell (meters, north-south); default twice the maximum distance. */
  readonly cellSizeMeters: number;
}

/** Reads and checks the spec's params (`maxDistanceMeters`, `cellSizeMeters`). */
export function geoParams(params: Readonly<Record<string, unknown>>): GeoParams {
  const max = params.maxDistanceMeters ?? 50;
  if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0 || max > 100_000) {
    throw new MillraceError(
      'MR_TOPOLOGY_SPEC_INVALID',
      `maxDistanceMeters must be a number in (0, 100000], got ${JSON.stringify(max)}: fix the topology params`,
    );
  }
  const cell = params.cellSizeMeters ?? Math.max(2 * max, 1);
  if (typeof cell !== 'number' || !Number.isFinite(cell) || cell < 1 || cell > 1_000_000) {
    throw new MillraceError(
      'MR_TOPOLOGY_SPEC_INVALID',
      `cellSizeMeters must be a number in [1, 1000000], got ${JSON.stringify(cell)}: fix the topology params`,
    );
  }
  return { maxDistanceMeters: max, cellSizeMeters: cell };
}
