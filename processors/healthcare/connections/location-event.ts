import { MillraceError } from '../../../src/index.ts';
import { tryParseRfc3339 } from '../../../src/index.ts';

/**
 * A validated event of `locations` (key personId):
 * `{"locationId":29,"personId":1,"latitude":37.553441,"longitude":-122.290524,"creationTime":"2020-08-18T10:37:06Z"}`.
 * Ids are integers (the replaced API's primary keys); coordinates are numbers or numeric strings;
 * creationTime is RFC 3339, or ISO 8601 without a zone, read as UTC (the replaced database stored
 * `timestamp without time zone` in UTC).
 */
export interface LocationEvent {
  readonly locationId: number;
  readonly personId: number;
  readonly latitude: number;
  readonly longitude: number;
  /** Epoch nanoseconds, decimal. */
  readonly creationNanos: string;
}

export function parseLocationEvent(key: string | null, value: unknown): LocationEvent {
  if (value === null || value === undefined) {
    invalid('a location cannot be deleted with a tombstone: send it again with its new position instead');
  }
  if (typeof value !== 'object' || Array.isArray(value)) invalid('the value must be a JSON object');
  const v = value as Record<string, unknown>;
  const locationId = integerId(v.locationId ?? v.id, 'locationId');
  const personId = integerId(v.personId ?? v.person_id, 'personId');
  if (key !== null && key !== String(personId)) {
    invalid(
      `the record key "${key.slice(0, 40)}" differs from personId ${personId}: key locations by personId`,
    );
  }
  const latitude = coordinate(v.latitude, 'latitude', 90);
  const longitude = coordinate(v.longitude, 'longitude', 180);
  const creationNanos = parseCreationTime(v.creationTime ?? v.creation_time, 'creationTime').toString();
  return { locationId, personId, latitude, longitude, creationNanos };
}

/** RFC 3339, or `YYYY-MM-DDThh:mm:ss[.f]` without zone read as UTC. */
export function parseCreationTime(raw: unknown, field: string): bigint {
  if (raw === undefined || raw === null) invalid(`${field} is missing`);
  const text =
    typeof raw === 'string' && /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?$/.test(raw) ? `${raw}Z` : raw;
  const parsed = tryParseRfc3339(text);
  if (!parsed.ok) throw new MillraceError('MR_TIMESTAMP_INVALID', `location ${field}: ${parsed.reason}`);
  return parsed.epochNanos;
}

export function integerId(raw: unknown, field: string, what = 'location'): number {
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new MillraceError(
      'MR_EVENT_INVALID',
      `${what} event: ${field} must be a non-negative integer, got ${JSON.stringify(raw)?.slice(0, 40) ?? 'nothing'}`,
    );
  }
  return n;
}

function coordinate(raw: unknown, field: string, bound: number): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    invalid(`${field} must be a number, got ${JSON.stringify(raw)?.slice(0, 40) ?? 'nothing'}`);
  }
  if (n < -bound || n > bound) invalid(`${field} ${n} is outside [-${bound}, ${bound}]`);
  return n;
}

function invalid(reason: string): never {
  throw new MillraceError('MR_EVENT_INVALID', `location event: ${reason}`);
}
