import type { StoreBackend } from '../backend.ts';
import { LMDB_MAX_KEY_SIZE } from '../internal/limits.ts';
import { LevelBackend } from './internal/level-backend.ts';

/** Options of {@link openLevelBackend}. */
export interface LevelBackendOptions {
  /** The task directory, e.g. `<state.dir>/<application.id>/<taskId>`; created when missing. */
  path: string;
  /** The longest key accepted; defaults to LMDB's 1978 bytes so stores stay portable between backends. */
  maxKeySize?: number;
}

/**
 * A persistent backend on LevelDB (classic-level): one database per task, stores as key spaces, every
 * commit one atomic batch. Gets use `getSync`; scans use async iterators.
 *
 * @example
 * ```ts
 * const backend = await openLevelBackend({ path: join(stateDir, applicationId, '0_3') });
 * ```
 */
export function openLevelBackend(options: LevelBackendOptions): Promise<StoreBackend> {
  return LevelBackend.open(options.path, options.maxKeySize ?? LMDB_MAX_KEY_SIZE);
}
