import type { BytesEntry, BytesScanOptions } from './backend.ts';

/**
 * A key-value store on bytes: the interface of the inner layers of a store stack (change-logging → write
 * buffer → backend), below the layer that applies the serdes. Same semantics as the typed
 * {@link KeyValueStore}, on serialized keys and values.
 *
 * @example
 * ```ts
 * bytes.put(utf8('a'), u64(1n));
 * for await (const { key } of bytes.scan({ gte: utf8('a'), lt: utf8('b') })) console.log(key);
 * ```
 */
export interface KeyValueBytesStore {
  readonly name: string;
  readonly persistent: boolean;
  get(key: Uint8Array): Uint8Array | undefined;
  /** Like `get`, but the bytes may be overwritten by the next read: see `BytesStore.getTransient`. */
  getTransient?(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): void;
  /** Puts only when the key has no value; returns the existing value, if any. */
  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined;
  putAll(entries: Iterable<BytesEntry>): void;
  /** Deletes the key; returns the value it had. */
  delete(key: Uint8Array): Uint8Array | undefined;
  scan(options?: BytesScanOptions): AsyncIterable<BytesEntry>;
  approximateNumEntries(): number;
}
