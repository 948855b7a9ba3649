import { MillraceError } from '../../src/errors/index.ts';

/**
 * The binary key of a segmented window/session store entry. Every part sorts as unsigned bytes in the
 * order we scan, so `fetch(key, from, to)` and `fetchAll(from, to)` are range scans of the backend:
 *
 * ```
 * offset  size  field
 * 0       8     segment id   uint64 big-endian = floor(time / segmentIntervalMs)
 * 8       n     record key   the serialized key, escaped: 0x00 -> 0x00 0xFF
 * 8+n     2     terminator   0x00 0x00
 * 10+n    8     time         uint64 big-endian (window start; session end; join record timestamp)
 * 18+n    8     suffix       uint64 big-endian (session start; duplicate sequence number; 0 otherwise)
 * ```
 *
 * Why the escape: without it, a key that is a prefix of another key ("a" vs "a\x00\x00…") would interleave
 * with it inside a range, and `fetch("a", …)` would return windows of the other key. After escaping, the
 * terminator 0x00 0x00 sorts below every escaped byte (0x00 0xFF, or 0x01..0xFF), so all entries of "a"
 * come before all entries of any longer key starting with "a", and a range bounded by
 * `[segment][escaped key][0x00 0x00][time]` holds exactly one key's entries. Keys keep their byte order.
 *
 * Times must be in [0, 2^53): the store holds epoch milliseconds, never negative.
 */

/** One decoded entry key. */
export interface WindowKeyParts {
  readonly segment: number;
  readonly key: Uint8Array;
  readonly time: number;
  readonly suffix: number;
}

const TAIL = 2 + 8 + 8;

function checkTime(what: string, t: number): void {
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new MillraceError(
      'MR_STATE_STORE_INVALID',
      `a window store ${what} must be a non-negative integer of milliseconds, got ${t}: check the record timestamps (negative timestamps cannot be windowed)`,
    );
  }
}

/** The escaped key followed by the terminator. */
export function escapeKey(key: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of key) if (b === 0) zeros++;
  const out = new Uint8Array(key.byteLength + zeros + 2);
  let at = 0;
  for (const b of key) {
    out[at++] = b;
    if (b === 0) out[at++] = 0xff;
  }
  // the two terminator bytes are already 0
  return out;
}

/** Encodes `[segment][escaped key + terminator][time][suffix]`. */
export function encodeWindowKey(
  segment: number,
  escapedKey: Uint8Array,
  time: number,
  suffix: number,
): Uint8Array {
  checkTime('time', time);
  const out = new Uint8Array(8 + escapedKey.byteLength + 16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(segment));
  out.set(escapedKey, 8);
  view.setBigUint64(8 + escapedKey.byteLength, BigInt(time));
  view.setBigUint64(16 + escapedKey.byteLength, BigInt(suffix));
  return out;
}

/** The first key of a segment (`[segment]`), a bound for scans. */
export function segmentBound(segment: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, segment)));
  return out;
}

/** `[segment][escaped key][time]`: the bound of one key's entries at `time` (any suffix is above it). */
export function keyTimeBound(segment: number, escapedKey: Uint8Array, time: number): Uint8Array {
  const out = new Uint8Array(8 + escapedKey.byteLength + 8);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(segment));
  out.set(escapedKey, 8);
  view.setBigUint64(8 + escapedKey.byteLength, BigInt(Math.max(0, time)));
  return out;
}

/** Decodes a key written by {@link encodeWindowKey}. */
export function decodeWindowKey(bytes: Uint8Array): WindowKeyParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segment = Number(view.getBigUint64(0));
  const escapedEnd = bytes.byteLength - 16; // exclusive, after the terminator
  const key: number[] = [];
  for (let i = 8; i < escapedEnd - 2; i++) {
    const b = bytes[i] as number;
    key.push(b);
    if (b === 0) i++; // skip the 0xFF of an escaped 0x00
  }
  if (bytes.byteLength < 8 + TAIL) {
    throw new MillraceError(
      'MR_STATE_STORE_INVALID',
      'a window store key is too short: the store is corrupt; delete the task directory to restore it',
    );
  }
  return {
    segment,
    key: Uint8Array.from(key),
    time: Number(view.getBigUint64(escapedEnd)),
    suffix: Number(view.getBigUint64(escapedEnd + 8)),
  };
}
