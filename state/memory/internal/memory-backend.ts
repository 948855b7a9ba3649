import { MillraceError } from '../../../src/errors/index.ts';
import type {
  BytesEntry,
  BytesScanOptions,
  BytesStore,
  Checkpoints,
  StoreBackend,
  StoreWrite,
} from '../../backend.ts';
import { toKeyRange } from '../../internal/key-range.ts';
import { assertStoreName } from '../../internal/store-name.ts';
import { SortedBytesMap } from './sorted-bytes-map.ts';

/** A non-persistent backend: sorted in-memory maps. Commits apply synchronously, so they are atomic. */
export class MemoryBackend implements StoreBackend {
  readonly kind = 'memory';
  readonly persistent = false;
  readonly path = undefined;
  readonly maxKeySize: number;
  readonly #stores = new Map<string, SortedBytesMap>();
  readonly #checkpoints = new Map<string, bigint>();
  #closed = false;

  constructor(maxKeySize: number) {
    this.maxKeySize = maxKeySize;
  }

  openStore(name: string): BytesStore {
    this.#assertOpen();
    assertStoreName(name);
    const map = this.#map(name);
    return {
      name,
      get: (key) => {
        this.#assertOpen();
        return map.get(key);
      },
      scan: (options = {}) => scanMap(map, options),
      approximateNumEntries: () => map.size,
    };
  }

  storeNames(): string[] {
    return [...this.#stores.keys()];
  }

  readCheckpoints(): Map<string, bigint> {
    this.#assertOpen();
    return new Map(this.#checkpoints);
  }

  async commit(writes: readonly StoreWrite[], checkpoints: Checkpoints): Promise<void> {
    this.#assertOpen();
    // Validate everything first: a commit is all or nothing.
    for (const w of writes) assertStoreName(w.store);
    for (const [key, offset] of checkpoints) {
      if (offset < 0n)
        throw new MillraceError('MR_STATE_CHECKPOINT_INVALID', `checkpoint ${key} = ${offset} < 0`);
    }
    const byStore = Map.groupBy(writes, (w) => w.store);
    for (const [store, storeWrites] of byStore) this.#map(store).apply(storeWrites);
    for (const [key, offset] of checkpoints) this.#checkpoints.set(key, offset);
  }

  async sizeOnDisk(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async destroy(): Promise<void> {
    this.#stores.clear();
    this.#checkpoints.clear();
    this.#closed = true;
  }

  #map(name: string): SortedBytesMap {
    let map = this.#stores.get(name);
    if (map === undefined) {
      map = new SortedBytesMap();
      this.#stores.set(name, map);
    }
    return map;
  }

  #assertOpen(): void {
    if (this.#closed) throw new MillraceError('MR_STATE_CLOSED', 'the in-memory state backend is closed');
  }
}

async function* scanMap(map: SortedBytesMap, options: BytesScanOptions): AsyncGenerator<BytesEntry> {
  const range = toKeyRange(options);
  const entries = map.slice(range);
  if (options.reverse === true) entries.reverse();
  const limit = options.limit ?? Infinity;
  for (let i = 0; i < entries.length && i < limit; i++) yield entries[i] as BytesEntry;
}
