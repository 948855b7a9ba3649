import { NamedCache } from './named-cache.ts';

/**
 * The record cache of one stream thread (Kafka Streams' `ThreadCache`, `statestore.cache.max.bytes`): one
 * {@link NamedCache} per store of each task, all sharing one byte budget. When a put takes the total over
 * the budget, entries of the cache that was written are evicted (least recently used first) until it fits
 * or that cache is empty — the put into one store never evicts another store's entries, as in Kafka
 * Streams (the other store's entries go at its next flush or its own put).
 *
 * @example
 * ```ts
 * const cache = new ThreadCache(10 * 1024 * 1024);
 * const counts = cache.namedCache('0_1-counts');
 * ```
 */
export class ThreadCache {
  readonly maxBytes: number;
  readonly #caches = new Map<string, NamedCache>();
  #size = 0;
  #evictions = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held by every cache of the thread. */
  get sizeBytes(): number {
    return this.#size;
  }

  /** Entries evicted since the start (dirty or not). */
  get evictions(): number {
    return this.#evictions;
  }

  /** The cache of `name` (`<taskId>-<store>`), made on first use. */
  namedCache(name: string): NamedCache {
    let cache = this.#caches.get(name);
    if (cache === undefined) {
      cache = new NamedCache(name, (delta) => {
        this.#size += delta;
      });
      this.#caches.set(name, cache);
    }
    return cache;
  }

  /** Forgets a cache and its entries (its task closed; a clean close flushed it before). */
  close(name: string): void {
    const cache = this.#caches.get(name);
    if (cache === undefined) return;
    cache.clear();
    this.#caches.delete(name);
  }

  /**
   * Evicts from `cache` while the thread is over budget. Returns the flush handlers' promise when one was
   * asynchronous (a downstream processor awaited something); the caller's task awaits it.
   */
  maybeEvict(cache: NamedCache): void | Promise<void> {
    let pending: Promise<void> | undefined;
    while (this.#size > this.maxBytes && cache.size > 0) {
      const r = cache.evict();
      this.#evictions++;
      if (r !== undefined) pending = pending === undefined ? r : pending.then(() => r);
    }
    return pending;
  }
}
