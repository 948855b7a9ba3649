import type { Level } from 'level';
import type { BytesEntry, BytesScanOptions, BytesStore } from '../../backend.ts';
import { concatBytes } from '../../internal/bytes.ts';
import { toKeyRange } from '../../internal/key-range.ts';
import { entryPrefix, spaceEnd } from './key-layout.ts';

/** What a level store needs from its backend. */
export interface LevelStoreHost {
  readonly db: Level<Uint8Array, Uint8Array>;
  assertOpen(): void;
  count(store: string): number;
}

/** The read side of one store: the keys under `0x01 | len | name` in the task's LevelDB. */
export class LevelBytesStore implements BytesStore {
  readonly name: string;
  readonly #host: LevelStoreHost;
  readonly #prefix: Uint8Array;

  constructor(name: string, host: LevelStoreHost) {
    this.name = name;
    this.#host = host;
    this.#prefix = entryPrefix(name);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#host.assertOpen();
    // classic-level's getSync: a blocking LevelDB lookup (µs), which keeps store reads synchronous.
    return this.#host.db.getSync(concatBytes(this.#prefix, key));
  }

  async *scan(options: BytesScanOptions = {}): AsyncGenerator<BytesEntry> {
    this.#host.assertOpen();
    const range = toKeyRange(options);
    if (range.empty) return;
    const p = this.#prefix;
    const bounds: { gt?: Uint8Array; gte?: Uint8Array; lt?: Uint8Array; lte?: Uint8Array } = {};
    if (range.lower === undefined) bounds.gte = p;
    else if (range.lower.inclusive) bounds.gte = concatBytes(p, range.lower.key);
    else bounds.gt = concatBytes(p, range.lower.key);
    if (range.upper === undefined) bounds.lt = spaceEnd(p);
    else if (range.upper.inclusive) bounds.lte = concatBytes(p, range.upper.key);
    else bounds.lt = concatBytes(p, range.upper.key);
    // Iterators read an implicit snapshot; for-await closes the iterator when the consumer breaks.
    const iterator = this.#host.db.iterator({
      ...bounds,
      reverse: options.reverse === true,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    for await (const [key, value] of iterator) yield { key: key.subarray(p.byteLength), value };
  }

  approximateNumEntries(): number {
    this.#host.assertOpen();
    return this.#host.count(this.name);
  }
}
