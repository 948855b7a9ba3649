import { MillraceError } from '../src/errors/index.ts';
import type { ChangelogSink } from './changelog-sink.ts';
import { BufferedBytesStore } from './internal/buffered-bytes-store.ts';
import { CachingBytesStore } from './internal/caching-bytes-store.ts';
import { CachingKeyValueStore } from './internal/caching-key-value-store.ts';
import type { CacheRecordContext } from './internal/named-cache.ts';
import type { ThreadCache } from './internal/thread-cache.ts';
import { ChangeLoggingBytesStore } from './internal/change-logging-bytes-store.ts';
import { MeteredKeyValueStore } from './internal/metered-key-value-store.ts';
import { SerdeKeyValueStore } from './internal/serde-key-value-store.ts';
import { assertStoreName } from './internal/store-name.ts';
import type { KeyValueBytesStore } from './key-value-bytes-store.ts';
import type { Serde } from './serde.ts';
import type { StoreMetrics } from './store-metrics.ts';
import type { KeyValueStore } from './types.ts';
import type { WriteBuffer } from './write-buffer.ts';

/** What a task supplies when it builds its stores: its write buffer, changelog sink and metrics. */
export interface StoreBuildContext {
  /** The task's write buffer (and through it, the task's backend). */
  writeBuffer: WriteBuffer;
  /** Required when logging is enabled. */
  changelog?: ChangelogSink;
  /** Adds the metered layer when given. */
  metrics?: StoreMetrics;
  /** The thread's record cache: a store built with caching enabled caches only when it is given. */
  cache?: StoreCacheContext;
}

/** Where a task's cached stores keep their entries (`statestore.cache.max.bytes`). */
export interface StoreCacheContext {
  readonly thread: ThreadCache;
  /** Names this task's caches in the thread's (`<taskId>-<store>`). */
  readonly taskId: string;
  /** The time and headers of the record being processed, kept with each cached write. */
  readonly recordContext: () => CacheRecordContext | undefined;
}

/** The caching layer over `bytes` when the store caches and the task has a cache; else `bytes` as is. */
export function cachingLayer(
  bytes: KeyValueBytesStore,
  cachingEnabled: boolean,
  context: StoreBuildContext,
): CachingBytesStore | undefined {
  const cache = context.cache;
  if (!cachingEnabled || cache === undefined || cache.thread.maxBytes <= 0) return undefined;
  return new CachingBytesStore(
    bytes,
    cache.thread,
    `${cache.taskId}-${bytes.name}`,
    cache.recordContext,
    context.writeBuffer.backend.maxKeySize,
  );
}

/**
 * Declares a key-value store; a task builds its own instance of it with {@link KeyValueStoreBuilder.build}.
 * Builders are immutable: each `with…` returns a new one.
 */
export interface KeyValueStoreBuilder<K, V> {
  readonly name: string;
  readonly loggingEnabled: boolean;
  /** Topic configs for the changelog topic (e.g. `{ 'min.compaction.lag.ms': '0' }`), for the runtime. */
  readonly logConfig: Readonly<Record<string, string>>;
  withLoggingEnabled(config?: Record<string, string>): KeyValueStoreBuilder<K, V>;
  /** No changelog: the store is lost with its task directory (Kafka Streams' withLoggingDisabled). */
  withLoggingDisabled(): KeyValueStoreBuilder<K, V>;
  readonly cachingEnabled: boolean;
  /**
   * Caches writes in the task's record cache (`statestore.cache.max.bytes`, Kafka Streams'
   * `withCachingEnabled`): the changelog and store below see a key once per commit or eviction.
   */
  withCachingEnabled(): KeyValueStoreBuilder<K, V>;
  withCachingDisabled(): KeyValueStoreBuilder<K, V>;
  /**
   * The stack: metered (with `context.metrics`) → serdes → cache (when enabled and `context.cache` is
   * given) → change-logging (when enabled) → write buffer → backend.
   */
  build(context: StoreBuildContext): KeyValueStore<K, V>;
}

interface BuilderState<K, V> {
  name: string;
  keySerde: Serde<K>;
  valueSerde: Serde<V>;
  loggingEnabled: boolean;
  logConfig: Readonly<Record<string, string>>;
  cachingEnabled: boolean;
}

function builder<K, V>(state: BuilderState<K, V>): KeyValueStoreBuilder<K, V> {
  return {
    name: state.name,
    loggingEnabled: state.loggingEnabled,
    logConfig: state.logConfig,
    withLoggingEnabled: (config = {}) =>
      builder({ ...state, loggingEnabled: true, logConfig: Object.freeze({ ...config }) }),
    withLoggingDisabled: () => builder({ ...state, loggingEnabled: false, logConfig: Object.freeze({}) }),
    cachingEnabled: state.cachingEnabled,
    withCachingEnabled: () => builder({ ...state, cachingEnabled: true }),
    withCachingDisabled: () => builder({ ...state, cachingEnabled: false }),
    build(context) {
      let bytes: KeyValueBytesStore = new BufferedBytesStore(state.name, context.writeBuffer);
      if (state.loggingEnabled) {
        if (context.changelog === undefined) {
          throw new MillraceError(
            'MR_STATE_STORE_INVALID',
            `store "${state.name}" has logging enabled but the task gave no changelog sink: pass one, or build it withLoggingDisabled()`,
          );
        }
        bytes = new ChangeLoggingBytesStore(bytes, context.changelog);
      }
      const cache = cachingLayer(bytes, state.cachingEnabled, context);
      const serde = new SerdeKeyValueStore(cache ?? bytes, state.keySerde, state.valueSerde);
      const typed = context.metrics === undefined ? serde : new MeteredKeyValueStore(serde, context.metrics);
      return cache === undefined
        ? typed
        : new CachingKeyValueStore(typed, cache, state.keySerde, state.valueSerde);
    },
  };
}

/**
 * Store factories, after Kafka Streams' `Stores`.
 *
 * @example
 * ```ts
 * const counts = Stores.keyValueStoreBuilder('counts', stringSerde(), uint64Serde());
 * // per task:
 * const store = counts.build({ writeBuffer, changelog, metrics });
 * store.put('patient-1', 1n);
 * ```
 */
export const Stores = {
  /** A key-value store with logging enabled and caching disabled (the defaults, as in Kafka Streams). */
  keyValueStoreBuilder<K, V>(
    name: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<K, V> {
    assertStoreName(name);
    return builder({
      name,
      keySerde,
      valueSerde,
      loggingEnabled: true,
      logConfig: Object.freeze({}),
      cachingEnabled: false,
    });
  },
} as const;
