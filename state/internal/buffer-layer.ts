import type { StoreWrite } from '../backend.ts';
import type { BufferedWrite } from '../write-buffer.ts';
import { toLatin1 } from './bytes.ts';
import type { KeyRange } from './key-range.ts';

/**
 * The buffered writes of one store. Entries are keyed by the latin1 string of the key bytes, which sorts
 * like the bytes (see toLatin1), so a sorted array of those strings answers range queries by bisection.
 * The array is rebuilt lazily, only after a new key arrived and a scan asks.
 */
class StoreStage {
  readonly entries = new Map<string, BufferedWrite>();
  #sorted: string[] | undefined = [];

  set(id: string, write: BufferedWrite): void {
    if (!this.entries.has(id)) this.#sorted = undefined;
    this.entries.set(id, write);
  }

  /** The ids in range, ascending. */
  idsInRange(range: KeyRange): string[] {
    this.#sorted ??= [...this.entries.keys()].sort();
    const sorted = this.#sorted;
    let from = 0;
    let to = sorted.length;
    if (range.lower !== undefined) {
      const lo = toLatin1(range.lower.key);
      from = bisect(sorted, lo);
      if (!range.lower.inclusive && sorted[from] === lo) from++;
    }
    if (range.upper !== undefined) {
      const hi = toLatin1(range.upper.key);
      to = bisect(sorted, hi);
      if (range.upper.inclusive && sorted[to] === hi) to++;
    }
    return from < to ? sorted.slice(from, to) : [];
  }
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
    return this.#stores.get(store)?.entries.get(toLatin1(key));
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
    const id = toLatin1(key);
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
