import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import { LmdbApp } from './lmdb-app.ts';

const APP = 'wq';
const STORE = 'profiles';
const TOKEN = 'worker-token';
const fx = new LmdbApp(APP, STORE, 3);

let server: MillraceServer;
let base: string;

beforeAll(async () => {
  for (let i = 0; i < 30; i++) await fx.commit(`p-${i}`, { id: `p-${i}`, visits: i, tags: ['a', i] });
  server = await createMillraceServer({
    apps: new Map([[APP, fx.app]]),
    auth: { token: TOKEN },
    logLevel: 'silent',
  });
  base = `http://${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server.close();
  await fx.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };

/** The same request over HTTP (through the worker) and through the main thread's Fastify. */
async function both(path: string, headers: Record<string, string> = auth) {
  const res = await fetch(base + path, { headers });
  const http = {
    status: res.status,
    type: res.headers.get('content-type'),
    servedBy: res.headers.get('x-millrace-served-by'),
    retryAfter: res.headers.get('retry-after'),
    body: await res.text(),
  };
  const before = fx.mainThreadReads;
  const inj = await server.fastify.inject({ method: 'GET', url: path, headers });
  fx.mainThreadReads = before;
  const main = {
    status: inj.statusCode,
    type: inj.headers['content-type'] ?? null,
    servedBy: (inj.headers['x-millrace-served-by'] as string | undefined) ?? null,
    retryAfter: (inj.headers['retry-after'] as string | undefined) ?? null,
    body: inj.body,
  };
  return { http, main };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('query worker threads', () => {
  it('answer key lookups from LMDB with the bytes the main thread sends, without the main thread', async () => {
    fx.mainThreadReads = 0;
    for (const key of ['p-0', 'p-7', 'p-29']) {
      const { http, main } = await both(`/stores/${APP}/${STORE}/keys/${key}`);
      expect(http.status).toBe(200);
      expect(http).toEqual(main);
      expect(JSON.parse(http.body).value.visits).toBe(Number(key.slice(2)));
    }
    expect(fx.mainThreadReads).toBe(0);
  });

  it('answer 404 with the servedBy of the main thread for a key that is not there', async () => {
    fx.mainThreadReads = 0;
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/nobody`);
    expect(http.status).toBe(404);
    expect(http).toEqual(main);
    expect(fx.mainThreadReads).toBe(0);
  });

  it('see each commit, and a delete', async () => {
    await fx.commit('p-1', { id: 'p-1', visits: 100 });
    await fx.commit('p-2', null);
    expect(JSON.parse((await both(`/stores/${APP}/${STORE}/keys/p-1`)).http.body).value.visits).toBe(100);
    expect((await both(`/stores/${APP}/${STORE}/keys/p-2`)).http.status).toBe(404);
  });

  it('relay what they do not answer: other routes, bad input, encoded keys, refused tokens', async () => {
    for (const [path, headers] of [
      ['/stores', auth],
      [`/stores/${APP}/${STORE}/keys/p-3`, {}],
      [`/stores/${APP}/${STORE}/keys/p-3`, { authorization: 'Bearer wrong' }],
      [`/stores/${APP}/${STORE}/keys/p-3?x=1`, auth],
      [`/stores/${APP}/${STORE}/keys/p%2D3`, auth],
      [`/stores/${APP}/nostore/keys/p-3`, auth],
      ['/stores/bad%20app/x/keys/y', auth],
      ['/nothing-here', auth],
    ] as const) {
      const { http, main } = await both(path, headers);
      expect({ path, ...http }).toEqual({ path, ...main });
    }
    const encoded = await both(`/stores/${APP}/${STORE}/keys/p%2D3`);
    expect(encoded.http.status).toBe(200);
  });

  it('leave a task that stops running to the main thread (restore, rebalance): 503, never its old state', async () => {
    const key = 'p-4';
    fx.running = fx.running.filter((t) => t !== fx.taskOf(key));
    fx.state = 'REBALANCING';
    await settle();
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/${key}`);
    expect(http.status).toBe(503);
    expect(http).toEqual(main);
    // The other tasks still run: they are still answered (by the worker).
    const other = ['p-0', 'p-5', 'p-6', 'p-8'].find((k) => fx.taskOf(k) !== fx.taskOf(key))!;
    fx.mainThreadReads = 0;
    expect((await both(`/stores/${APP}/${STORE}/keys/${other}`)).http.status).toBe(200);
    expect(fx.mainThreadReads).toBe(0);
    // Back to RUNNING after a restore: answered again, with the restored state.
    await fx.commit(key, { id: key, visits: -1 });
    fx.running = fx.allTasks();
    fx.state = 'RUNNING';
    await settle();
    const back = await both(`/stores/${APP}/${STORE}/keys/${key}`);
    expect(back.http).toEqual(back.main);
    expect(JSON.parse(back.http.body).value.visits).toBe(-1);
  });

  it('answer 503 like the main thread while the application is not up', async () => {
    fx.state = 'PENDING_SHUTDOWN';
    await settle();
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/p-0`);
    expect(http.status).toBe(503);
    expect(http).toEqual(main);
    fx.state = 'RUNNING';
    await settle();
  });
});
