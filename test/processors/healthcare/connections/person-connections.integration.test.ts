import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTopologySpec, createProcessorRegistry } from '../../../../src/index.ts';
import {
  answerConnectionQuery,
  parseConnectionQuery,
} from '../../../../processors/healthcare/connections/connection-query.ts';
import {
  connectionPrefix,
  type ConnectionEntry,
} from '../../../../processors/healthcare/connections/indexed-location.ts';
import type { Person } from '../../../../processors/healthcare/connections/person-event.ts';
import { registerHealthcare } from '../../../../processors/healthcare/register.ts';
import { createTopics, eventually, produceStrings, readTopic, uniqueName } from '../../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../../helpers/test-apps.ts';
import { canonical, connectionOracle, generateScenario, randomQueries } from './connection-fixtures.ts';

const SPEC = readFileSync(new URL('../../../../topology/person-connections.yaml', import.meta.url), 'utf8');

describe('person connections on the real broker (exactly_once_v2)', () => {
  const t = useTestApps('connections');
  const kafka = t.kafka;
  const personsTopic = uniqueName('persons');
  const locationsTopic = uniqueName('locations');
  const s = generateScenario(60, 1000, 777, 400);
  const badLocations = [
    {
      key: '1',
      value: JSON.stringify({
        locationId: 999_001,
        personId: 1,
        latitude: 91,
        longitude: 0,
        creationTime: '2020-08-18T10:37:06Z',
      }),
      reason: /latitude 91/,
    },
    {
      key: '1',
      value: JSON.stringify({
        locationId: 999_002,
        personId: 1,
        latitude: 0,
        longitude: 181,
        creationTime: '2020-08-18T10:37:06Z',
      }),
      reason: /longitude 181/,
    },
    { key: '1', value: 'not json', reason: /not valid JSON/ },
  ];

  beforeAll(async () => {
    await createTopics(kafka, [personsTopic, locationsTopic], 6);
    const str = (xs: { key: string; value: unknown }[]) =>
      xs.map((x) => ({ key: x.key, value: x.value === null ? null : JSON.stringify(x.value) }));
    await produceStrings(kafka, personsTopic, [
      ...str(s.personEvents),
      { key: '5', value: JSON.stringify({ personId: 5, firstName: 42 }) },
    ]);
    const locs = str(s.locationEvents);
    locs.splice(locs.length >> 1, 0, ...badLocations.map((b) => ({ key: b.key, value: b.value })));
    await produceStrings(kafka, locationsTopic, locs);
  });

  it('answers random (person, dates, distance) queries like the brute-force oracle of the original SQL', async () => {
    const registry = createProcessorRegistry();
    const settings = registerHealthcare(registry);
    const spec = SPEC.replace('topic: persons', `topic: ${personsTopic}`).replace(
      'topic: locations',
      `topic: ${locationsTopic}`,
    );
    const { topology, config } = compileTopologySpec(spec, registry);
    const app = await t.start(topology, {
      ...config,
      ...appConfig(uniqueName('connections-app'), t.dirs[0]!, { 'commit.interval.ms': 500 }),
    });
    const queries = randomQueries(s, 200, settings.geo.maxDistanceMeters, 778);
    try {
      await app.waitUntilRunning(60_000);
      const conn = app.store<string, ConnectionEntry>('person-connections');
      const persons = app.store<string, Person>('persons');
      const ask = async (q: (typeof queries)[number]) => {
        const entries: ConnectionEntry[] = [];
        for await (const { value } of conn.prefixScan(connectionPrefix(q.personId))) entries.push(value);
        const others = new Map<number, Person>();
        for (const e of entries) {
          const p = persons.get(String(e.other.personId));
          if (p !== undefined) others.set(p.personId, p);
        }
        const query = parseConnectionQuery(
          { start_date: q.startDate, end_date: q.endDate, distance: String(q.distance) },
          settings.geo.maxDistanceMeters,
        );
        return canonical(answerConnectionQuery(entries, query, others));
      };
      const expected = queries.map((q) =>
        canonical(connectionOracle(s, q.personId, q.startDate, q.endDate, q.distance)),
      );
      const allMatch = async () => {
        for (let i = 0; i < queries.length; i++) {
          if (JSON.stringify(await ask(queries[i]!)) !== JSON.stringify(expected[i])) return false;
        }
        return true;
      };
      await eventually(allMatch, 45_000, 1000);
      for (let i = 0; i < queries.length; i++) {
        expect(await ask(queries[i]!), JSON.stringify(queries[i])).toEqual(expected[i]);
      }
      expect(expected.filter((e) => e.length > 0).length).toBeGreaterThan(20);
    } finally {
      await app.close();
    }

    const dlq = await readTopic(kafka, `${locationsTopic}.dlq`);
    expect(dlq).toHaveLength(badLocations.length);
    for (const b of badLocations) {
      const r = dlq.find((x) => x.value?.toString() === b.value);
      expect(r?.headers.find(([k]) => k === 'millrace.error.message')?.[1].toString()).toMatch(b.reason);
    }
    const personsDlq = await readTopic(kafka, `${personsTopic}.dlq`);
    expect(
      personsDlq.map((r) => r.headers.find(([k]) => k === 'millrace.error.message')?.[1].toString()),
    ).toEqual([expect.stringMatching(/firstName must be a string/)]);
  });
});
