import { Buffer } from 'node:buffer';
import { MillraceError } from '../../../src/index.ts';
import type { CellMessage, IndexedLocation, VersionedLocation } from './indexed-location.ts';

/**
 * Binary forms of a location. The **entry** is what a cell stores (cell-locations.ts) and what the other
 * forms end with, so the matcher copies it from a message into a cell without re-encoding it:
 *
 * ```
 * offset  size   field
 * +0      8      latitude   float64 LE
 * +8      8      longitude  float64 LE
 * +16     1      flags      bit 0: this cell is the location's home (in a cell only; 0 elsewhere)
 *                           bit 1: creationNanos is negative
 * +17     …      locationId, personId, v: unsigned LEB128 varints of safe integers
 *         1      d          number of decimal digits of |creationNanos|
 *         ⌈d/2⌉  digits     two per byte, the first in the high nibble
 * ```
 *
 * An **indexed location** (value of store `location-index`, tag 1) and a **cell message** (repartition
 * topic `location-cells`, tag 2 = add, 3 = remove) are: tag (1 byte, also the format version), the home
 * cell id (1 length byte + ASCII), then the entry.
 */
export const TAG_INDEX = 1;
export const TAG_ADD = 2;
export const TAG_REMOVE = 3;

export const FLAG_AT_HOME = 1;
const FLAG_NEGATIVE = 2;
const VARINTS = 17;

/** A decoded entry. */
export interface LocationEntry extends VersionedLocation {
  readonly atHome: boolean;
}

/** Encodes the tagged form of an indexed location (or a cell message's). */
export function encodeLocation(tag: number, loc: IndexedLocation): Uint8Array {
  const home = loc.home;
  if (home.length > 255) throw new MillraceError('MR_SERDE', 'a cell id is longer than 255 characters');
  const out = Buffer.allocUnsafe(2 + home.length + maxEntrySize(loc.creationNanos));
  out[0] = tag;
  out[1] = home.length;
  for (let i = 0; i < home.length; i++) out[2 + i] = home.charCodeAt(i);
  const end = writeEntry(out, 2 + home.length, loc, false);
  return out.subarray(0, end);
}

/** Decodes the tagged form, which must carry one of `tags`. */
export function decodeLocation(bytes: Uint8Array, tags: readonly number[]): IndexedLocation {
  const tag = bytes[0] ?? -1;
  const h = bytes[1] ?? 0;
  if (!tags.includes(tag) || bytes.byteLength < 2 + h + VARINTS) badFormat(`tag ${tag}`);
  let home = '';
  for (let i = 0; i < h; i++) home += String.fromCharCode(bytes[2 + i] as number);
  const { atHome: _, ...loc } = readEntry(bytes, entryOffset(bytes));
  return { ...loc, home };
}

export function encodeCellMessage(msg: CellMessage): Uint8Array {
  return encodeLocation(msg.op === 'add' ? TAG_ADD : TAG_REMOVE, msg.loc);
}

/** Where the entry of a tagged form starts. */
export function entryOffset(bytes: Uint8Array): number {
  return 2 + (bytes[1] ?? 0);
}

/** Whether the home cell of a tagged form is `cell` (compared in place). */
export function homeIs(bytes: Uint8Array, cell: string): boolean {
  if (bytes[1] !== cell.length) return false;
  for (let i = 0; i < cell.length; i++) if (bytes[2 + i] !== cell.charCodeAt(i)) return false;
  return true;
}

/** The most bytes the entry of a location with this creationNanos takes. */
export function maxEntrySize(creationNanos: string): number {
  return VARINTS + 3 * 8 + 1 + Math.ceil(creationNanos.length / 2);
}

/** Writes the entry of `loc` at `o`; returns the offset after it. */
export function writeEntry(out: Uint8Array, o: number, loc: VersionedLocation, atHome: boolean): number {
  const nanos = loc.creationNanos;
  const negative = nanos.startsWith('-');
  const digits = negative ? nanos.length - 1 : nanos.length;
  if (!/^-?\d+$/.test(nanos) || digits > 255) badFormat(`creationNanos ${nanos.slice(0, 40)}`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setFloat64(o, loc.latitude, true);
  view.setFloat64(o + 8, loc.longitude, true);
  out[o + 16] = (atHome ? FLAG_AT_HOME : 0) | (negative ? FLAG_NEGATIVE : 0);
  o = writeVarint(out, o + VARINTS, loc.locationId);
  o = writeVarint(out, o, loc.personId);
  o = writeVarint(out, o, loc.v);
  out[o++] = digits;
  const first = negative ? 1 : 0;
  for (let i = 0; i < digits; i += 2) {
    const hi = nanos.charCodeAt(first + i) - 48;
    const lo = i + 1 < digits ? nanos.charCodeAt(first + i + 1) - 48 : 0;
    out[o++] = (hi << 4) | lo;
  }
  return o;
}

/** The offset after the entry at `o`. */
export function entryEnd(bytes: Uint8Array, o: number): number {
  o = skipVarint(bytes, skipVarint(bytes, skipVarint(bytes, o + VARINTS)));
  return o + 1 + Math.ceil((bytes[o] ?? 0) / 2);
}

/** The first varint of the entry at `o`. */
export function entryLocationId(bytes: Uint8Array, o: number): number {
  return readVarint(bytes, o + VARINTS);
}

/** The second varint of the entry at `o`. */
export function entryPersonId(bytes: Uint8Array, o: number): number {
  return readVarint(bytes, skipVarint(bytes, o + VARINTS));
}

/** Decodes the entry at `o`. */
export function readEntry(bytes: Uint8Array, o: number): LocationEntry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = bytes[o + 16] as number;
  let p = o + VARINTS;
  const locationId = readVarint(bytes, p);
  p = skipVarint(bytes, p);
  const personId = readVarint(bytes, p);
  p = skipVarint(bytes, p);
  const v = readVarint(bytes, p);
  p = skipVarint(bytes, p);
  const digits = bytes[p++] ?? 0;
  if (p + Math.ceil(digits / 2) > bytes.byteLength) badFormat('a truncated entry');
  let creationNanos = flags & FLAG_NEGATIVE ? '-' : '';
  for (let i = 0; i < digits; i += 2) {
    const b = bytes[p++] as number;
    creationNanos += i + 1 < digits ? PAIRS[b] : String.fromCharCode(48 + (b >> 4));
  }
  return {
    locationId,
    personId,
    latitude: view.getFloat64(o, true),
    longitude: view.getFloat64(o + 8, true),
    creationNanos,
    v,
    atHome: (flags & FLAG_AT_HOME) !== 0,
  };
}

/** Two-digit strings by packed byte (only the 100 valid ones are used). */
const PAIRS: string[] = Array.from({ length: 256 }, (_, b) => `${b >> 4}${b & 15}`);

function writeVarint(out: Uint8Array, o: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) badFormat(`id ${n}`);
  while (n >= 128) {
    out[o++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  return o;
}

function readVarint(bytes: Uint8Array, o: number): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[o++];
    if (b === undefined) badFormat('a truncated varint');
    n += (b & 127) * scale;
    if (b < 128) return n;
    scale *= 128;
  }
}

function skipVarint(bytes: Uint8Array, o: number): number {
  while ((bytes[o++] ?? 0) >= 128);
  return o;
}

function badFormat(what: string): never {
  throw new MillraceError(
    'MR_SERDE',
    `a person-connections location has ${what}, not one this version reads: reset the application ` +
      '(the stored format changed) or fix the producer of location-cells',
  );
}
