import { MillraceError } from '../../../src/index.ts';
import type { CellMessage, IndexedLocation } from './indexed-location.ts';

/**
 * Binary form of an {@link IndexedLocation}: the value of store `location-index` (tag 1) and of a
 * {@link CellMessage} on the repartition topic `location-cells` (tag 2 = add, 3 = remove). Little-endian:
 *
 * ```
 * offset  size  field
 * 0       1     tag (1 index entry, 2 add, 3 remove), also the format version
 * 1       8     locationId    float64 (a safe integer)
 * 9       8     personId      float64 (a safe integer)
 * 17      8     latitude      float64
 * 25      8     longitude     float64
 * 33      8     v             float64 (a safe integer: an input offset)
 * 41      1     n             length of creationNanos
 * 42      n     creationNanos ASCII decimal (optional '-')
 * 42+n    1     h             length of home
 * 43+n    h     home          ASCII cell id
 * ```
 *
 * One encoding per location event, shared by every cell it is sent to; decoding reads the numbers
 * directly instead of parsing JSON.
 */
export const TAG_INDEX = 1;
export const TAG_ADD = 2;
export const TAG_REMOVE = 3;

const FIXED = 41;

export function encodeLocation(tag: number, loc: IndexedLocation): Uint8Array {
  const nanos = loc.creationNanos;
  const home = loc.home;
  if (nanos.length > 255 || home.length > 255) {
    throw new MillraceError('MR_SERDE', 'a location field is longer than 255 characters');
  }
  const out = new Uint8Array(FIXED + 2 + nanos.length + home.length);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = tag;
  view.setFloat64(1, loc.locationId, true);
  view.setFloat64(9, loc.personId, true);
  view.setFloat64(17, loc.latitude, true);
  view.setFloat64(25, loc.longitude, true);
  view.setFloat64(33, loc.v, true);
  writeAscii(out, writeAscii(out, FIXED, nanos), home);
  return out;
}

/** Decodes bytes of {@link encodeLocation} whose tag is one of `tags`. */
export function decodeLocation(bytes: Uint8Array, tags: readonly number[]): IndexedLocation {
  const tag = bytes[0] ?? -1;
  if (!tags.includes(tag) || bytes.byteLength < FIXED + 2) badFormat(tag);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes[FIXED] as number;
  if (FIXED + 2 + n > bytes.byteLength) badFormat(tag);
  const creationNanos = readAscii(bytes, FIXED + 1, n);
  const h = bytes[FIXED + 1 + n];
  if (h === undefined || FIXED + 2 + n + h > bytes.byteLength) badFormat(tag);
  return {
    locationId: view.getFloat64(1, true),
    personId: view.getFloat64(9, true),
    latitude: view.getFloat64(17, true),
    longitude: view.getFloat64(25, true),
    creationNanos,
    v: view.getFloat64(33, true),
    home: readAscii(bytes, FIXED + 2 + n, h),
  };
}

export function encodeCellMessage(msg: CellMessage): Uint8Array {
  return encodeLocation(msg.op === 'add' ? TAG_ADD : TAG_REMOVE, msg.loc);
}

export function decodeCellMessage(bytes: Uint8Array): CellMessage {
  const loc = decodeLocation(bytes, [TAG_ADD, TAG_REMOVE]);
  return { op: bytes[0] === TAG_ADD ? 'add' : 'remove', loc };
}

/** Writes a length byte and the ASCII of `s` at `o`; returns the offset after it. */
export function writeAscii(out: Uint8Array, o: number, s: string): number {
  out[o++] = s.length;
  for (let i = 0; i < s.length; i++) out[o++] = s.charCodeAt(i);
  return o;
}

/** The `n` ASCII characters at `o`. */
export function readAscii(bytes: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function badFormat(tag: number): never {
  throw new MillraceError(
    'MR_SERDE',
    `a person-connections location has tag ${tag}, not one this version reads: reset the application ` +
      '(the stored format changed) or fix the producer of location-cells',
  );
}
