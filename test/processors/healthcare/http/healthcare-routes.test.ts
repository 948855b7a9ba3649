import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { isMillraceError, MillraceError, type StreamsApp } from '../../../../src/index.ts';
import type { PluginContext } from '../../../../src/server/plugin.ts';
import { patientRoutes } from '../../../../processors/healthcare/http/patient-routes.ts';
import { personRoutes } from '../../../../processors/healthcare/http/person-routes.ts';

/** A fake context over in-memory maps, standing in for the server's cross-instance get/scan/produce. */
function fakeContext(stores: Record<string, Map<string, unknown>>) {
  const produced: { topic: string; key: string | null; value: unknown }[] = [];
  const app = (stores2: string[], topic: string) =>
    ({
      compiled: { subtopologies: [{ stores: stores2.map((name) => ({ name })), sourceTopics: [topic] }] },
    }) as unknown as StreamsApp;
  const ctx: PluginContext = {
    apps: new Map([
      ['profiles', app(['patient-profiles'], 'patient.profile.updated')],
      ['persons-app', app(['persons'], 'persons')],
      ['persons-app-2', app(['location-index'], 'locations')],
      ['persons-app-3', app(['person-connections'], 'location-cells')],
    ]),
    async get<V>(_app: string, store: string, key: string) {
      return { value: stores[store]?.get(key) as V | undefined, servedBy: 'local' };
    },
    async scan<V>(_app: string, store: string, req: { prefix?: string }) {
      return [...(stores[store] ?? new Map())]
        .filter(([k]) => req.prefix === undefined || k.startsWith(req.prefix))
        .map(([key, value]) => ({ key, value: value as V }));
    },
    async produce(topic, records) {
      for (const r of records) produced.push({ topic, key: r.key, value: r.value });
    },
    log: { info() {}, warn() {}, error() {} },
  };
  return { ctx, produced };
}

const STATUS: Record<string, number> = {
  MR_HTTP_BAD_REQUEST: 400,
  MR_HTTP_NOT_FOUND: 404,
  MR_STORE_NOT_QUERYABLE: 503,
};

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
});

async function serve(stores: Record<string, Map<string, unknown>>) {
  const { ctx, produced } = fakeContext(stores);
  server = Fastify();
  // The run command's server maps MillraceErrors the same way (code → status, body {code, message}).
  server.setErrorHandler((err, _req, reply) => {
    if (isMillraceError(err))
      return reply.code(STATUS[err.code] ?? 500).send({ code: err.code, message: err.message });
    return reply
      .code((err as { statusCode?: number }).statusCode ?? 500)
      .send({ code: 'X', message: (err as Error).message });
  });
  patientRoutes(server, ctx);
  personRoutes(server, ctx, { maxDistanceMeters: () => 50 });
  await server.ready();
  return { server, produced };
}

const t = (iso: string) => (BigInt(Date.parse(iso)) * 1_000_000n).toString();

