import type { StoreWrite } from '../backend.ts';
import type { BufferedWrite } from '../write-buffer.ts';
import { toLatin1 } from './bytes.ts';
import type { KeyRange } from './key-range.ts';

/**
 * The buffered writes of one store. Entries are keyed by the latin1 string of the key bytes, which sorts
 * like the bytes (see toLatin1). The sorted index of the ids ({@link SortedIds}) is built at the store's
 * first range query and kept up to date from then on, so a new key costs a bisection and a short splice
 * and a range query a bisection plus its result (a windowed aggregation writes a new key and scans for
 * nearly every record), while a store that is only read by key (most of them) never pays for the order.
 */
class StoreStage {
  readonly entries = new Map<string, BufferedWrite>();
  #sorted: SortedIds | undefined;

  set(id: string, write: BufferedWrite): void {
    if (this.#sorted !== undefined && !this.entries.has(id)) this.#sorted.insert(id);
    this.entries.set(id, write);
  }

  /** The ids in range, ascending. */
  idsInRange(range: KeyRange): string[] {
    const sorted = (this.#sorted ??= SortedIds.of(this.entries.keys()));
    const lo = range.lower === undefined ? undefined : toLatin1(range.lower.key);
    const hi = range.upper === undefined ? undefined : toLatin1(range.upper.key);
    return sorted.range(lo, range.lower?.inclusive ?? true, hi, range.upper?.inclusive ?? true);
  }
}

/**
 * A sorted set of distinct strings as a list of sorted chunks (at most {@link CHUNK_MAX} each): insert is
 * a bisection over the chunks' last ids, then one within a chunk and a splice of at most CHUNK_MAX
 * entries; a full chunk splits in two. Invariants: no chunk is empty, each chunk is sorted, and every id
 * of a chunk is smaller than every id of the next.
 */
export class SortedIds {
  readonly #chunks: string[][] = [];

  /** The distinct `ids`, sorted once and cut into half-full chunks (room for inserts). */
  static of(ids: Iterable<string>): SortedIds {
    const out = new SortedIds();
    const all = [...ids].sort();
    for (let i = 0; i < all.length; i += CHUNK_MAX >>> 1)
      out.#chunks.push(all.slice(i, i + (CHUNK_MAX >>> 1)));
    return out;
  }

  get size(): number {
    let n = 0;
    for (const c of this.#chunks) n += c.length;
    return n;
  }

  /** Adds `id`, which must not be present yet (the caller's map says so). */
  insert(id: string): void {
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      chunks.push([id]);
      return;
    }
    // The first chunk whose last id is >= id; past the end, the last chunk takes it.
    let c = bisectChunks(chunks, id);
    if (c === chunks.length) c--;
    const chunk = chunks[c] as string[];
    chunk.splice(bisect(chunk, id), 0, id);
    if (chunk.length > CHUNK_MAX) chunks.splice(c + 1, 0, chunk.splice(chunk.length >>> 1));
  }

  /** The ids between the bounds (undefined: open), ascending. */
  range(
    lo: string | undefined,
    loInclusive: boolean,
    hi: string | undefined,
    hiInclusive: boolean,
  ): string[] {
    const chunks = this.#chunks;
    const out: string[] = [];
    let c = lo === undefined ? 0 : bisectChunks(chunks, lo);
    if (c >= chunks.length) return out;
    let i = lo === undefined ? 0 : bisect(chunks[c] as string[], lo);
    for (; c < chunks.length; c++, i = 0) {
      const chunk = chunks[c] as string[];
      for (; i < chunk.length; i++) {
        const id = chunk[i] as string;
        if (lo !== undefined && !loInclusive && id === lo) continue;
        if (hi !== undefined && (id > hi || (!hiInclusive && id === hi))) return out;
        out.push(id);
      }
    }
    return out;
  }
}

const CHUNK_MAX = 512;

/** The index of the first chunk whose last id is >= `value` (chunks.length if none). */
function bisectChunks(chunks: readonly string[][], value: string): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as string[];
    if ((chunk[chunk.length - 1] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One generation of buffered writes of all stores of a task. */
export class BufferLayer {
  readonly #stores = new Map<string, StoreStage>();
  #count = 0;
  #bytes = 0;

  get count(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(store: string, key: Uint8Array): BufferedWrite | undefined {
    const stage = this.#stores.get(store);
    // No key string for a store with nothing buffered (every read of a layer that holds no writes yet).
    if (stage === undefined || stage.entries.size === 0) return undefined;
    return stage.entries.get(this.#id(key));
  }

  #lastKey: Uint8Array | undefined;
  #lastId = '';

  /**
   * The map id of `key`. A store write usually follows a read of the same key bytes object (the typed layer
   * reuses them): the last conversion is remembered by identity. Key bytes are never mutated once written.
   */
  #id(key: Uint8Array): string {
    if (key !== this.#lastKey) {
      this.#lastId = toLatin1(key);
      this.#lastKey = key;
    }
    return this.#lastId;
  }

  getById(store: string, id: string): BufferedWrite | undefined {
    return this.#stores.get(store)?.entries.get(id);
  }

  put(store: string, key: Uint8Array, value: Uint8Array | null): void {
    let stage = this.#stores.get(store);
    if (stage === undefined) {
      stage = new StoreStage();
      this.#stores.set(store, stage);
    }
    const id = this.#id(key);
    const old = stage.entries.get(id);
    if (old === undefined) {
      this.#count++;
      this.#bytes += key.byteLength;
    } else {
      this.#bytes -= old.value?.byteLength ?? 0;
    }
    this.#bytes += value?.byteLength ?? 0;
    stage.set(id, { key, value });
  }

  /** Ids of a store's writes in range, ascending. */
  idsInRange(store: string, range: KeyRange): string[] {
    return this.#stores.get(store)?.idsInRange(range) ?? [];
  }

  writes(store: string): Iterable<BufferedWrite> {
    return this.#stores.get(store)?.entries.values() ?? [];
  }

  /** Every write, store by store, in the order keys were first written. */
  toStoreWrites(): StoreWrite[] {
    const out: StoreWrite[] = [];
    for (const [store, stage] of this.#stores) {
      for (const w of stage.entries.values()) out.push({ store, key: w.key, value: w.value });
    }
    return out;
  }

  /** Adds the writes of an older layer whose keys this layer does not have (a failed flush coming back). */
  underlay(older: BufferLayer): void {
    for (const [store, stage] of older.#stores) {
      for (const [id, w] of stage.entries) {
        if (this.getById(store, id) === undefined) this.put(store, w.key, w.value);
      }
    }
  }
}

function bisect(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
