import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMillrace } from '../../../src/cli/start-millrace.ts';
import type { RunConfig } from '../../../src/cli/run-config.ts';
import { fuzzRequests, sendRaw } from '../lib/http-requests.ts';
import { createTopics, sendRecords, waitUntil } from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

/** Keys that need percent-encoding in a URL path, next to plain ones. */
const ODD_KEYS = [
  'key with space',
  'slash/inside',
  'percent%25',
  'ünïcödé',
  'q?x=1#h',
  'dot.',
  '..',
  '+plus+',
];

/**
 * HTTP fuzz against a `millrace run` server (startMillrace, a bearer token) whose count store holds real
 * state: a seeded stream of malformed requests on loopback (raw sockets, so any request line reaches the
 * server) interleaved with valid point lookups. Oracle: no answer is a 5xx (or missing), every valid
 * lookup of a counted key answers the oracle count, a key never produced answers 404.
 */
export const httpFuzz: ChaosScenario = {
  name: 'http-fuzz',
  description: 'seeded malformed HTTP requests and valid point lookups against a running server with state',
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 0, instances: 1, keys: 300, rate: 0, partitions: 6, requests: 3000 },
  soak: { durationMs: 0, instances: 1, keys: 5000, rate: 0, partitions: 12, requests: 100_000 },
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-chaos-http-'));
    const id = `${Date.now().toString(36)}-${ctx.random.int(0, 1e9).toString(36)}`;
    const appId = `chaos-http-${id}`;
    const input = `chaos-http-in-${id}`;
    const token = `chaos-${id}`;
    writeFileSync(
      join(dir, 'topology.yaml'),
      [
        `config: { application.id: ${appId}, processing.guarantee: ${ctx.guarantee} }`,
        `sources: { events: { topic: ${input}, keySerde: string, valueSerde: string } }`,
        'pipelines:',
        '  - from: events',
        '    steps: [{ groupByKey: {} }, { count: { store: counts } }]',
      ].join('\n'),
    );
    const config: RunConfig = {
      file: join(dir, 'millrace.yaml'),
      common: {},
      topologies: [{ path: join(dir, 'topology.yaml') }],
      plugins: [],
      topics: [],
      server: { port: 0, host: '127.0.0.1', advertisedHost: '127.0.0.1', logLevel: 'silent' },
    };
    await createTopics(ctx.kafka, [input], ctx.sizes.partitions);
    const oracle = new Map<string, number>();
    const records = Array.from({ length: 10 * ctx.sizes.keys }, (_, i) => {
      const key = i % 10 === 0 ? ctx.random.pick(ODD_KEYS) : `k${ctx.random.int(0, ctx.sizes.keys - 1)}`;
      oracle.set(key, (oracle.get(key) ?? 0) + 1);
      return { key, value: `v${i}` };
    });
    const producer = ctx.kafka.producer();
    await sendRecords(producer, input, records).finally(() => producer.close());

    const run = await startMillrace(config, {
      log: () => undefined,
      env: {
        ...process.env,
        KAFKA_BOOTSTRAP_SERVERS: ctx.bootstrapServers,
        MILLRACE_STATE_DIR: join(dir, 'state'),
        MILLRACE_API_TOKEN: token,
      },
    });
    const problems: string[] = [];
    let faults = 0;
    try {
      const port = Number(run.address.split(':').at(-1));
      // On a raw socket, with dots percent-encoded too: a client like fetch (WHATWG URL) resolves a `..`
      // segment away, even as %2E%2E, so a key `..` is reachable only this way.
      const lookup = async (key: string) => {
        const target = `/stores/${appId}/counts/keys/${encodeURIComponent(key).replaceAll('.', '%2E')}`;
        const res = await sendRaw(port, {
          method: 'GET',
          target,
          headers: { authorization: `Bearer ${token}` },
        });
        const body = JSON.parse(res.body) as { value?: unknown };
        return { status: res.status, value: body.value };
      };
      const keys = [...oracle.keys()];
      const counted = await waitUntil(async () => {
        for (const k of keys) if ((await lookup(k)).value !== oracle.get(k)) return false;
        return true;
      }, 120_000);
      if (!counted) problems.push('the store did not reach the oracle within 120 s');

      const requests = fuzzRequests(
        { appId, store: 'counts', token, keys },
        ctx.sizes.requests ?? 3000,
        ctx.random.seed,
      );
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const i = next++;
          const req = requests[i]!;
          const answer = await sendRaw(port, req).catch((err: Error) => ({ status: 0, body: err.message }));
          faults++;
          if (answer.status === 0 || answer.status >= 500)
            problems.push(
              `${req.method} ${req.target.slice(0, 200)} -> ${answer.status} ${answer.body.slice(0, 300)}`,
            );
          // Every tenth request, a valid lookup: a real key answers its count, a missing one 404.
          if (i % 10 === 0) {
            const key = i % 20 === 0 ? ctx.random.pick(keys) : `never-${i}`;
            const got = await lookup(key).catch((err: Error) => ({ status: 0, value: err.message }));
            const want = oracle.get(key);
            const ok = want === undefined ? got.status === 404 : got.status === 200 && got.value === want;
            if (!ok)
              problems.push(
                `lookup ${key}: ${got.status} ${JSON.stringify(got.value)} (oracle ${want ?? 404})`,
              );
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return chaosResult(faults, records.length, problems);
    } finally {
      await run.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
