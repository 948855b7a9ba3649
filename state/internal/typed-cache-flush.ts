import type { Serde } from '../serde.ts';
import type { CacheFlushRecord, CachedStore } from './cached-store.ts';
import type { CachingBytesStore } from './caching-bytes-store.ts';

/**
 * The typed face of a caching layer: flushed entries reach the listener with the key decoded by
 * `decodeKey` and values by the value serde. `decodeKey` returns undefined for entries not to forward.
 */
export function typedCacheFlush<K, V>(
  cache: CachingBytesStore,
  decodeKey: (key: Uint8Array, newValue: Uint8Array | null) => K | undefined,
  valueSerde: Serde<V>,
): CachedStore<K, V> {
  const value = (bytes: Uint8Array | null): V | null =>
    bytes === null ? null : valueSerde.deserialize(bytes);
  return {
    setFlushListener(listener: (record: CacheFlushRecord<K, V>) => void | Promise<void>): void {
      cache.setFlushListener((key, newValue, oldValue, context) => {
        const k = decodeKey(key, newValue);
        if (k === undefined) return undefined;
        return listener({ key: k, newValue: value(newValue), oldValue: value(oldValue), context });
      });
    },
    flushCache: () => cache.flushCache(),
  };
}
