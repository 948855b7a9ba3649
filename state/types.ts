/**
 * The state-store API that processors, the runtime and interactive queries see. Backends (lmdb, level,
 * memory) implement the byte-level interfaces in state/backend.ts; the typed stores here are assembled by a
 * store builder as stacked layers: metered → write buffer → change-logging → backend.
 *
 * Reads and writes are synchronous (as in Kafka Streams): writes land in the task's write buffer
 * (read-your-writes) and reach the backend only when the task commits. Scans are async iterables, because
 * not every backend can iterate synchronously (level cannot); they see the buffered writes too.
 */

/** A key and its value. */
export interface KeyValue<K, V> {
  key: K;
  value: V;
}

/** Options of a scan. Bounds compare serialized key bytes (lexicographic, unsigned). */
export interface ScanOptions {
  /** Iterate from the highest key down. */
  reverse?: boolean;
  /** Stop after this many entries. */
  limit?: number;
}

/** What every state store has. */
export interface StateStore {
  /** The store's name, unique in a topology; it also names the changelog `<application.id>-<name>-changelog`. */
  readonly name: string;
  /** Whether the store is backed by disk (and so has a changelog and checkpoints). */
  readonly persistent: boolean;
}

/**
 * A key-value store. Key order is the order of the serialized key bytes, so `range` with a key serde that
 * preserves order (strings, big-endian numbers) returns keys in their natural order.
 *
 * @example
 * ```ts
 * const store = context.getStateStore<KeyValueStore<string, number>>('counts');
 * store.put('patient-1', (store.get('patient-1') ?? 0) + 1);
 * for await (const { key, value } of store.range('a', 'm')) console.log(key, value);
 * ```
 */
export interface KeyValueStore<K, V> extends StateStore {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  /** Puts the value only when the key has none; returns the existing value, if any. */
  putIfAbsent(key: K, value: V): V | undefined;
  putAll(entries: Iterable<KeyValue<K, V>>): void;
  /** Deletes the key; returns the value it had. */
  delete(key: K): V | undefined;
  /** Entries with `from <= key <= to` (both bounds inclusive, as in Kafka Streams); an undefined bound is open. */
  range(from: K | undefined, to: K | undefined, options?: ScanOptions): AsyncIterable<KeyValue<K, V>>;
  /** Entries whose serialized key starts with the serialized prefix. */
  prefixScan(prefix: K, options?: ScanOptions): AsyncIterable<KeyValue<K, V>>;
  all(options?: ScanOptions): AsyncIterable<KeyValue<K, V>>;
  /** An estimate of the number of entries (exact for lmdb and memory, including buffered writes). */
  approximateNumEntries(): number;
}

/** A read-only view of a key-value store, as interactive queries get it. */
export type ReadOnlyKeyValueStore<K, V> = Pick<
  KeyValueStore<K, V>,
  'name' | 'persistent' | 'get' | 'range' | 'prefixScan' | 'all' | 'approximateNumEntries'
>;
