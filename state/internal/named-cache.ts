import { MillraceError } from '../../src/errors/index.ts';
import { toLatin1 } from './bytes.ts';

/** The record context a cached write keeps, so its forward at flush time carries the writer's time. */
export interface CacheRecordContext {
  readonly timestamp: number;
  readonly headers: readonly { key: string; value: Uint8Array | null }[];
}

/** One cached entry: a value (null = deleted) and whether the store below has it yet. */
export interface CacheEntry {
  readonly key: Uint8Array;
  value: Uint8Array | null;
  dirty: boolean;
  context: CacheRecordContext | undefined;
  size: number;
}

/** Gets the dirty entries of a flush or eviction, oldest update first; writes them below and forwards. */
export type CacheFlushHandler = (entries: readonly CacheEntry[]) => void | Promise<void>;

/**
 * Per-entry bookkeeping counted on top of key and value bytes, as Kafka Streams' `LRUCacheEntry`/`LRUNode`
 * count their timestamp, offset, partition and links: so a cache of tiny entries still has a bound.
 */
export const ENTRY_OVERHEAD_BYTES = 64;

export function entrySize(
  key: Uint8Array,
  value: Uint8Array | null,
  context: CacheRecordContext | undefined,
): number {
  let size = ENTRY_OVERHEAD_BYTES + key.byteLength + (value?.byteLength ?? 0);
  if (context !== undefined)
    for (const h of context.headers) size += h.key.length + (h.value?.byteLength ?? 0);
  return size;
}

/**
 * The cache of one store of one task (Kafka Streams' `NamedCache`): an LRU of entries by key bytes, and the
 * dirty keys in the order of their last update (the order a flush writes and forwards them).
 *
 * Invariants: every key in `#dirty` is in `#lru` with `dirty === true`; `sizeBytes` is the sum of the
 * sizes of the entries in `#lru`.
 */
export class NamedCache {
  readonly name: string;
  /** Insertion order is recency: the first entry is the least recently used. */
  readonly #lru = new Map<string, CacheEntry>();
  /** Insertion order is the order of the last update. */
  readonly #dirty = new Map<string, CacheEntry>();
  #size = 0;
  #handler: CacheFlushHandler | undefined;
  #onSizeChange: (delta: number) => void;

  constructor(name: string, onSizeChange: (delta: number) => void) {
    this.name = name;
    this.#onSizeChange = onSizeChange;
  }

  get sizeBytes(): number {
    return this.#size;
  }

  get size(): number {
    return this.#lru.size;
  }

  get dirtyCount(): number {
    return this.#dirty.size;
  }

  setFlushHandler(handler: CacheFlushHandler): void {
    this.#handler = handler;
  }

  /** The entry of `id` (a key's latin1 form), made most recently used; undefined on a miss. */
  get(id: string): CacheEntry | undefined {
    const entry = this.#lru.get(id);
    if (entry === undefined) return undefined;
    this.#lru.delete(id);
    this.#lru.set(id, entry);
    return entry;
  }

  /** Looks without touching recency (scans, which Kafka Streams does not count as use either). */
  peek(id: string): CacheEntry | undefined {
    return this.#lru.get(id);
  }

  put(
    id: string,
    key: Uint8Array,
    value: Uint8Array | null,
    dirty: boolean,
    context: CacheRecordContext | undefined,
  ): void {
    const size = entrySize(key, value, context);
    const old = this.#lru.get(id);
    if (old !== undefined) {
      this.#lru.delete(id);
      this.#resize(size - old.size);
      old.value = value;
      old.context = context;
      old.size = size;
      // A clean read never hides a newer dirty value: callers only put clean entries on a miss.
      old.dirty = old.dirty || dirty;
      this.#lru.set(id, old);
      if (dirty) {
        this.#dirty.delete(id);
        this.#dirty.set(id, old);
      }
      return;
    }
    const entry: CacheEntry = { key, value, dirty, context, size };
    this.#lru.set(id, entry);
    if (dirty) this.#dirty.set(id, entry);
    this.#resize(size);
  }

  /** Entries in key order (latin1 strings sort as their bytes), for a scan to merge with the store's. */
  sortedIds(): string[] {
    return [...this.#lru.keys()].sort();
  }

  /**
   * Evicts the least recently used entry. When it is dirty, the whole cache is flushed with it first in
   * line, as Kafka Streams' `NamedCache.evict` does, so the store below never sees an older value of a
   * key after a newer one. Returns what the flush handler returned.
   */
  evict(): void | Promise<void> {
    const first = this.#lru.entries().next();
    if (first.done === true) return undefined;
    const [id, entry] = first.value;
    this.#lru.delete(id);
    this.#resize(-entry.size);
    if (!entry.dirty) return undefined;
    this.#dirty.delete(id);
    return this.#flush(entry);
  }

  /** Writes every dirty entry below (through the flush handler); deleted keys then leave the cache. */
  flush(): void | Promise<void> {
    return this.#flush(undefined);
  }

  /** Drops everything, dirty entries included (a task closed without committing). */
  clear(): void {
    this.#resize(-this.#size);
    this.#lru.clear();
    this.#dirty.clear();
  }

  #flush(evicted: CacheEntry | undefined): void | Promise<void> {
    if (evicted === undefined && this.#dirty.size === 0) return undefined;
    const entries: CacheEntry[] = evicted === undefined ? [] : [evicted];
    for (const entry of this.#dirty.values()) {
      entry.dirty = false;
      entries.push(entry);
    }
    // Cleared before the handler runs: forwarding may write to this cache again (re-entrant).
    this.#dirty.clear();
    for (const entry of entries) {
      if (entry.value !== null || entry === evicted) continue;
      const id = toLatin1(entry.key);
      if (this.#lru.get(id) === entry) {
        this.#lru.delete(id);
        this.#resize(-entry.size);
      }
    }
    if (this.#handler === undefined) {
      throw new MillraceError(
        'MR_STATE_STORE_INVALID',
        `record cache "${this.name}" has dirty entries but no store below it: build cached stores through the store builders`,
      );
    }
    return this.#handler(entries);
  }

  #resize(delta: number): void {
    this.#size += delta;
    this.#onSizeChange(delta);
  }
}
