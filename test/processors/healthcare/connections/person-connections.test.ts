import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileTopologySpec,
  createProcessorRegistry,
  createTopologyTestDriver,
  isMillraceError,
  jsonSerde,
  stringSerde,
  type KeyValueStore,
} from '../../../../src/index.ts';
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
import { canonical, connectionOracle, generateScenario, randomQueries } from './connection-fixtures.ts';

const SPEC = readFileSync(new URL('../../../../topology/person-connections.yaml', import.meta.url), 'utf8');

function setup() {
  const registry = createProcessorRegistry();
  const settings = registerHealthcare(registry);
  const driver = createTopologyTestDriver(compileTopologySpec(SPEC, registry).topology);
  const persons = driver.createInputTopic('persons', stringSerde(), jsonSerde<unknown>());
  const locations = driver.createInputTopic('locations', stringSerde(), jsonSerde<unknown>());
  const conn = driver.getKeyValueStore<string, ConnectionEntry>('person-connections');
  const personStore = driver.getKeyValueStore<string, Person>('persons');
  const query = async (personId: number, q: Record<string, unknown>) => {
    const entries: ConnectionEntry[] = [];
    for await (const { value } of conn.prefixScan(connectionPrefix(personId))) entries.push(value);
    const others = new Map<number, Person>();
    for (const e of entries) {
      const p = personStore.get(String(e.other.personId));
      if (p !== undefined) others.set(p.personId, p);
    }
    return answerConnectionQuery(entries, parseConnectionQuery(q, settings.geo.maxDistanceMeters), others);
  };
  return { driver, persons, locations, conn, query };
}

async function count(store: KeyValueStore<string, unknown>): Promise<number> {
  let n = 0;
  for await (const _ of store.all()) n++;
  return n;
}

describe('person-connections topology (TopologyTestDriver)', () => {
  it('answers random queries exactly as the brute-force oracle of the original SQL (seeded)', async () => {
    for (const seed of [11, 12, 13]) {
      const s = generateScenario(25, 300, seed);
      const { driver, persons, locations, query } = setup();
      await persons.pipeRecordList(s.personEvents.slice(0, s.persons.length));
      await locations.pipeRecordList(s.locationEvents);
      await persons.pipeRecordList(s.personEvents.slice(s.persons.length));
      let nonEmpty = 0;
      for (const q of randomQueries(s, 100, 50, seed)) {
        const expected = connectionOracle(s, q.personId, q.startDate, q.endDate, q.distance);
        const got = await query(q.personId, {
          start_date: q.startDate,
          end_date: q.endDate,
          distance: String(q.distance),
        });
        expect(canonical(got), `seed ${seed} ${JSON.stringify(q)}`).toEqual(canonical(expected));
        if (expected.length > 0) nonEmpty++;
      }
      expect(nonEmpty).toBeGreaterThan(10); // the scenario really has connections to find
      driver.close();
    }
  });

  it('retracts the matches of a moved location and stores each pair once per direction', async () => {
    const { persons, locations, conn, query } = setup();
    await persons.pipeInput('1', { personId: 1, firstName: 'A', lastName: 'A', companyName: 'X' });
    await persons.pipeInput('2', { personId: 2, firstName: 'B', lastName: 'B', companyName: 'Y' });
    const t = '2020-08-18T10:37:06Z';
    await locations.pipeInput('1', {
      locationId: 1,
      personId: 1,
      latitude: 10,
      longitude: 20,
      creationTime: t,
    });
    await locations.pipeInput('2', {
      locationId: 2,
      personId: 2,
      latitude: 10.0001,
      longitude: 20,
      creationTime: t,
    });
    expect(await count(conn)).toBe(2);
    const q = { start_date: '2020-08-18', end_date: '2020-08-19', distance: '50' };
    expect(await query(1, q)).toEqual([
      {
        person: { id: 2, first_name: 'B', last_name: 'B', company_name: 'Y' },
        location: {
          id: 2,
          person_id: 2,
          longitude: '20',
          latitude: '10.0001',
          creation_time: '2020-08-18T10:37:06',
        },
      },
    ]);
    await locations.pipeInput('2', {
      locationId: 2,
      personId: 2,
      latitude: 11,
      longitude: 20,
      creationTime: t,
    });
    expect(await count(conn)).toBe(0);
    expect(await query(1, q)).toEqual([]);
    // A person delete hides the person from others' results.
    await locations.pipeInput('2', {
      locationId: 2,
      personId: 2,
      latitude: 10,
      longitude: 20.0001,
      creationTime: t,
    });
    expect(await query(1, q)).toHaveLength(1);
    await persons.pipeInput('2', null);
    expect(await query(1, q)).toEqual([]);
  });

  it('dead-letters bad locations and persons with a reason', async () => {
    const { persons, locations } = setup();
    const bad = async (p: () => Promise<void>, re: RegExp) => {
      try {
        await p();
        expect.unreachable();
      } catch (err) {
        expect(isMillraceError(err)).toBe(true);
        expect((err as Error).message).toMatch(re);
      }
    };
    const t = '2020-08-18T10:37:06Z';
    await bad(
      () =>
        locations.pipeInput('1', { locationId: 1, personId: 1, latitude: 91, longitude: 0, creationTime: t }),
      /latitude 91 is outside/,
    );
    await bad(
      () =>
        locations.pipeInput('1', {
          locationId: 1,
          personId: 1,
          latitude: 0,
          longitude: -180.5,
          creationTime: t,
        }),
      /longitude -180.5 is outside/,
    );
    await bad(
      () =>
        locations.pipeInput('1', {
          locationId: 1,
          personId: 1,
          latitude: 0,
          longitude: 0,
          creationTime: 'yesterday',
        }),
      /creationTime/,
    );
    await bad(
      () =>
        locations.pipeInput('1', {
          locationId: 'x',
          personId: 1,
          latitude: 0,
          longitude: 0,
          creationTime: t,
        }),
      /locationId/,
    );
    await bad(
      () =>
        locations.pipeInput('2', { locationId: 1, personId: 1, latitude: 0, longitude: 0, creationTime: t }),
      /differs from personId/,
    );
    await bad(() => persons.pipeInput('1', { personId: 1, firstName: 7 }), /firstName/);
    await bad(() => persons.pipeInput(null, null), /tombstone/);
  });

  it('refuses a query distance above the configured maximum, and bad dates', () => {
    expect(() =>
      parseConnectionQuery({ start_date: '2020-01-01', end_date: '2020-01-02', distance: '51' }, 50),
    ).toThrow(/exceeds the configured maximum of 50/);
    expect(() => parseConnectionQuery({ start_date: '2020-13-01', end_date: '2020-01-02' }, 50)).toThrow(
      /start_date/,
    );
    expect(() => parseConnectionQuery({ start_date: '2020-01-01' }, 50)).toThrow(/end_date/);
    expect(parseConnectionQuery({ start_date: '2020-01-01', end_date: '2020-01-02' }, 50).distance).toBe(5);
  });
});
