import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLmdbBackend } from '../../../state/lmdb/index.ts';
import type { StoreBackend } from '../../../state/backend.ts';
import type { ReadOnlyKeyValueStore } from '../../../state/types.ts';
import { loadStreamsConfig } from '../../../src/config/index.ts';
import { partitionFor } from '../../../src/kafka/index.ts';
import type { AppState } from '../../../src/runtime/app-lifecycle.ts';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { StreamsMetrics } from '../../../src/runtime/streams-metrics.ts';
import { jsonSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import type { CompiledTopology } from '../../../src/topology/topology.ts';

const APP = 'wq';
const STORE = 'profiles';
const PARTITIONS = 3;
const TOKEN = 'worker-token';
const str = stringSerde();
const json = jsonSerde<unknown>();
const dir = mkdtempSync(join(tmpdir(), 'millrace-query-threads-'));
const backends = new Map<string, StoreBackend>();
const taskOf = (key: string) => `0_${partitionFor(str.serialize(key), PARTITIONS)}`;
let state: AppState = 'RUNNING';
let running = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);
/** Reads of the main thread's store view: the worker's answers must not add any. */
let mainThreadReads = 0;

/** Commits like a task: the LMDB state the workers read. */
async function commit(key: string, value: unknown): Promise<void> {
  const backend = backends.get(taskOf(key))!;
  await backend.commit(
    [{ store: STORE, key: str.serialize(key), value: value === null ? null : json.serialize(value) }],
    new Map(),
  );
}

/** A StreamsApp whose tasks' state lives in real LMDB environments under `dir` (no broker). */
function lmdbApp(): StreamsApp {
  const listeners = new Set<(to: AppState, from: AppState) => void>();
  const spec = {
    name: STORE,
    type: 'key-value',
    keySerde: str,
    valueSerde: json,
    logged: true,
    persistent: true,
  };
  const compiled = {
    applicationId: APP,
    subtopologies: [{ id: 0, sourceTopics: ['in'], nodes: [], stores: [spec], partitions: PARTITIONS }],
    subtopologyOf: () => undefined,
  } as unknown as CompiledTopology;
  const view: ReadOnlyKeyValueStore<string, unknown> = {
    name: STORE,
    persistent: true,
    get(key) {
      mainThreadReads++;
      const bytes = backends.get(taskOf(key))!.openStore(STORE).get(str.serialize(key));
      return bytes === undefined ? undefined : json.deserialize(bytes);
    },
    range: () => (async function* () {})(),
    prefixScan: () => (async function* () {})(),
    all: () => (async function* () {})(),
    approximateNumEntries: () => 0,
  };
  const app = {
    config: loadStreamsConfig(
      { 'application.id': APP, 'bootstrap.servers': '127.0.0.1:1', 'state.dir': dir, 'query.threads': 1 },
      {},
    ),
    get state() {
      return state;
    },
    metrics: new StreamsMetrics(),
    compiled,
    onStateChange(l: (to: AppState, from: AppState) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    store: () => view,
    instances: async () => [{ memberId: 'm1', server: 'local', partitions: [], tasks: running }],
    taskForKey: (_s: string, key: unknown) => taskOf(key as string),
    runningTaskIds: () => running,
  };
  return app as unknown as StreamsApp;
}

let server: MillraceServer;
let base: string;

beforeAll(async () => {
  for (let p = 0; p < PARTITIONS; p++)
    backends.set(`0_${p}`, createLmdbBackend({ path: join(dir, APP, `0_${p}`) }));
  for (let i = 0; i < 30; i++) await commit(`p-${i}`, { id: `p-${i}`, visits: i, tags: ['a', i] });
  server = await createMillraceServer({
    apps: new Map([[APP, lmdbApp()]]),
    auth: { token: TOKEN },
    logLevel: 'silent',
  });
  base = `http://${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server.close();
  for (const b of backends.values()) await b.close();
  rmSync(dir, { recursive: true, force: true });
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
  const before = mainThreadReads;
  const inj = await server.fastify.inject({ method: 'GET', url: path, headers });
  mainThreadReads = before;
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
    mainThreadReads = 0;
    for (const key of ['p-0', 'p-7', 'p-29']) {
      const { http, main } = await both(`/stores/${APP}/${STORE}/keys/${key}`);
      expect(http.status).toBe(200);
      expect(http).toEqual(main);
      expect(JSON.parse(http.body).value.visits).toBe(Number(key.slice(2)));
    }
    expect(mainThreadReads).toBe(0);
  });

  it('answer 404 with the servedBy of the main thread for a key that is not there', async () => {
    mainThreadReads = 0;
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/nobody`);
    expect(http.status).toBe(404);
    expect(http).toEqual(main);
    expect(mainThreadReads).toBe(0);
  });

  it('see each commit, and a delete', async () => {
    await commit('p-1', { id: 'p-1', visits: 100 });
    await commit('p-2', null);
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
    running = running.filter((t) => t !== taskOf(key));
    state = 'REBALANCING';
    await settle();
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/${key}`);
    expect(http.status).toBe(503);
    expect(http).toEqual(main);
    // The other tasks still run: they are still answered (by the worker).
    const other = ['p-0', 'p-5', 'p-6', 'p-8'].find((k) => taskOf(k) !== taskOf(key))!;
    mainThreadReads = 0;
    expect((await both(`/stores/${APP}/${STORE}/keys/${other}`)).http.status).toBe(200);
    expect(mainThreadReads).toBe(0);
    // Back to RUNNING after a restore: answered again, with the restored state.
    await commit(key, { id: key, visits: -1 });
    running = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);
    state = 'RUNNING';
    await settle();
    const back = await both(`/stores/${APP}/${STORE}/keys/${key}`);
    expect(back.http).toEqual(back.main);
    expect(JSON.parse(back.http.body).value.visits).toBe(-1);
  });

  it('answer 503 like the main thread while the application is not up', async () => {
    state = 'PENDING_SHUTDOWN';
    await settle();
    const { http, main } = await both(`/stores/${APP}/${STORE}/keys/p-0`);
    expect(http.status).toBe(503);
    expect(http).toEqual(main);
    state = 'RUNNING';
    await settle();
  });
});
