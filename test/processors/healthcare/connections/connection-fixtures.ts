import geodesic from 'geographiclib-geodesic';
import { rng } from '../profiles/profile-fixtures.ts';

/**
 * Random persons and locations for the connection tests, and a brute-force oracle that implements the
 * replaced API's SQL literally: for each of the person's locations with start <= t < end, every other
 * person's location with start <= t < end + 1 day within `distance` meters (WGS84 geodesic), one row per
 * pair, no de-duplication.
 */
const G = geodesic.Geodesic.WGS84;

export interface Loc {
  locationId: number;
  personId: number;
  latitude: number;
  longitude: number;
  creationTime: string;
}

export interface PersonRec {
  personId: number;
  firstName: string;
  lastName: string;
  companyName: string;
}

export interface Scenario {
  persons: PersonRec[];
  /** Records in input order: persons first is not required; `null` value = person delete. */
  personEvents: { key: string; value: PersonRec | null }[];
  locationEvents: { key: string; value: Loc }[];
  /** Final state the oracle uses. */
  alive: Map<number, PersonRec>;
  locations: Map<number, Loc>;
}

const DAY = 86_400_000;
const START = Date.UTC(2020, 7, 15);

/** Centers: a city, near each pole, both sides of the antimeridian, the equator on the antimeridian. */
const CENTERS = [
  [37.553441, -122.290524],
  [89.9997, 10],
  [-89.9996, -170],
  [65.2, 179.9997],
  [65.2, -179.9998],
  [0, 180],
  [-33.9, 18.4],
];

export function generateScenario(
  personCount: number,
  locationCount: number,
  seed: number,
  spreadMeters = 80,
): Scenario {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const persons: PersonRec[] = Array.from({ length: personCount }, (_, i) => ({
    personId: i + 1,
    firstName: `First${i + 1}`,
    lastName: `Last${i + 1}`,
    companyName: pick(['Acme', 'Globex', 'Initech']),
  }));
  const personEvents: Scenario['personEvents'] = persons.map((p) => ({ key: String(p.personId), value: p }));
  const locations = new Map<number, Loc>();
  const locationEvents: Scenario['locationEvents'] = [];
  const time = () =>
    new Date(START + Math.floor(r() * 6) * DAY + Math.floor((r() * DAY) / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
  for (let id = 1; id <= locationCount; id++) {
    const personId = 1 + Math.floor(r() * personCount);
    let lat: number;
    let lon: number;
    const prev = [...locations.values()];
    if (prev.length > 0 && r() < 0.3) {
      // Exactly at an integer distance of an existing point (what a query's `distance` may hit).
      const base = pick(prev);
      const g = G.Direct(base.latitude, base.longitude, r() * 360 - 180, pick([5, 10, 25, 50]));
      [lat, lon] = [g.lat2 as number, g.lon2 as number];
    } else {
      const [clat, clon] = pick(CENTERS) as [number, number];
      const g = G.Direct(clat, clon, r() * 360 - 180, r() * spreadMeters);
      [lat, lon] = [g.lat2 as number, g.lon2 as number];
    }
    const loc: Loc = { locationId: id, personId, latitude: lat, longitude: lon, creationTime: time() };
    locations.set(id, loc);
    locationEvents.push({ key: String(personId), value: loc });
  }
  // Move ~10% of the locations (same locationId, new point and time), resend ~5% unchanged.
  for (const loc of [...locations.values()]) {
    if (r() < 0.1) {
      const g = G.Direct(loc.latitude, loc.longitude, r() * 360 - 180, r() * 60);
      const moved = { ...loc, latitude: g.lat2 as number, longitude: g.lon2 as number, creationTime: time() };
      locations.set(loc.locationId, moved);
      locationEvents.push({ key: String(loc.personId), value: moved });
    } else if (r() < 0.05) locationEvents.push({ key: String(loc.personId), value: loc });
  }
  const alive = new Map(persons.map((p) => [p.personId, p]));
  for (const p of persons) {
    if (r() < 0.1) {
      alive.delete(p.personId);
      personEvents.push({ key: String(p.personId), value: null });
    }
  }
  return { persons, personEvents, locationEvents, alive, locations };
}

export interface OracleRow {
  person: { id: number; first_name: string; last_name: string; company_name: string };
  location: { id: number; person_id: number; longitude: string; latitude: string; creation_time: string };
}

/** The replaced API, recomputed over every location (what Millrace must never do at query time). */
export function connectionOracle(
  s: Scenario,
  personId: number,
  startDate: string,
  endDate: string,
  distance: number,
): OracleRow[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const rows: OracleRow[] = [];
  const all = [...s.locations.values()];
  for (const own of all) {
    if (own.personId !== personId) continue;
    const ot = Date.parse(own.creationTime);
    if (!(start <= ot && ot < end)) continue;
    for (const other of all) {
      if (other.personId === personId) continue;
      const t = Date.parse(other.creationTime);
      if (!(start <= t && t < end + DAY)) continue;
      if ((G.Inverse(own.latitude, own.longitude, other.latitude, other.longitude).s12 as number) > distance)
        continue;
      const p = s.alive.get(other.personId);
      if (p === undefined) continue;
      rows.push({
        person: {
          id: p.personId,
          first_name: p.firstName,
          last_name: p.lastName,
          company_name: p.companyName,
        },
        location: {
          id: other.locationId,
          person_id: other.personId,
          longitude: String(other.longitude),
          latitude: String(other.latitude),
          creation_time: other.creationTime.replace(/Z$/, ''),
        },
      });
    }
  }
  return rows;
}

/** Order-free comparison form of a list of rows. */
export function canonical(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Random queries: persons (some deleted or unknown), date ranges, distances up to `max` (some exact). */
export function randomQueries(s: Scenario, count: number, max: number, seed: number) {
  const r = rng(seed);
  const day = (n: number) => new Date(START + n * DAY).toISOString().slice(0, 10);
  return Array.from({ length: count }, () => {
    const a = Math.floor(r() * 7) - 1;
    const b = a + Math.floor(r() * 7);
    return {
      personId: 1 + Math.floor(r() * (s.persons.length + 1)),
      startDate: day(a),
      endDate: day(b),
      distance: r() < 0.5 ? [5, 10, 25, 50, 0][Math.floor(r() * 5)]! : Math.round(r() * max * 100) / 100,
    };
  });
}
