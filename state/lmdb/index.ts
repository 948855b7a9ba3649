import type { StoreBackend } from '../backend.ts';
import { LmdbBackend } from './internal/lmdb-backend.ts';

/** Options of {@link createLmdbBackend}. */
export interface LmdbBackendOptions {
  /** The task directory, e.g. `<state.dir>/<application.id>/<taskId>`; created when missing. */
  path: string;
  /** How many stores the task may open (LMDB `maxDbs` is this + 1 for checkpoints). Default 32. */
  maxStores?: number;
  /** Initial memory map size in bytes; lmdb-js grows it on demand. */
  mapSize?: number;
}

/**
 * The default, persistent backend: one LMDB environment per task, one named database per store plus one for
 * checkpoints; every commit is one LMDB write transaction.
 *
 * @example
 * ```ts
 * const backend = createLmdbBackend({ path: join(stateDir, applicationId, '0_3') });
 * const checkpoints = backend.readCheckpoints(); // where to resume the changelogs
 * ```
 */
export function createLmdbBackend(options: LmdbBackendOptions): StoreBackend {
  return new LmdbBackend({
    path: options.path,
    maxStores: options.maxStores ?? 32,
    mapSize: options.mapSize,
  });
}
