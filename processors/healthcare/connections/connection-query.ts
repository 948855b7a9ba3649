import { MillraceError } from '../../../src/index.ts';
import { formatRfc3339Utc, parseRfc3339 } from '../../../src/index.ts';
import type { ConnectionEntry, VersionedLocation } from './indexed-location.ts';
import type { Person } from './person-event.ts';

/** A connection query of the replaced API: `?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&distance=N`. */
export interface ConnectionQuery {
  /** Epoch nanoseconds of start_date 00:00 UTC. */
  readonly start: bigint;
  /** Epoch nanoseconds of end_date 00:00 UTC. */
  readonly end: bigint;
  readonly distance: number;
}

/** One row of the replaced API's answer (snake_case, coordinates as strings, time ISO without zone). */
export interface ConnectionRow {
  person: { id: number; first_name: string | null; last_name: string | null; company_name: string | null };
  location: { id: number; person_id: number; longitude: string; latitude: string; creation_time: string };
}

const DAY_NANOS = 86_400_000_000_000n;

/** Checks the query parameters; a bad one is MR_HTTP_BAD_REQUEST naming it. */
export function parseConnectionQuery(
  q: Readonly<Record<string, unknown>>,
  maxDistanceMeters: number,
): ConnectionQuery {
  const date = (name: string): bigint => {
    const v = q[name];
    if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v)) bad(`${name} must be a date YYYY-MM-DD`);
    try {
      return parseRfc3339(`${v}T00:00:00Z`);
    } catch {
      return bad(`${name} ${JSON.stringify(v)} is not a valid date`);
    }
  };
  const start = date('start_date');
  const end = date('end_date');
  let distance = 5; // the replaced API's default
  if (q.distance !== undefined && q.distance !== '') {
    distance = Number(q.distance);
    if (typeof q.distance !== 'string' && typeof q.distance !== 'number') bad('distance must be a number');
    if (!Number.isFinite(distance) || distance < 0) bad('distance must be a non-negative number of meters');
    if (distance > maxDistanceMeters) {
      bad(`distance ${distance} exceeds the configured maximum of ${maxDistanceMeters} meters`);
    }
  }
  return { start, end, distance };
}

/**
 * The replaced API's semantics over the materialized matches of one person: own locations with
 * start <= creation_time < end, other locations with start <= creation_time < end + 1 day, geodesic
 * distance <= distance, one row per (own, other) pair, persons that are deleted or unknown left out.
 * Rows are ordered by own locationId, then other locationId.
 */
export function answerConnectionQuery(
  entries: readonly ConnectionEntry[],
  query: ConnectionQuery,
  persons: ReadonlyMap<number, Person>,
): ConnectionRow[] {
  const otherEnd = query.end + DAY_NANOS;
  // While a moved location's old matches are being retracted, two versions of a pair may coexist:
  // keep the newest versions only.
  const newest = new Map<string, ConnectionEntry>();
  for (const e of entries) {
    const k = `${e.own.locationId}|${e.other.locationId}`;
    const seen = newest.get(k);
    if (seen === undefined || e.own.v + e.other.v > seen.own.v + seen.other.v) newest.set(k, e);
  }
  const rows: { own: number; other: number; row: ConnectionRow }[] = [];
  for (const e of newest.values()) {
    const ownT = BigInt(e.own.creationNanos);
    const otherT = BigInt(e.other.creationNanos);
    if (ownT < query.start || ownT >= query.end) continue;
    if (otherT < query.start || otherT >= otherEnd) continue;
    if (e.distance > query.distance) continue;
    const p = persons.get(e.other.personId);
    if (p === undefined) continue;
    rows.push({ own: e.own.locationId, other: e.other.locationId, row: toRow(p, e.other) });
  }
  rows.sort((a, b) => a.own - b.own || a.other - b.other);
  return rows.map((r) => r.row);
}

/** The replaced API's person shape. */
export function personRow(p: Person): ConnectionRow['person'] {
  return { id: p.personId, first_name: p.firstName, last_name: p.lastName, company_name: p.companyName };
}

function toRow(p: Person, l: VersionedLocation): ConnectionRow {
  return {
    person: personRow(p),
    location: {
      id: l.locationId,
      person_id: l.personId,
      longitude: String(l.longitude),
      latitude: String(l.latitude),
      creation_time: formatRfc3339Utc(BigInt(l.creationNanos)).replace(/Z$/, ''),
    },
  };
}

function bad(message: string): never {
  throw new MillraceError('MR_HTTP_BAD_REQUEST', message);
}
