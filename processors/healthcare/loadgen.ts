import type { LoadGenerator } from '../../src/index.ts';
import { createPharmacyLoad } from './orders/loadgen.ts';

/**
 * Realistic traffic for `millrace loadgen --generator <name>` (the plugin exposes these):
 * - `patient-profiles` → `patient.profile.updated`: partial updates of `--keys` patients, updatedAt jittered
 *   up to a minute into the past (so they arrive out of order), ~5% resent duplicates (same eventId), ~15%
 *   legacy Go payloads (PascalCase, "True"/"False"), a few deletes.
 * - `persons` → `persons`: person `i mod --keys` with a name and a company.
 * - `locations` → `locations`: check-ins of `--keys` persons clustered around hospitals and clinics (within
 *   ~40 m of a site, so they connect), creation times around now.
 * Each makes a `malformedShare` of malformed events (default 1%) that the topologies dead-letter.
 */
export interface HealthcareLoadOptions {
  /** Share of malformed events, 0..1 (default 0.01). */
  readonly malformedShare?: number;
  /** Start of generated times, epoch ms (default: now). */
  readonly startMs?: number;
}

const SITES: readonly [string, number, number][] = [
  ['UCSF Medical Center', 37.7631, -122.4576],
  ['Stanford Hospital', 37.4337, -122.1755],
  ['Kaiser Oakland', 37.8246, -122.2567],
  ['Sutter Clinic San Mateo', 37.5537, -122.2906],
  ['Charité Berlin', 52.5262, 13.3766],
  ['Fiji Lautoka Hospital', -17.6176, 177.4513],
  ['Tonga Vaiola Hospital', -21.1469, -175.2076],
];

const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi', 'Gus', 'Hana', 'Ivo', 'Jun'];
const LAST = ['Doe', 'Ng', 'Okafor', 'Silva', 'Berg', 'Khan', 'Rossi', 'Tanaka'];
const COMPANIES = ['Acme Health', 'Globex', 'Initech', 'Umbrella Care'];

export function healthcareGenerators(options: HealthcareLoadOptions = {}): LoadGenerator[] {
  const malformed = options.malformedShare ?? 0.01;
  const start = options.startMs ?? Date.now();
  const recent: { key: string; value: unknown }[] = [];

  const profiles: LoadGenerator = {
    name: 'patient-profiles',
    defaultTopic: 'patient.profile.updated',
    next(i, random, { keys }) {
      if (recent.length > 0 && random() < 0.05) return recent[Math.floor(random() * recent.length)]!;
      const patientId = String(Math.floor(random() * keys));
      const updatedAt = new Date(start + i * 10 - Math.floor(random() * 60_000)).toISOString();
      if (random() < malformed) {
        const bad = random() < 0.5 ? updatedAt.replace('Z', 'Z10:00') : undefined;
        return { key: patientId, value: { eventId: `e-${i}`, patientId, updatedAt: bad, firstName: 'X' } };
      }
      if (random() < 0.01) {
        return { key: patientId, value: { eventId: `e-${i}`, patientId, deleted: true, updatedAt } };
      }
      const fields: Record<string, unknown> = {};
      if (random() < 0.5) fields.firstName = pick(FIRST, random);
      if (random() < 0.5) fields.lastName = pick(LAST, random);
      if (random() < 0.3) fields.sex = random() < 0.5 ? 'Female' : 'Male';
      if (random() < 0.3) fields.isPregnant = random() < 0.2;
      if (random() < 0.2)
        fields.phone = random() < 0.1 ? null : `+1-555-${String(i % 10_000).padStart(4, '0')}`;
      let value: Record<string, unknown>;
      if (random() < 0.15) {
        value = { PatientId: patientId, UpdatedAt: updatedAt };
        for (const [k, v] of Object.entries(fields)) {
          value[k[0]!.toUpperCase() + k.slice(1)] = k === 'isPregnant' ? (v ? 'True' : 'False') : v;
        }
      } else value = { eventId: `e-${i}`, patientId, updatedAt, ...fields };
      const record = { key: patientId, value };
      recent.push(record);
      if (recent.length > 1000) recent.shift();
      return record;
    },
  };

  const persons: LoadGenerator = {
    name: 'persons',
    defaultTopic: 'persons',
    next(i, random, { keys }) {
      const personId = i % keys;
      if (random() < malformed) return { key: String(personId), value: { personId, firstName: 42 } };
      return {
        key: String(personId),
        value: {
          personId,
          firstName: pick(FIRST, random),
          lastName: pick(LAST, random),
          companyName: pick(COMPANIES, random),
        },
      };
    },
  };

  const locations: LoadGenerator = {
    name: 'locations',
    defaultTopic: 'locations',
    next(i, random, { keys }) {
      const personId = Math.floor(random() * keys);
      const [, lat, lon] = pick(SITES, random);
      // Within ~40 m of the site: 1 degree of latitude is ~111 km.
      const dLat = ((random() - 0.5) * 80) / 111_000;
      const dLon = ((random() - 0.5) * 80) / (111_000 * Math.cos((lat * Math.PI) / 180));
      const latitude = random() < malformed ? 91 + random() : lat + dLat;
      const creationTime = new Date(start + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      return {
        key: String(personId),
        value: { locationId: i, personId, latitude, longitude: wrap(lon + dLon), creationTime },
      };
    },
  };

  // The pharmacy events feed four topics from one stream (status changes and deliveries refer to orders it
  // created), so one generator writes each record to its own topic.
  let pharmacy: ReturnType<typeof createPharmacyLoad> | undefined;
  const orders: LoadGenerator = {
    name: 'pharmacy',
    defaultTopic: 'order-events',
    next(_i, random) {
      pharmacy ??= createPharmacyLoad({
        seed: Math.floor(random() * 2 ** 31),
        malformedShare: malformed,
        startMs: start,
      });
      const r = pharmacy.next();
      return { key: r.key, value: undefined, raw: r.value, topic: r.topic, timestamp: r.timestampMs };
    },
  };

  return [profiles, persons, locations, orders];
}

function pick<T>(xs: readonly T[], random: () => number): T {
  return xs[Math.floor(random() * xs.length)]!;
}

function wrap(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}