describe('healthcare routes', () => {
  it('GET /patients/:id renders the merged profile with its newest field time; 404 when unknown or deleted', async () => {
    const profiles = new Map<string, unknown>([
      [
        '1',
        {
          fields: {
            firstName: { v: 'John', t: t('2006-01-02T05:00:00Z'), o: 1 },
            sex: { v: null, t: t('2006-01-03T00:00:00Z'), o: 2 },
          },
        },
      ],
      ['2', { deletedAt: t('2006-01-03T00:00:00Z'), fields: {} }],
    ]);
    const { server } = await serve({ 'patient-profiles': profiles });
    const ok = await server.inject('/patients/1');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ patientId: '1', updatedAt: '2006-01-03T00:00:00Z', firstName: 'John' });
    for (const id of ['2', '3']) {
      const r = await server.inject(`/patients/${id}`);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('MR_HTTP_NOT_FOUND');
    }
  });

  it('POST /patientprofile publishes the legacy payload keyed by PatientId (202), 400 on a bad one', async () => {
    const { server, produced } = await serve({});
    const body = {
      PatientId: '7',
      FirstName: 'Jo',
      IsPregnant: 'False',
      UpdatedAt: '2006-01-02T15:00:00+10:00',
    };
    const r = await server.inject({ method: 'POST', url: '/patientprofile', payload: body });
    expect(r.statusCode).toBe(202);
    expect(produced).toEqual([{ topic: 'patient.profile.updated', key: '7', value: body }]);
    const bad = await server.inject({
      method: 'POST',
      url: '/patientprofile',
      payload: { ...body, UpdatedAt: '2006-01-02T15:00:00Z10:00' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/UpdatedAt|updatedAt/);
    expect(produced).toHaveLength(1);
  });

  it('person routes keep the replaced API shapes and refuse distances above the maximum', async () => {
    const loc = (id: number, personId: number, creation: string) => ({
      locationId: id,
      personId,
      latitude: 37.5,
      longitude: -122.25,
      creationNanos: t(creation),
      v: id,
      home: '0:0',
    });
    const persons = new Map<string, unknown>([
      ['1', { personId: 1, firstName: 'A', lastName: 'B', companyName: 'C' }],
      ['2', { personId: 2, firstName: 'D', lastName: 'E', companyName: 'F' }],
    ]);
    const connections = new Map<string, unknown>([
      [
        '1|10|20|10|20',
        { own: loc(10, 1, '2020-08-18T10:00:00Z'), other: loc(20, 2, '2020-08-19T10:00:00Z'), distance: 3 },
      ],
      [
        '1|10|30|10|30',
        { own: loc(10, 1, '2020-08-18T10:00:00Z'), other: loc(30, 3, '2020-08-18T10:00:00Z'), distance: 3 },
      ],
      [
        '12|1|2|1|2',
        { own: loc(1, 12, '2020-08-18T10:00:00Z'), other: loc(2, 2, '2020-08-18T10:00:00Z'), distance: 3 },
      ],
    ]);
    const { server, produced } = await serve({ persons, 'person-connections': connections });
    expect((await server.inject('/api/persons')).json()).toEqual([
      { id: 1, first_name: 'A', last_name: 'B', company_name: 'C' },
      { id: 2, first_name: 'D', last_name: 'E', company_name: 'F' },
    ]);
    expect((await server.inject('/api/persons/2')).json()).toEqual({
      id: 2,
      first_name: 'D',
      last_name: 'E',
      company_name: 'F',
    });
    expect((await server.inject('/api/persons/9')).statusCode).toBe(404);
    expect((await server.inject('/api/persons/x')).statusCode).toBe(400);
    // Person 3 is unknown (deleted): hidden. The other location is inside end_date + 1 day.
    const r = await server.inject(
      '/api/persons/1/connection?start_date=2020-08-18&end_date=2020-08-19&distance=5',
    );
    expect(r.json()).toEqual([
      {
        person: { id: 2, first_name: 'D', last_name: 'E', company_name: 'F' },
        location: {
          id: 20,
          person_id: 2,
          longitude: '-122.25',
          latitude: '37.5',
          creation_time: '2020-08-19T10:00:00',
        },
      },
    ]);
    expect(
      (
        await server.inject('/api/persons/1/connection?start_date=2020-08-18&end_date=2020-08-19&distance=2')
      ).json(),
    ).toEqual([]);
    const tooFar = await server.inject(
      '/api/persons/1/connection?start_date=2020-08-18&end_date=2020-08-19&distance=51',
    );
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().message).toMatch(/distance/);
    const post = await server.inject({
      method: 'POST',
      url: '/api/locations',
      payload: {
        id: 5,
        person_id: 1,
        latitude: '37.5',
        longitude: '-122.25',
        creation_time: '2020-08-18T10:37:06',
      },
    });
    expect(post.statusCode).toBe(202);
    expect(produced.at(-1)).toMatchObject({ topic: 'locations', key: '1' });
    const badPost = await server.inject({
      method: 'POST',
      url: '/api/locations',
      payload: { person_id: 1, latitude: 100, longitude: 0, creation_time: '2020-08-18T10:37:06' },
    });
    expect(badPost.statusCode).toBe(400);
    expect(
      (await server.inject({ method: 'POST', url: '/api/persons', payload: { first_name: 'N' } })).statusCode,
    ).toBe(202);
    expect(produced.at(-1)).toMatchObject({ topic: 'persons', value: { firstName: 'N' } });
  });

  it('503 while no application holds the store', async () => {
    const { ctx } = fakeContext({});
    server = Fastify();
    server.setErrorHandler((err, _r, reply) =>
      reply
        .code(err instanceof MillraceError ? (STATUS[err.code] ?? 500) : 500)
        .send({ code: (err as MillraceError).code }),
    );
    patientRoutes(server, { ...ctx, apps: new Map() });
    expect((await server.inject('/patients/1')).statusCode).toBe(503);
  });
});
