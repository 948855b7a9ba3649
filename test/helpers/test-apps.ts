import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { envName, type StreamsConfigInput } from '../../src/config/index.ts';
import type { KafkaClient } from '../../src/kafka/index.ts';
import { createStreamsApp, type StreamsApp, type StreamsAppOptions } from '../../src/runtime/streams-app.ts';
import type { Topology } from '../../src/topology/index.ts';
import { startChildApp, type ChildApp } from '../fixtures/runtime/child-app.ts';
import { bootstrapServers, createTopics, testKafka, uniqueName } from './kafka.ts';

/** The names of one test's run: its input and output topics and its application id, all unique. */
export interface AppRun {
  readonly input: string;
  readonly output: string;
  readonly appId: string;
}

/**
 * What an integration test of applications needs, cleaned up in the suite's afterAll: a Kafka client,
 * a state dir per instance, and every app it started (in-process apps are closed, child processes still
 * alive are SIGKILLed).
 */
export interface TestApps {
  readonly kafka: KafkaClient;
  /** One fresh state dir per instance. */
  readonly dirs: readonly string[];
  /** Unique `<prefix>-in` / `<prefix>-out` topics (created, `partitions` each) and `<prefix>-app` id. */
  newRun(prefix: string, partitions?: number): Promise<AppRun>;
  /** Creates and starts an in-process app (logging nothing unless `options.log` is given). */
  start(topology: Topology, config: StreamsConfigInput, options?: StreamsAppOptions): Promise<StreamsApp>;
  /** Starts the count application (test/fixtures/runtime/count-app.ts) of `run` in a child process. */
  spawnCountApp(run: AppRun, config: StreamsConfigInput): ChildApp;
}

/**
 * Registers the suite's clean-up; call it in a `describe` body.
 * @example const t = useTestApps('scale', 2); // t.dirs[0], t.dirs[1]
 */
export function useTestApps(prefix: string, instances = 1): TestApps {
  const kafka = testKafka();
  const dirs = Array.from({ length: instances }, () => mkdtempSync(join(tmpdir(), `millrace-${prefix}-`)));
  const apps: StreamsApp[] = [];
  const children: ChildApp[] = [];

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    // close() is idempotent: apps a test closed already are not closed twice.
    await Promise.all(apps.map((a) => a.close()));
    await kafka.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  return {
    kafka,
    dirs,
    async newRun(runPrefix, partitions = 6) {
      const run = {
        input: uniqueName(`${runPrefix}-in`),
        output: uniqueName(`${runPrefix}-out`),
        appId: uniqueName(`${runPrefix}-app`),
      };
      await createTopics(kafka, [run.input, run.output], partitions);
      return run;
    },
    async start(topology, config, options = { log: () => undefined }) {
      const app = createStreamsApp(topology, config, options);
      apps.push(app);
      await app.start();
      return app;
    },
    spawnCountApp(run, config) {
      const child = startChildApp('count-app', {
        COUNT_INPUT: run.input,
        COUNT_OUTPUT: run.output,
        ...childEnv({ 'application.id': run.appId, ...config }),
      });
      children.push(child);
      return child;
    },
  };
}

/** The config of an app of `appId` on the test broker with its own state dir, plus `extra`. */
export function appConfig(
  appId: string,
  stateDir: string,
  extra: StreamsConfigInput = {},
): StreamsConfigInput {
  return {
    'application.id': appId,
    'bootstrap.servers': bootstrapServers(),
    'state.dir': stateDir,
    ...extra,
  };
}

/** `config` as the MILLRACE_<KEY> environment a child app loads it from (lists comma-separated). */
function childEnv(config: StreamsConfigInput): Record<string, string> {
  const env: Record<string, string> = { [envName('bootstrap.servers')]: bootstrapServers().join(',') };
  for (const [key, value] of Object.entries(config))
    env[envName(key)] = Array.isArray(value) ? value.join(',') : String(value);
  return env;
}
