import { Buffer } from 'node:buffer';
import { MillraceError } from '../../../src/index.ts';
import {
  entryEnd,
  entryLocationId,
  entryPersonId,
  FLAG_AT_HOME,
  readEntry,
  type LocationEntry,
} from './location-codec.ts';

/**
 * All locations of one grid cell, the value of store `cell-locations` (key = cell id): one entry per cell,
 * so a new location costs one get and one put instead of a prefix scan. Layout: a format version byte (2),
 * then the cell's locations back to back in arrival order, each an entry of location-codec.ts (flag bit 0
 * set when this cell is the location's home).
 *
 * Entries are read in place by offset (the matcher reads four numbers of most of them and decodes only
 * the ones it pairs); every change builds a new value, and a cell without locations is deleted.
 */
export class CellLocations {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  /** Reads a stored value; undefined is the empty cell. */
  constructor(bytes: Uint8Array | undefined) {
    const b = bytes ?? EMPTY;
    if (b[0] !== VERSION) {
      throw new MillraceError(
        'MR_SERDE',
        `a cell-locations value has format ${b[0] ?? 'none'}, not ${VERSION}: reset the application (the stored format changed)`,
      );
    }
    this.#bytes = b;
    this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** Offset of the first entry; iterate while `o < end` with {@link next}. */
  get first(): number {
    return 1;
  }

  get end(): number {
    return this.#bytes.byteLength;
  }

  next(o: number): number {
    return entryEnd(this.#bytes, o);
  }

  locationId(o: number): number {
    return entryLocationId(this.#bytes, o);
  }

  personId(o: number): number {
    return entryPersonId(this.#bytes, o);
  }

  latitude(o: number): number {
    return this.#view.getFloat64(o, true);
  }

  longitude(o: number): number {
    return this.#view.getFloat64(o + 8, true);
  }

  atHome(o: number): boolean {
    return ((this.#bytes[o + 16] as number) & FLAG_AT_HOME) !== 0;
  }

  /** The offset of `locationId`'s entry, or -1. */
  find(locationId: number): number {
    for (let o = this.first; o < this.end; o = this.next(o)) if (this.locationId(o) === locationId) return o;
    return -1;
  }

  /** The whole entry at `o`. */
  at(o: number): LocationEntry {
    return readEntry(this.#bytes, o);
  }

  /** These locations without the entry at `o`. */
  without(o: number): CellLocations {
    const b = this.#bytes;
    const end = this.next(o);
    const out = Buffer.allocUnsafe(b.byteLength - (end - o));
    out.set(b.subarray(0, o));
    out.set(b.subarray(end), o);
    return new CellLocations(out);
  }

  /**
   * These locations and the entry at `from[o…]` (whose locationId must not be here yet), flagged as at
   * home or not.
   */
  with(from: Uint8Array, o: number, atHome: boolean): CellLocations {
    const b = this.#bytes;
    const entry = from.subarray(o, entryEnd(from, o));
    const out = Buffer.allocUnsafe(b.byteLength + entry.byteLength);
    out.set(b);
    out.set(entry, b.byteLength);
    const flags = b.byteLength + 16;
    out[flags] = atHome ? (out[flags] as number) | FLAG_AT_HOME : (out[flags] as number) & ~FLAG_AT_HOME;
    return new CellLocations(out);
  }

  /** The value to store, or undefined when the cell is empty (delete it). */
  toBytes(): Uint8Array | undefined {
    return this.#bytes.byteLength > 1 ? this.#bytes : undefined;
  }
}

const VERSION = 2;
const EMPTY = new Uint8Array([VERSION]);
