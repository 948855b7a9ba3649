import type { BytesEntry, BytesScanOptions } from '../backend.ts';
import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';
import { sequence } from '../../src/processor/internal/sequence.ts';
import { toLatin1 } from './bytes.ts';
import { assertKey } from './validate-write.ts';
import type { CacheEntry, CacheRecordContext, NamedCache } from './named-cache.ts';
import type { ThreadCache } from './thread-cache.ts';

/**
 * Called for each entry a flush or an eviction writes below: the key, its new value (null: deleted), the
 * value the store below had before (null: none), and the context of the write that cached it.
 */
export type BytesFlushListener = (
  key: Uint8Array,
  newValue: Uint8Array | null,
  oldValue: Uint8Array | null,
  context: CacheRecordContext | undefined,
) => void | Promise<void>;

/**
 * The caching layer (Kafka Streams' `CachingKeyValueStore`), between the serdes and change-logging: writes
 * land in the thread's record cache; the store below (change-logging → write buffer → backend) and the
 * flush listener (the DSL processor that forwards downstream) see a key once per flush or eviction, with
 * its latest value — so a key updated n times between two commits costs one store write, one changelog
 * record and one downstream update. Reads and scans see cached values first.
 *
 * Under exactly-once the flush runs inside the transaction (prepareCommit), and writes into the write
 * buffer, which reaches the backend only after the transaction commits.
 */
export class CachingBytesStore implements KeyValueBytesStore {
  readonly name: string;
  readonly persistent: boolean;
  readonly #inner: KeyValueBytesStore;
  readonly #thread: ThreadCache;
  readonly #cache: NamedCache;
  readonly #context: () => CacheRecordContext | undefined;
  #listener: BytesFlushListener | undefined;
  readonly #maxKeySize: number;

  constructor(
    inner: KeyValueBytesStore,
    thread: ThreadCache,
    namespace: string,
    context: () => CacheRecordContext | undefined,
    maxKeySize: number,
  ) {
    this.name = inner.name;
    this.#maxKeySize = maxKeySize;
    this.persistent = inner.persistent;
    this.#inner = inner;
    this.#thread = thread;
    this.#cache = thread.namedCache(namespace);
    this.#context = context;
    this.#cache.setFlushHandler((entries) => this.#write(entries));
  }

  /** Where flushed entries are forwarded (the store's DSL processor); without one they are only written. */
  setFlushListener(listener: BytesFlushListener): void {
    this.#listener = listener;
  }

  /** Writes every dirty entry below and forwards it: a commit's first step (Kafka Streams' flushCache). */
  flushCache(): void | Promise<void> {
    return this.#cache.flush();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const entry = this.#cache.get(toLatin1(key));
    // Misses are not cached: reads also come from interactive queries, whose puts could evict (and so
    // forward) outside processing. Kafka Streams caches reads of its stream thread only.
    if (entry === undefined) return this.#inner.get(key);
    return entry.value ?? undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#put(key, value);
  }

  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    const old = this.get(key);
    if (old === undefined) this.#put(key, value);
    return old;
  }

  putAll(entries: Iterable<BytesEntry>): void {
    for (const { key, value } of entries) this.#put(key, value);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const old = this.get(key);
    this.#put(key, null);
    return old;
  }

  /** A merge of the cache's entries in range (deleted ones hide the store's) with the store's scan. */
  async *scan(options: BytesScanOptions = {}): AsyncGenerator<BytesEntry> {
    const reverse = options.reverse === true;
    const cached = this.#cachedInRange(options);
    if (reverse) cached.reverse();
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return;
    const { limit: _ignored, ...unlimited } = options;
    const below = this.#inner.scan(unlimited)[Symbol.asyncIterator]();
    let next = await below.next();
    let i = 0;
    let emitted = 0;
    try {
      while (emitted < limit) {
        const c = cached[i];
        if (next.done === true && c === undefined) return;
        let order = 0;
        let belowId: string | undefined;
        if (next.done !== true) {
          belowId = toLatin1(next.value.key);
          order = c === undefined ? -1 : compareIds(belowId, c.id) * (reverse ? -1 : 1);
        }
        if (next.done !== true && order < 0) {
          // Only in the store below.
          yield next.value;
          emitted++;
          next = await below.next();
          continue;
        }
        // The cache's entry wins over the store's entry of the same key.
        if (order === 0 && next.done !== true) next = await below.next();
        i++;
        if (c !== undefined && c.value !== null) {
          yield { key: c.key, value: c.value };
          emitted++;
        }
      }
    } finally {
      await below.return?.();
    }
  }

  approximateNumEntries(): number {
    return this.#inner.approximateNumEntries();
  }

  #put(key: Uint8Array, value: Uint8Array | null): void {
    // Checked now, as the write buffer does: a key refused only at flush time would fail the commit (and
    // the application) instead of dead-lettering the record that wrote it.
    assertKey(this.name, key, this.#maxKeySize);
    this.#cache.put(toLatin1(key), key, value, true, this.#context());
    const evicted = this.#thread.maybeEvict(this.#cache);
    // An asynchronous forward is awaited by the task (its context tracks it), which also sees its error.
    if (evicted !== undefined) evicted.catch(() => {});
  }

  #cachedInRange(options: BytesScanOptions): { id: string; key: Uint8Array; value: Uint8Array | null }[] {
    const gt = options.gt === undefined ? undefined : toLatin1(options.gt);
    const gte = options.gte === undefined ? undefined : toLatin1(options.gte);
    const lt = options.lt === undefined ? undefined : toLatin1(options.lt);
    const lte = options.lte === undefined ? undefined : toLatin1(options.lte);
    const out: { id: string; key: Uint8Array; value: Uint8Array | null }[] = [];
    for (const id of this.#cache.sortedIds()) {
      if (gt !== undefined && id <= gt) continue;
      if (gte !== undefined && id < gte) continue;
      if (lt !== undefined && id >= lt) break;
      if (lte !== undefined && id > lte) break;
      const entry = this.#cache.peek(id) as CacheEntry;
      // A snapshot: the scan may be read while processing goes on.
      out.push({ id, key: entry.key, value: entry.value });
    }
    return out;
  }

  #write(entries: readonly CacheEntry[]): void | Promise<void> {
    const listener = this.#listener;
    const forwards: Forward[] = [];
    for (const entry of entries) {
      const old = listener === undefined ? undefined : this.#inner.get(entry.key);
      if (entry.value === null) this.#inner.delete(entry.key);
      else this.#inner.put(entry.key, entry.value);
      // A deletion of a key the store never had changes nothing downstream.
      if (listener !== undefined && !(entry.value === null && old === undefined))
        forwards.push({ key: entry.key, value: entry.value, old: old ?? null, context: entry.context });
    }
    if (listener === undefined || forwards.length === 0) return undefined;
    return sequence(forwards, (f) => listener(f.key, f.value, f.old, f.context));
  }
}

/** What a flush forwards, captured when it writes (the entry may change while a forward is awaited). */
interface Forward {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly old: Uint8Array | null;
  readonly context: CacheRecordContext | undefined;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
