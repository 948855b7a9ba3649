/**
 * Child process of the benchmark: runs one Millrace application until SIGTERM, alone in its process so its
 * peak RSS is its own. Prints `READY <epoch ms>` once RUNNING, `RESTORED <records> <start epoch ms> <end epoch ms>` per restored
 * store partition. Usage (by the harness): `node bench/workers/millrace-worker.ts '<WorkerConfig JSON>'`.
 */
import {
  createStreamsApp,
  createStreamsBuilder,
  stringSerde,
  type KeyValueStore,
  type Topology,
} from '../../src/index.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createMillraceServer } from '../../src/server/index.ts';
import { SCENARIO_BY_NAME } from '../scenarios/index.ts';
import { CHILD, READY, RESTORED, type WorkerConfig } from './worker-config.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const extraInstances = startExtraInstances(config);
const topology =
  config.scenario === 'restore'
    ? restoreTopology()
    : SCENARIO_BY_NAME[config.scenario].millraceTopology(config.topics);

const t0 = performance.now();
const restoreStarted = new Map<string, number>();
const app = createStreamsApp(
  topology,
  {
    'application.id': config.topics.appId,
    'bootstrap.servers': config.bootstrapServers,
    'processing.guarantee': config.guarantee,
    'commit.interval.ms': config.commitIntervalMs,
    'state.dir': config.stateDir,
    ...(config.queryThreads !== undefined ? { 'query.threads': config.queryThreads } : {}),
  },
  {
    // MILLRACE_BENCH_LOG=info shows the app's info lines too (restores, rebalances), with their time.
    log: (level, message) => {
      if (level !== 'info' || process.env.MILLRACE_BENCH_LOG === 'info')
        console.error(`+${((performance.now() - t0) / 1000).toFixed(2)}s ${level}: ${message}`);
    },
    onRestoreProgress: (p) => {
      const key = `${p.taskId}/${p.store}`;
      if (!restoreStarted.has(key)) restoreStarted.set(key, Date.now());
      if (p.done && p.total > 0)
        console.log(`${RESTORED} ${p.restored} ${restoreStarted.get(key)!} ${Date.now()}`);
    },
  },
);

app.onStateChange((to, from) =>
  console.error(`state ${from} → ${to} at +${((performance.now() - t0) / 1000).toFixed(1)}s`),
);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  for (const child of extraInstances) child.kill('SIGTERM');
  void Promise.all([app.close(), ...extraInstances.map((c) => once(c, 'exit'))]).finally(() =>
    process.exit(0),
  );
});
process.on('exit', () => {
  for (const child of extraInstances) child.kill('SIGKILL');
});

await app.start();
if (config.httpPort !== undefined) {
  const server = await createMillraceServer({
    apps: new Map([[config.topics.appId, app]]),
    logLevel: 'silent',
  });
  await server.listen(config.httpPort, '127.0.0.1');
}
await app.waitUntilRunning(300_000);
console.log(`${READY} ${Date.now()}`);

/** restore: the store `config.store` (string → string), written by an input that stays empty. */
function restoreTopology(): Topology {
  const str = stringSerde();
  const store = config.store ?? 'restore-store';
  const b = createStreamsBuilder();
  b.addStateStore({ name: store, keySerde: str, valueSerde: str });
  b.stream<string, string>(config.topics.input, { keySerde: str, valueSerde: str }).process(
    () => {
      let kv: KeyValueStore<string, string> | undefined;
      return {
        init(ctx) {
          kv = ctx.getStateStore<KeyValueStore<string, string>>(store);
        },
        process(r) {
          kv?.put(r.key, r.value);
        },
      };
    },
    { stores: [store] },
  );
  return b.build();
}

/**
 * `config.instances - 1` more processes of this worker (same Node flags), each one instance of the same
 * application on its own state dir: the consumer group spreads the tasks over them, as over the instances
 * of a deployment. Their stdout is dropped (READY comes from this one); stderr is passed on.
 */
function startExtraInstances(c: WorkerConfig): ChildProcess[] {
  const out: ChildProcess[] = [];
  for (let i = 1; i < (c.instances ?? 1); i++) {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        JSON.stringify({ ...c, instances: 1, stateDir: `${c.stateDir}-${i}` }),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    console.log(`${CHILD} ${child.pid}`);
    out.push(child);
  }
  return out;
}
