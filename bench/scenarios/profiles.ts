import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileTopologySpec, createProcessorRegistry } from '../../src/index.ts';
import healthcare from '../../processors/healthcare/index.ts';
import { random, T0_MS, type BenchEvent, type ContenderTopics, type Scenario } from './scenario.ts';

const SPEC = fileURLToPath(new URL('../../topology/patient-profiles.yaml', import.meta.url));
const FIRST = ['Ada', 'John', 'Mary', 'Wei', 'Olu', 'Ines', 'Raj', 'Lena'];
const LAST = ['Smith', 'Nguyen', 'Okafor', 'Garcia', 'Kowalski', 'Haddad'];
const CITIES = ['Melbourne', 'Lagos', 'Lisbon', 'Osaka', 'Denver', 'Pune'];

/**
 * Patient-profile KTable upsert (issue 7 scenario i): `patient.profile.updated` events over `keys`
 * patients (default 100,000), each setting 1–4 fields, `updatedAt` with nanoseconds and up to 5 s out of
 * order (so last-writer-wins really decides), 2% deletes; merged per field by the healthcare topology
 * topology/patient-profiles.yaml (eventId dedupe, per-field LWW) and its Java Processor API twin.
 */
export const profiles: Scenario = {
  name: 'profiles',
  inputPartitions: 6,
  defaultKeys: 100_000,
  event(i: number, keys: number): BenchEvent {
    return profileEvent(i, keys);
  },
  millraceTopology(t: ContenderTopics) {
    const spec = parse(readFileSync(SPEC, 'utf8')) as {
      config: Record<string, unknown>;
      sources: { updates: { topic: string } };
      pipelines: { steps: Record<string, { topic?: string }>[] }[];
    };
    spec.config['application.id'] = t.appId;
    spec.sources.updates.topic = t.input;
    const sink = spec.pipelines[0]!.steps.find((s) => s.to !== undefined);
    if (!sink?.to) throw new Error('topology/patient-profiles.yaml has no `to` step: update the bench');
    sink.to.topic = t.output;
    const registry = createProcessorRegistry();
    healthcare.register?.(registry);
    return compileTopologySpec(spec, registry).topology;
  },
  millraceTopics: () => [],
  javaArgs: () => [],
  javaTopics: () => [],
};

/** Event i: patient `p-<n>`, eventId `e-<i>`. */
export function profileEvent(i: number, keys: number): BenchEvent {
  const r = random(i * 2654435761);
  const patient = `p-${Math.floor(r() * keys)}`;
  const ms = T0_MS + i - Math.floor(r() * 5000);
  const nanos = String(Math.floor(r() * 1e6)).padStart(6, '0');
  const iso = new Date(ms).toISOString().replace('Z', `${nanos}Z`);
  const value: Record<string, unknown> = { eventId: `e-${i}`, patientId: patient, updatedAt: iso };
  if (r() < 0.02) value.deleted = true;
  else {
    if (r() < 0.6) value.firstName = FIRST[Math.floor(r() * FIRST.length)];
    if (r() < 0.6) value.lastName = LAST[Math.floor(r() * LAST.length)];
    if (r() < 0.4) value.city = CITIES[Math.floor(r() * CITIES.length)];
    if (r() < 0.3) value.phone = `+61 4${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    if (Object.keys(value).length === 3) value.sex = r() < 0.5 ? 'Female' : 'Male';
  }
  return { key: patient, value: JSON.stringify(value), timestamp: ms };
}

/** Seed event of patient `p-<k>`: every field set, at a time before every {@link profileEvent}. */
export function profileSeedEvent(k: number): BenchEvent {
  const ms = T0_MS - 3_600_000;
  const value = {
    eventId: `seed-${k}`,
    patientId: `p-${k}`,
    updatedAt: new Date(ms).toISOString(),
    firstName: FIRST[k % FIRST.length],
    lastName: LAST[k % LAST.length],
    city: CITIES[k % CITIES.length],
    sex: k % 2 === 0 ? 'Female' : 'Male',
  };
  return { key: `p-${k}`, value: JSON.stringify(value), timestamp: ms };
}
