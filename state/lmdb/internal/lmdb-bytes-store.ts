import type { Database } from 'lmdb';
import type { BytesEntry, BytesScanOptions, BytesStore } from '../../backend.ts';
import { asBuffer } from '../../internal/bytes.ts';
import { toKeyRange } from '../../internal/key-range.ts';

/** The read side of one LMDB named database (`keyEncoding: 'binary'`, `encoding: 'binary'`). */
export class LmdbBytesStore implements BytesStore {
  readonly name: string;
  readonly #db: Database<Buffer, Buffer>;
  readonly #assertOpen: () => void;

  constructor(name: string, db: Database<Buffer, Buffer>, assertOpen: () => void) {
    this.name = name;
    this.#db = db;
    this.#assertOpen = assertOpen;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#assertOpen();
    // `get` with binary encoding returns a fresh Buffer (not the reused one of getBinaryFast), safe to keep.
    return this.#db.get(asBuffer(key));
  }

  getTransient(key: Uint8Array): Uint8Array | undefined {
    this.#assertOpen();
    // lmdb-js's reused read buffer (its own `getBinary` copies it): a view of the `lastSize` bytes read.
    const db = this.#db as unknown as FastReads;
    const bytes = db.getBinaryFast(asBuffer(key));
    if (bytes === undefined || bytes === null) return undefined;
    return bytes.byteLength === db.lastSize ? bytes : bytes.subarray(0, db.lastSize);
  }

  async *scan(options: BytesScanOptions = {}): AsyncGenerator<BytesEntry> {
    this.#assertOpen();
    const range = toKeyRange(options);
    if (range.empty) return;
    // lmdb-js ranges run from `start` to `end` in the iteration direction, start inclusive and end exclusive
    // unless `exclusiveStart` / `inclusiveEnd` say otherwise; so reverse swaps which bound is the start.
    const [first, last] = options.reverse === true ? [range.upper, range.lower] : [range.lower, range.upper];
    const iterable = this.#db.getRange({
      start: first === undefined ? undefined : asBuffer(first.key),
      exclusiveStart: first !== undefined && !first.inclusive,
      end: last === undefined ? undefined : asBuffer(last.key),
      inclusiveEnd: last !== undefined && last.inclusive,
      reverse: options.reverse === true,
      limit: options.limit,
      // The default: iterate one read snapshot, so commits during a slow consumer do not tear the scan.
      snapshot: true,
    });
    // A `break` in the consumer returns this generator, which returns the cursor (closing it) via for-of.
    for (const { key, value } of iterable) yield { key, value };
  }

  approximateNumEntries(): number {
    this.#assertOpen();
    // mdb_stat's ms_entries: exact and O(1).
    return (this.#db.getStats() as { entryCount: number }).entryCount;
  }
}

/** lmdb-js's read without a copy (`getBinaryFast`, used by its own `getBinary`) and the size it read. */
interface FastReads {
  getBinaryFast(key: Buffer): Buffer | undefined | null;
  readonly lastSize: number;
}
