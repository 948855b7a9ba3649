import type { StoreBackend } from '../backend.ts';
import { LMDB_MAX_KEY_SIZE } from '../internal/limits.ts';
import { MemoryBackend } from './internal/memory-backend.ts';

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** The longest key accepted; defaults to LMDB's 1978 bytes so tests catch keys production would reject. */
  maxKeySize?: number;
}

/**
 * A non-persistent backend for tests, the TopologyTestDriver and in-memory stores: sorted maps, lost on close.
 *
 * @example
 * ```ts
 * const backend = createMemoryBackend();
 * const buffer = createWriteBuffer(backend);
 * ```
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): StoreBackend {
  return new MemoryBackend(options.maxKeySize ?? LMDB_MAX_KEY_SIZE);
}
