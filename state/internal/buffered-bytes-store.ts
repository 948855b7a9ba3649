import { readTransient, type BytesEntry, type BytesScanOptions, type BytesStore } from '../backend.ts';
import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';
import type { BufferedWrite, WriteBuffer } from '../write-buffer.ts';
import { compareBytes } from './bytes.ts';

/**
 * The write-buffer layer of one store: writes go to the task's {@link WriteBuffer}; reads look there first
 * and fall through to the backend; scans merge both.
 */
export class BufferedBytesStore implements KeyValueBytesStore {
  readonly name: string;
  readonly persistent: boolean;
  readonly #buffer: WriteBuffer;
  readonly #backend: BytesStore;

  constructor(name: string, buffer: WriteBuffer) {
    this.name = name;
    this.persistent = buffer.backend.persistent;
    this.#buffer = buffer;
    this.#backend = buffer.backend.openStore(name);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const buffered = this.#buffer.get(this.name, key);
    if (buffered !== undefined) return buffered ?? undefined;
    return this.#backend.get(key);
  }

  getTransient(key: Uint8Array): Uint8Array | undefined {
    const buffered = this.#buffer.get(this.name, key);
    if (buffered !== undefined) return buffered ?? undefined;
    return readTransient(this.#backend, key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#buffer.put(this.name, key, value);
  }

  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  putAll(entries: Iterable<BytesEntry>): void {
    for (const { key, value } of entries) this.put(key, value);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const old = this.get(key);
    this.#buffer.put(this.name, key, null);
    return old;
  }

  /**
   * Merges the buffered writes in range (a snapshot taken when iteration starts) with a backend scan: on
   * equal keys the buffer wins, buffered tombstones hide backend entries. When nothing is buffered in range
   * (the common case after a commit) the backend's own iterator is handed out, with no merge step per entry.
   */
  scan(options: BytesScanOptions = {}): AsyncIterable<BytesEntry> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<BytesEntry> => {
        const buffered = this.#buffer.writesInRange(this.name, options);
        if (buffered.length === 0 && (options.limit ?? 1) > 0) {
          return this.#backend.scan(options)[Symbol.asyncIterator]();
        }
        return this.#merge(buffered, options);
      },
    };
  }

  /**
   * The merge of {@link scan}. The backend is asked for `limit + tombstones` entries at most, because each
   * buffered tombstone can hide at most one of them.
   */
  async *#merge(buffered: BufferedWrite[], options: BytesScanOptions): AsyncGenerator<BytesEntry> {
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return;
    let tombstones = 0;
    for (const w of buffered) if (w.value === null) tombstones++;
    const backendOptions: BytesScanOptions = { ...options };
    if (options.limit !== undefined) backendOptions.limit = options.limit + tombstones;
    const direction = options.reverse === true ? -1 : 1;
    let emitted = 0;
    let i = 0;
    const emitBufferedBefore = function* (key: Uint8Array | undefined): Generator<BytesEntry> {
      // Buffered writes that come before `key` in iteration order (all of them when key is undefined).
      while (i < buffered.length && emitted < limit) {
        const w = buffered[i] as BufferedWrite;
        if (key !== undefined && compareBytes(w.key, key) * direction >= 0) return;
        i++;
        if (w.value !== null) {
          emitted++;
          yield { key: w.key, value: w.value };
        }
      }
    };
    for await (const entry of this.#backend.scan(backendOptions)) {
      yield* emitBufferedBefore(entry.key);
      if (emitted >= limit) return;
      const w = buffered[i];
      if (w !== undefined && compareBytes(w.key, entry.key) === 0) {
        i++; // the buffered write replaces (or deletes) the backend entry
        if (w.value === null) continue;
        emitted++;
        yield { key: w.key, value: w.value };
      } else {
        emitted++;
        yield entry;
      }
      if (emitted >= limit) return;
    }
    yield* emitBufferedBefore(undefined);
  }

  /**
   * The backend's count corrected by the buffered writes: +1 per buffered put of a key the backend lacks,
   * -1 per buffered delete of a key it has. Costs one backend lookup per buffered key of this store.
   */
  approximateNumEntries(): number {
    let n = this.#backend.approximateNumEntries();
    for (const w of this.#buffer.writes(this.name)) {
      const inBackend = this.#backend.get(w.key) !== undefined;
      if (w.value !== null && !inBackend) n++;
      else if (w.value === null && inBackend) n--;
    }
    return n;
  }
}
