import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTopologySpec, createProcessorRegistry } from '../../../../src/index.ts';
import { registerHealthcare } from '../../../../processors/healthcare/register.ts';
import {
  renderProfile,
  type StoredProfile,
} from '../../../../processors/healthcare/profiles/profile-state.ts';
import { createTopics, eventually, produceStrings, readTopic, uniqueName } from '../../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../../helpers/test-apps.ts';
import { generateProfileEvents, profileOracle } from './profile-fixtures.ts';

const PATIENTS = Number(process.env.MILLRACE_PROFILE_PATIENTS ?? 10_000);
const UPDATES = 20;
const SPEC = readFileSync(new URL('../../../../topology/patient-profiles.yaml', import.meta.url), 'utf8');

describe('patient profiles on the real broker (exactly_once_v2)', () => {
  const t = useTestApps('profiles');
  const kafka = t.kafka;
  const input = uniqueName('patient.profile.updated');
  const output = uniqueName('patient.profile.current');
  const events = generateProfileEvents(PATIENTS, UPDATES, 20260101);
  const oracle = profileOracle(events);
  const malformed = [
    {
      key: 'bad-1',
      value: JSON.stringify({
        eventId: 'z',
        patientId: 'bad-1',
        updatedAt: '2006-01-02T15:00:00.000000000Z10:00',
        firstName: 'X',
      }),
      reason: /fuses "Z" with an offset/,
    },
    { key: 'bad-2', value: '{"patientId":"bad-2",', reason: /not valid JSON/ },
    {
      key: 'bad-3',
      value: JSON.stringify({ PatientId: 'bad-3', UpdatedAt: '2006-01-02T15:00:00Z', IsPregnant: 'maybe' }),
      reason: /isPregnant/,
    },
    {
      key: 'bad-4',
      value: JSON.stringify({ patientId: 'bad-4', firstName: 'no time' }),
      reason: /updatedAt is missing/,
    },
  ];

  beforeAll(async () => {
    await createTopics(kafka, [input], 6);
    await createTopics(kafka, [output], 6, { 'cleanup.policy': 'compact' });
    const records = events.map((e) => ({ key: e.key, value: JSON.stringify(e.value) }));
    // Malformed events in the middle of the stream: it must go on past them.
    records.splice(records.length >> 1, 0, ...malformed.map((m) => ({ key: m.key, value: m.value })));
    await produceStrings(kafka, input, records);
  });

  it(`merges ${PATIENTS} patients × ${UPDATES} shuffled, duplicated, partial updates into the oracle profiles`, async () => {
    const registry = createProcessorRegistry();
    registerHealthcare(registry);
    const spec = SPEC.replace('topic: patient.profile.updated', `topic: ${input}`).replace(
      'topic: patient.profile.current',
      `topic: ${output}`,
    );
    const { topology, config } = compileTopologySpec(spec, registry);
    expect(config['processing.guarantee']).toBe('exactly_once_v2');
    const app = await t.start(topology, {
      ...config,
      ...appConfig(uniqueName('profiles-app'), t.dirs[0]!, { 'commit.interval.ms': 500 }),
    });
    try {
      await app.waitUntilRunning(60_000);
      const store = app.store<string, StoredProfile>('patient-profiles');
      const patients = [...new Set(events.map((e) => e.key))];
      const matches = () =>
        patients.every(
          (id) => JSON.stringify(renderProfile(id, store.get(id))) === JSON.stringify(oracle.get(id)),
        );
      await eventually(matches, 90_000, 500);
      const wrong = patients.filter(
        (id) => JSON.stringify(renderProfile(id, store.get(id))) !== JSON.stringify(oracle.get(id)),
      );
      if (wrong.length > 0) {
        const id = wrong[0] as string;
        expect(
          { stored: store.get(id), profile: renderProfile(id, store.get(id)) },
          `${wrong.length} profiles differ`,
        ).toEqual({ stored: store.get(id), profile: oracle.get(id) });
      }
    } finally {
      await app.close();
    }

    // The compacted output topic ends with the same profiles (a tombstone where the profile is gone).
    const last = new Map<string, unknown>();
    for (const r of await readTopic(kafka, output))
      last.set(r.key!.toString(), r.value === null ? undefined : JSON.parse(r.value.toString()));
    for (const id of new Set(events.map((e) => e.key))) expect(last.get(id)).toEqual(oracle.get(id));

    // Each malformed event is in the DLQ, unchanged, with the reason in its headers.
    const dlq = await readTopic(kafka, `${input}.dlq`);
    expect(dlq).toHaveLength(malformed.length);
    for (const m of malformed) {
      const r = dlq.find((x) => x.key?.toString() === m.key);
      expect(r?.value?.toString()).toBe(m.value);
      const header = (name: string) => {
        const h = (r?.headers as unknown as Iterable<[unknown, unknown]> | undefined) ?? [];
        for (const [k, v] of h instanceof Map ? h : (h as Iterable<[unknown, unknown]>))
          if (String(k) === name) return String(v);
        return undefined;
      };
      expect(header('millrace.error.message')).toMatch(m.reason);
      expect(header('millrace.source.topic')).toBe(input);
    }
  });
});
