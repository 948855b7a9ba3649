import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContenderName, Guarantee, ScenarioName } from './args.ts';
import { ContenderProcess } from './child.ts';
import { JVM_OPTIONS } from './java.ts';
import { NODE_FLAGS } from './node-flags.ts';
import type { ContenderTopics } from '../scenarios/scenario.ts';
import type { WorkerConfig } from '../workers/worker-config.ts';

/** The repository root (children run there). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where each Kafka Streams run's log (INFO) goes: `.millrace/bench/<appId>.log` (git-ignored). */
export const JAVA_LOG_DIR = join(REPO_ROOT, '.millrace', 'bench');

export interface SpawnOptions {
  readonly contender: ContenderName;
  readonly scenario: ScenarioName | 'restore';
  readonly topics: ContenderTopics;
  readonly bootstrapServers: string;
  readonly guarantee: Guarantee;
  readonly commitIntervalMs: number;
  readonly stateDir: string;
  /** java -cp of the Kafka Streams reference (kafka-streams only). */
  readonly classpath?: string;
  /** Extra `key=value` arguments of the Java reference. */
  readonly javaArgs?: readonly string[];
  readonly httpPort?: number;
  readonly queryThreads?: number;
  readonly store?: string;
  /** Directory for a V8 CPU profile of the Millrace child. */
  readonly cpuProfDir?: string;
  /** Kafka Streams' num.stream.threads, Millrace's number of instances (default 1). */
  readonly parallelism?: number;
}

/**
 * Starts one contender in its own process: Millrace and the ceiling with this Node (`process.execPath`,
 * Node 24), Kafka Streams with `java -cp`.
 */
export function spawnContender(o: SpawnOptions): ContenderProcess {
  if (o.contender === 'kafka-streams') {
    if (!o.classpath) throw new Error('the Kafka Streams reference was not built');
    const args = [
      `scenario=${o.scenario}`,
      `bootstrap=${o.bootstrapServers}`,
      `appId=${o.topics.appId}`,
      `guarantee=${o.guarantee}`,
      `commitIntervalMs=${o.commitIntervalMs}`,
      `stateDir=${o.stateDir}`,
      `input=${o.topics.input}`,
      `output=${o.topics.output}`,
      `threads=${o.parallelism ?? 1}`,
      ...(o.store ? [`store=${o.store}`] : []),
      ...(o.javaArgs ?? []),
    ];
    mkdirSync(JAVA_LOG_DIR, { recursive: true });
    return new ContenderProcess(
      o.contender,
      'java',
      [...JVM_OPTIONS, '-cp', o.classpath, 'dev.millrace.bench.Main', ...args],
      REPO_ROOT,
      join(JAVA_LOG_DIR, `${o.topics.appId}.log`),
    );
  }
  const config: WorkerConfig = {
    scenario: o.scenario,
    topics: o.topics,
    bootstrapServers: o.bootstrapServers,
    guarantee: o.guarantee,
    commitIntervalMs: o.commitIntervalMs,
    stateDir: o.stateDir,
    ...(o.httpPort !== undefined ? { httpPort: o.httpPort } : {}),
    ...(o.queryThreads !== undefined ? { queryThreads: o.queryThreads } : {}),
    ...(o.store !== undefined ? { store: o.store } : {}),
    ...(o.contender === 'millrace' && (o.parallelism ?? 1) > 1 ? { instances: o.parallelism } : {}),
  };
  const script =
    o.contender === 'millrace' ? 'bench/workers/millrace-worker.ts' : 'bench/workers/ceiling-worker.ts';
  const prof =
    o.contender === 'millrace' && o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  return new ContenderProcess(
    o.contender,
    process.execPath,
    [...NODE_FLAGS, ...prof, script, JSON.stringify(config)],
    REPO_ROOT,
  );
}

/** Short names used in topic and group names. */
export const SHORT: Readonly<Record<ContenderName, string>> = {
  millrace: 'mr',
  'kafka-streams': 'ks',
  ceiling: 'ceil',
};
