import { compareBytes, toLatin1 } from '../../internal/bytes.ts';
import type { KeyRange } from '../../internal/key-range.ts';
import type { BytesEntry } from '../../backend.ts';

/**
 * A map from byte keys to byte values kept in unsigned byte order: a sorted array searched by bisection.
 * Inserts are O(n) (array splice), fine for tests and small in-memory stores.
 */
export class SortedBytesMap {
  #entries: BytesEntry[] = [];

  get size(): number {
    return this.#entries.length;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const i = this.#search(key);
    const e = this.#entries[i];
    return e !== undefined && compareBytes(e.key, key) === 0 ? e.value : undefined;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    const i = this.#search(key);
    const e = this.#entries[i];
    if (e !== undefined && compareBytes(e.key, key) === 0) e.value = value;
    else this.#entries.splice(i, 0, { key, value });
  }

  delete(key: Uint8Array): void {
    const i = this.#search(key);
    const e = this.#entries[i];
    if (e !== undefined && compareBytes(e.key, key) === 0) this.#entries.splice(i, 1);
  }

  /**
   * Applies writes in order (`null` deletes). Many writes into a large map rebuild the array once
   * (O((n + m) log(n + m))) instead of splicing per write (O(n·m)).
   */
  apply(writes: readonly { key: Uint8Array; value: Uint8Array | null }[]): void {
    if (writes.length < 64) {
      for (const w of writes) {
        if (w.value === null) this.delete(w.key);
        else this.set(w.key, w.value);
      }
      return;
    }
    const byId = new Map<string, BytesEntry>();
    for (const e of this.#entries) byId.set(toLatin1(e.key), e);
    for (const w of writes) {
      const id = toLatin1(w.key);
      if (w.value === null) byId.delete(id);
      else byId.set(id, { key: w.key, value: w.value });
    }
    // latin1 ids sort exactly like the bytes (see toLatin1).
    this.#entries = [...byId.keys()].sort().map((id) => byId.get(id) as BytesEntry);
  }

  /** A copy of the entries in range, ascending: a snapshot that later writes do not change. */
  slice(range: KeyRange): BytesEntry[] {
    if (range.empty) return [];
    let from = 0;
    if (range.lower !== undefined) {
      from = this.#search(range.lower.key);
      const e = this.#entries[from];
      if (!range.lower.inclusive && e !== undefined && compareBytes(e.key, range.lower.key) === 0) from++;
    }
    let to = this.#entries.length;
    if (range.upper !== undefined) {
      to = this.#search(range.upper.key);
      const e = this.#entries[to];
      if (range.upper.inclusive && e !== undefined && compareBytes(e.key, range.upper.key) === 0) to++;
    }
    return this.#entries.slice(from, Math.max(from, to)).map((e) => ({ key: e.key, value: e.value }));
  }

  /** The index of the first entry with key ≥ `key`. */
  #search(key: Uint8Array): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes((this.#entries[mid] as BytesEntry).key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
