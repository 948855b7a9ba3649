/**
 * Where the change-logging layer sends every store write. The runtime implements it with the task's
 * (transactional) Kafka producer, writing to the compacted topic `<application.id>-<store>-changelog`,
 * partition = the task's partition; the key and value bytes are the store's serialized bytes, a delete is a
 * tombstone (null value).
 *
 * @example
 * ```ts
 * const sink: ChangelogSink = {
 *   append: (store, key, value) => producer.send(changelogTopic(appId, store), partition, key, value),
 * };
 * ```
 */
export interface ChangelogSink {
  append(store: string, key: Uint8Array, value: Uint8Array | null): void;
}

/** One record appended to an {@link InMemoryChangelogSink}. */
export interface ChangelogEntry {
  store: string;
  key: Uint8Array;
  value: Uint8Array | null;
}

/** A changelog sink that keeps what it gets, for tests and the TopologyTestDriver. */
export interface InMemoryChangelogSink extends ChangelogSink {
  readonly records: ChangelogEntry[];
  /** Drops the records (an aborted transaction). */
  clear(): void;
}

/**
 * A changelog sink in memory.
 *
 * @example
 * ```ts
 * const changelog = createInMemoryChangelogSink();
 * store.put('a', 1);
 * changelog.records; // [{ store: 'counts', key: <61>, value: <...> }]
 * ```
 */
export function createInMemoryChangelogSink(): InMemoryChangelogSink {
  const records: ChangelogEntry[] = [];
  return {
    records,
    append: (store, key, value) => void records.push({ store, key, value }),
    clear: () => void records.splice(0),
  };
}

/**
 * The changelog topic of a store, as Kafka Streams names it.
 *
 * @example
 * ```ts
 * changelogTopic('clinic', 'counts'); // 'clinic-counts-changelog'
 * ```
 */
export function changelogTopic(applicationId: string, store: string): string {
  return `${applicationId}-${store}-changelog`;
}
