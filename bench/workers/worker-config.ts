import type { Guarantee, ScenarioName } from '../lib/args.ts';
import type { ContenderTopics } from '../scenarios/scenario.ts';

/** What the harness passes to a Millrace or ceiling child (JSON in argv[2]). */
export interface WorkerConfig {
  readonly scenario: ScenarioName | 'restore';
  readonly topics: ContenderTopics;
  readonly bootstrapServers: string;
  readonly guarantee: Guarantee;
  readonly commitIntervalMs: number;
  readonly stateDir: string;
  /** Serve interactive queries over HTTP on this port (query-load). */
  readonly httpPort?: number;
  /** query-load: the app's `query.threads`. */
  readonly queryThreads?: number;
  /** restore: the store to restore. */
  readonly store?: string;
}

/** The line a child prints when it is processing (group joined, tasks running): `READY <epoch ms>`. */
export const READY = 'READY';
/** `RESTORED <records> <start epoch ms> <end epoch ms>`: a store partition's restore finished. */
export const RESTORED = 'RESTORED';
