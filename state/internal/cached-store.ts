import type { StateStore } from '../types.ts';
import type { CacheRecordContext } from './named-cache.ts';

/**
 * What a flush or an eviction forwards for one key: its latest value, the value the store had before
 * (null: none), and the time and headers of the write that cached it (undefined when written outside
 * processing, e.g. by a punctuator).
 */
export interface CacheFlushRecord<K, V> {
  readonly key: K;
  readonly newValue: V | null;
  readonly oldValue: V | null;
  readonly context: CacheRecordContext | undefined;
}

/**
 * A store with a record cache in its stack (`statestore.cache.max.bytes` > 0 and caching enabled for the
 * store). Its DSL processor registers a flush listener and forwards from it instead of on every update
 * (Kafka Streams' `TimestampedTupleForwarder` / `TimestampedCacheFlushListener`).
 */
export interface CachedStore<K, V> {
  setFlushListener(listener: (record: CacheFlushRecord<K, V>) => void | Promise<void>): void;
  /** Writes the dirty entries below and forwards them; the task calls it at the start of every commit. */
  flushCache(): void | Promise<void>;
}

/** The store as a cached store, or undefined when it has no cache. */
export function asCachedStore<K, V>(store: StateStore): CachedStore<K, V> | undefined {
  return typeof (store as Partial<CachedStore<K, V>>).flushCache === 'function'
    ? (store as unknown as CachedStore<K, V>)
    : undefined;
}
