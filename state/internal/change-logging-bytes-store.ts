import { readTransient, type BytesEntry, type BytesScanOptions } from '../backend.ts';
import type { ChangelogSink } from '../changelog-sink.ts';
import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';

/**
 * The change-logging layer: every put and delete goes to the inner store, then to the changelog sink.
 *
 * It sits ABOVE the write buffer (Kafka Streams puts it below its cache): under exactly-once the changelog
 * records must be sent inside the Kafka transaction, which commits before the write buffer reaches the
 * backend, so the records cannot wait for the buffer flush. The producer batches them on the wire; log
 * compaction drops superseded values. The inner write runs first, so a rejected key is never logged.
 */
export class ChangeLoggingBytesStore implements KeyValueBytesStore {
  readonly name: string;
  readonly persistent: boolean;
  readonly #inner: KeyValueBytesStore;
  readonly #sink: ChangelogSink;

  constructor(inner: KeyValueBytesStore, sink: ChangelogSink) {
    this.name = inner.name;
    this.persistent = inner.persistent;
    this.#inner = inner;
    this.#sink = sink;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.#inner.get(key);
  }

  getTransient(key: Uint8Array): Uint8Array | undefined {
    return readTransient(this.#inner, key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#inner.put(key, value);
    this.#sink.append(this.name, key, value);
  }

  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    const old = this.#inner.putIfAbsent(key, value);
    if (old === undefined) this.#sink.append(this.name, key, value);
    return old;
  }

  putAll(entries: Iterable<BytesEntry>): void {
    for (const { key, value } of entries) this.put(key, value);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const old = this.#inner.delete(key);
    // Logged even when the key had no value, as Kafka Streams does: a replica may still hold one.
    this.#sink.append(this.name, key, null);
    return old;
  }

  scan(options?: BytesScanOptions): AsyncIterable<BytesEntry> {
    return this.#inner.scan(options);
  }

  approximateNumEntries(): number {
    return this.#inner.approximateNumEntries();
  }
}
