import { MillraceError } from '../../../src/index.ts';
import type { LocationEvent } from './location-event.ts';
import { readAscii, writeAscii } from './location-codec.ts';

/** A location as a cell keeps it: the event, its version, and whether this cell is its home cell. */
export interface CellLocation extends LocationEvent {
  readonly v: number;
  readonly atHome: boolean;
}

/**
 * All locations of one grid cell, the value of store `cell-locations` (key = cell id): one entry per cell,
 * so a new location costs one get and one put instead of a prefix scan. Little-endian:
 *
 * ```
 * offset  size  field
 * 0       1     format version (1)
 * 1       …     entries, back to back, in arrival order:
 *   +0    8     locationId    float64 (a safe integer)
 *   +8    8     personId      float64 (a safe integer)
 *   +16   8     latitude      float64
 *   +24   8     longitude     float64
 *   +32   8     v             float64 (a safe integer)
 *   +40   1     flags         bit 0: this cell is the location's home cell
 *   +41   1     n             length of creationNanos
 *   +42   n     creationNanos ASCII decimal
 * ```
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
    return o + HEAD + (this.#bytes[o + 41] as number);
  }

  locationId(o: number): number {
    return this.#view.getFloat64(o, true);
  }

  personId(o: number): number {
    return this.#view.getFloat64(o + 8, true);
  }

  latitude(o: number): number {
    return this.#view.getFloat64(o + 16, true);
  }

  longitude(o: number): number {
    return this.#view.getFloat64(o + 24, true);
  }

  atHome(o: number): boolean {
    return ((this.#bytes[o + 40] as number) & 1) === 1;
  }

  /** The offset of `locationId`'s entry, or -1. */
  find(locationId: number): number {
    for (let o = this.first; o < this.end; o = this.next(o)) if (this.locationId(o) === locationId) return o;
    return -1;
  }

  /** The whole entry at `o`. */
  at(o: number): CellLocation {
    return {
      locationId: this.locationId(o),
      personId: this.personId(o),
      latitude: this.latitude(o),
      longitude: this.longitude(o),
      creationNanos: readAscii(this.#bytes, o + 42, this.#bytes[o + 41] as number),
      v: this.#view.getFloat64(o + 32, true),
      atHome: this.atHome(o),
    };
  }

  /** These locations without the entry at `o`. */
  without(o: number): CellLocations {
    const b = this.#bytes;
    const out = new Uint8Array(b.byteLength - (this.next(o) - o));
    out.set(b.subarray(0, o));
    out.set(b.subarray(this.next(o)), o);
    return new CellLocations(out);
  }

  /** These locations and `loc` (whose locationId must not be here yet). */
  with(loc: CellLocation): CellLocations {
    const nanos = loc.creationNanos;
    if (nanos.length > 255)
      throw new MillraceError('MR_SERDE', 'creationNanos is longer than 255 characters');
    const b = this.#bytes;
    const out = new Uint8Array(b.byteLength + HEAD + nanos.length);
    out.set(b);
    const o = b.byteLength;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    view.setFloat64(o, loc.locationId, true);
    view.setFloat64(o + 8, loc.personId, true);
    view.setFloat64(o + 16, loc.latitude, true);
    view.setFloat64(o + 24, loc.longitude, true);
    view.setFloat64(o + 32, loc.v, true);
    out[o + 40] = loc.atHome ? 1 : 0;
    writeAscii(out, o + 41, nanos);
    return new CellLocations(out);
  }

  /** The value to store, or undefined when the cell is empty (delete it). */
  toBytes(): Uint8Array | undefined {
    return this.#bytes.byteLength > 1 ? this.#bytes : undefined;
  }
}

const VERSION = 1;
const HEAD = 42;
const EMPTY = new Uint8Array([VERSION]);
