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
  /**
   * Instances of the application to run (default 1): the child starts `instances - 1` more processes of
   * itself, each on `<stateDir>-<i>`, and prints `CHILD <pid>` for each so the harness counts their CPU and
   * memory.
   */
  readonly instances?: number;
}

/** The line a child prints when it is processing (group joined, tasks running): `READY <epoch ms>`. */
export const READY = 'READY';
/** `CHILD <pid>`: another process of this contender (an extra instance). */
export const CHILD = 'CHILD';
/** `RESTORED <records> <start epoch ms> <end epoch ms>`: a store partition's restore finished. */
export const RESTORED = 'RESTORED';
