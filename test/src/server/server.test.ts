import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMillraceMetrics } from '../../../src/metrics/index.ts';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import { fakeApp } from './fake-app.ts';

const TOKEN = 'static-secret-token';
const data = new Map(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i] as const));
const app = fakeApp('counts-app', data);
let server: MillraceServer;
let signer: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const auth = { authorization: `Bearer ${TOKEN}` };

async function jwt(scope: string, key = signer) {
  return new SignJWT({ scope })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('tester')
    .setExpirationTime('5m')
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signer = pair.privateKey;
  const b = createStreamsBuilder();
  b.stream('in', { keySerde: stringSerde(), valueSerde: stringSerde() })
    .groupByKey()
    .count({ storeName: 'counts' });
  server = await createMillraceServer({
    apps: new Map([['counts-app', app]]),
    topologies: new Map([['counts-app', b.build()]]),
    metrics: createMillraceMetrics({ apps: new Map([['counts-app', app]]), processMetrics: false }),
    auth: { token: TOKEN, jwt: { publicKey: await exportSPKI(pair.publicKey), algorithms: ['ES256'] } },
    logLevel: 'silent',
    plugins: [
      {
        name: 'demo',
        routes(s, ctx) {
          s.get<{ Params: { id: string } }>(
            '/patients/:id',
            {
              config: { scope: 'patients:read' },
              schema: {
                params: { type: 'object', properties: { id: { type: 'string', pattern: '^k[0-9]+$' } } },
              },
            },
            async (req) => ctx.get('counts-app', 'counts', req.params.id),
          );
        },
      },
    ],
  });
});
afterAll(() => server.close());

const get = (url: string, headers: Record<string, string> = auth) =>
  server.fastify.inject({ method: 'GET', url, headers });

describe('interactive queries', () => {
  it('reads a key with the instance that served it', async () => {
    const res = await get('/stores/counts-app/counts/keys/k07');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: 'k07', value: 7, servedBy: 'local' });
    expect(res.headers['x-millrace-served-by']).toBe('local');
  });

  it('answers 404 {code, message} for a missing key, app or store', async () => {
    for (const url of [
      '/stores/counts-app/counts/keys/nope',
      '/stores/other/counts/keys/k01',
      '/stores/counts-app/x/keys/k01',
    ]) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('MR_HTTP_NOT_FOUND');
      expect(typeof res.json().message).toBe('string');
    }
    expect((await get('/stores/counts-app/counts/keys/nope')).json().servedBy).toBe('local');
  });

  it('scans all, a range and a prefix, each key once in key order, cut to the limit', async () => {
    const keys = [...data.keys()].sort();
    const all = (await get('/stores/counts-app/counts?limit=1000')).json();
    expect(all.entries.map((e: { key: string }) => e.key)).toEqual(keys);
    expect(all.servedBy).toEqual(['local']);
    const range = (await get('/stores/counts-app/counts?from=k10&to=k19')).json();
    expect(range.entries.map((e: { key: string }) => e.key)).toEqual(
      keys.filter((k) => k >= 'k10' && k <= 'k19'),
    );
    const prefix = (await get('/stores/counts-app/counts?prefix=k2')).json();
    expect(prefix.entries.map((e: { key: string; value: number }) => [e.key, e.value])).toEqual(
      keys.filter((k) => k.startsWith('k2')).map((k) => [k, data.get(k)]),
    );
    expect((await get('/stores/counts-app/counts?limit=3')).json().entries).toHaveLength(3);
  });

  it('answers 400 naming the parameter for each kind of malformed parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/stores/counts-app/counts?limit=0', /"limit" must be >= 1/],
      ['/stores/counts-app/counts?limit=abc', /"limit" must be integer/],
      ['/stores/counts-app/counts?limit=99999999', /"limit" must be <= 10000/],
      ['/stores/counts-app/counts?colour=red', /"colour" is not known/],
      ['/stores/counts-app/counts?prefix=a&from=b', /"prefix" cannot be combined/],
      ['/stores/counts-app/counts?from=', /"from" must NOT have fewer than 1 characters/],
      [`/stores/counts-app/counts/keys/${'x'.repeat(1100)}`, /"key" must NOT have more than 1024/],
      ['/stores/bad%20app/counts/keys/k1', /path parameter "app" must match pattern/],
      ['/stores/counts-app/counts/keys/%E0%A4%A', /malformed/],
      ['/topology?format=xml', /"format" must be equal to one of the allowed values/],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe('MR_HTTP_BAD_REQUEST');
      expect(res.json().message, url).toMatch(message);
    }
  });

  it('answers 503 with Retry-After while the app rebalances', async () => {
    app.setState('REBALANCING');
    try {
      const res = await get('/stores/counts-app/counts/keys/k01');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json().code).toBe('MR_STORE_NOT_QUERYABLE');
      expect((await get('/stores/counts-app/counts')).statusCode).toBe(503);
      expect((await get('/health/ready', {})).statusCode).toBe(503);
    } finally {
      app.setState('RUNNING');
    }
  });
});

describe('authentication', () => {
  it('answers 401 without a token, with a wrong token, or a JWT of another key', async () => {
    const other = await generateKeyPair('ES256');
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: TOKEN },
      { authorization: `Bearer ${await jwt('stores:read', other.privateKey)}` },
    ];
    for (const headers of cases) {
      const res = await get('/stores/counts-app/counts/keys/k01', headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('MR_HTTP_UNAUTHORIZED');
    }
  });

  it('checks JWT scopes per route group, plugins included', async () => {
    const reader = { authorization: `Bearer ${await jwt('stores:read')}` };
    const patients = { authorization: `Bearer ${await jwt('patients:read')}` };
    expect((await get('/stores/counts-app/counts/keys/k01', reader)).statusCode).toBe(200);
    expect((await get('/stores/counts-app/counts/keys/k01', patients)).statusCode).toBe(403);
    expect((await get('/patients/k03', patients)).json()).toEqual({ value: 3, servedBy: 'local' });
    expect((await get('/patients/k03', reader)).statusCode).toBe(403);
    expect((await get('/topology', reader)).statusCode).toBe(403);
  });

  it('leaves health, metrics and docs public', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/docs/json', '/docs']) {
      expect([200, 302], url).toContain((await get(url, {})).statusCode);
    }
    expect((await get('/health/ready', {})).json()).toMatchObject({ ready: true });
  });
});

describe('topology and docs', () => {
  it('describes the topology as JSON, text and Mermaid, and serves a page', async () => {
    expect((await get('/topology')).json().applications[0].applicationId).toBe('counts-app');
    expect((await get('/topology?format=text&app=counts-app')).body).toMatch(/Sub-topology: 0/);
    expect((await get('/topology?format=mermaid&app=counts-app')).body).toMatch(/flowchart|graph/);
    expect((await get('/topology/view')).body).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('publishes an OpenAPI document with the store routes', async () => {
    const doc = (await get('/docs/json', {})).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/stores/{app}/{store}/keys/{key}', '/health/ready']),
    );
  });
});
