// The global `Buffer` is a getter (~30 ns per access in Node 24); the module binding is not. This file is on
// every store read and write.
import { Buffer } from 'node:buffer';
/**
 * Byte helpers shared by every backend and layer. All key order in Millrace is unsigned lexicographic byte
 * order (memcmp, as LMDB and LevelDB compare), so ranges agree across backends.
 */

/** Unsigned lexicographic comparison: negative when `a < b`, 0 when equal, positive when `a > b`. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(asBuffer(a), asBuffer(b));
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && compareBytes(a, b) === 0;
}

/** A Buffer view of the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The bytes as a latin1 string: one UTF-16 code unit (0–255) per byte. JS compares strings by code unit, so
 * these strings sort exactly as the bytes do (unsigned lexicographic), and they make cheap Map keys.
 */
export function toLatin1(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('latin1');
}

/** The smallest key greater than `key`: `key ‖ 0x00`. Turns an inclusive upper / exclusive lower bound around. */
export function immediateSuccessor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.byteLength + 1);
  out.set(key);
  return out;
}

/**
 * The smallest key greater than every key that starts with `prefix` (exclusive upper bound of a prefix
 * scan): drop trailing 0xff bytes, then add one to the last byte. Undefined when there is none (the prefix is
 * empty or all 0xff), meaning the scan is open upwards.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.byteLength;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  // A copy, never a view: Buffer#slice shares memory (Uint8Array#slice copies), and keys are often Buffers.
  const out = Uint8Array.prototype.slice.call(prefix, 0, end);
  out[end - 1] = (out[end - 1] as number) + 1;
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
