import type { Serde } from '../serde.ts';
import type { WindowEntry, WindowStore } from '../window-store.ts';
import type { CacheFlushRecord, CachedStore } from './cached-store.ts';
import type { CachingBytesStore } from './caching-bytes-store.ts';
import { typedCacheFlush } from './typed-cache-flush.ts';
import { decodeWindowKey } from './window-key-codec.ts';

/** The key of a flushed window: the record key and the window's start. */
export interface CachedWindowKey<K> {
  readonly key: K;
  readonly windowStart: number;
}

/**
 * A typed window store whose stack holds a record cache under its segmented layout (Kafka Streams'
 * `CachingWindowStore`): reads and fetches see cached windows; flushed windows reach the listener decoded,
 * except deleted ones (see setFlushListener).
 */
export class CachingWindowStore<K, V> implements WindowStore<K, V>, CachedStore<CachedWindowKey<K>, V> {
  readonly kind = 'window';
  readonly name: string;
  readonly persistent: boolean;
  readonly retentionMs: number;
  readonly #typed: WindowStore<K, V>;
  readonly #flush: CachedStore<CachedWindowKey<K>, V>;

  constructor(typed: WindowStore<K, V>, cache: CachingBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    this.name = typed.name;
    this.persistent = typed.persistent;
    this.retentionMs = typed.retentionMs;
    this.#typed = typed;
    this.#flush = typedCacheFlush(
      cache,
      (key, newValue) => {
        // Deletions here are retention dropping expired segments (the segmented layer deletes through the
        // cache); Kafka Streams drops segments below its cache and forwards nothing for them.
        if (newValue === null) return undefined;
        const parts = decodeWindowKey(key);
        return { key: keySerde.deserialize(parts.key), windowStart: parts.time };
      },
      valueSerde,
    );
  }

  setFlushListener(
    listener: (record: CacheFlushRecord<CachedWindowKey<K>, V>) => void | Promise<void>,
  ): void {
    this.#flush.setFlushListener(listener);
  }

  flushCache(): void | Promise<void> {
    return this.#flush.flushCache();
  }

  put(key: K, value: V | null, windowStart: number): void {
    this.#typed.put(key, value, windowStart);
  }

  fetchOne(key: K, windowStart: number): V | undefined {
    return this.#typed.fetchOne(key, windowStart);
  }

  fetch(key: K, from: number, to: number, options?: { reverse?: boolean }): AsyncIterable<WindowEntry<K, V>> {
    return this.#typed.fetch(key, from, to, options);
  }

  fetchAll(from: number, to: number): AsyncIterable<WindowEntry<K, V>> {
    return this.#typed.fetchAll(from, to);
  }

  all(): AsyncIterable<WindowEntry<K, V>> {
    return this.#typed.all();
  }

  observedStreamTimeMs(): number {
    return this.#typed.observedStreamTimeMs();
  }

  expire(): void | Promise<void> {
    return this.#typed.expire();
  }

  approximateNumEntries(): number {
    return this.#typed.approximateNumEntries();
  }
}
