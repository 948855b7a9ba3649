import type { Serde } from '../serde.ts';
import type { KeyValue, KeyValueStore, ScanOptions } from '../types.ts';
import type { CacheFlushRecord, CachedStore } from './cached-store.ts';
import type { CachingBytesStore } from './caching-bytes-store.ts';
import { typedCacheFlush } from './typed-cache-flush.ts';

/**
 * A typed key-value store whose stack holds a record cache ({@link CachingBytesStore}): every operation goes
 * to the typed stack; flushed entries reach the listener deserialized.
 */
export class CachingKeyValueStore<K, V> implements KeyValueStore<K, V>, CachedStore<K, V> {
  readonly name: string;
  readonly persistent: boolean;
  readonly #typed: KeyValueStore<K, V>;
  readonly #flush: CachedStore<K, V>;

  constructor(
    typed: KeyValueStore<K, V>,
    cache: CachingBytesStore,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ) {
    this.name = typed.name;
    this.persistent = typed.persistent;
    this.#typed = typed;
    this.#flush = typedCacheFlush(cache, (key) => keySerde.deserialize(key), valueSerde);
  }

  setFlushListener(listener: (record: CacheFlushRecord<K, V>) => void | Promise<void>): void {
    this.#flush.setFlushListener(listener);
  }

  flushCache(): void | Promise<void> {
    return this.#flush.flushCache();
  }

  get(key: K): V | undefined {
    return this.#typed.get(key);
  }

  put(key: K, value: V): void {
    this.#typed.put(key, value);
  }

  putIfAbsent(key: K, value: V): V | undefined {
    return this.#typed.putIfAbsent(key, value);
  }

  putAll(entries: Iterable<KeyValue<K, V>>): void {
    this.#typed.putAll(entries);
  }

  delete(key: K): V | undefined {
    return this.#typed.delete(key);
  }

  range(from: K | undefined, to: K | undefined, options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#typed.range(from, to, options);
  }

  prefixScan(prefix: K, options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#typed.prefixScan(prefix, options);
  }

  all(options?: ScanOptions): AsyncIterable<KeyValue<K, V>> {
    return this.#typed.all(options);
  }

  approximateNumEntries(): number {
    return this.#typed.approximateNumEntries();
  }
}
