import { MillraceError } from '../../src/errors/index.ts';

/**
 * Checkpoint record layout (LMDB database `__millrace_checkpoints`; level key space 0x03):
 *
 * ```
 * key:   UTF-8 "<topic>:<partition>"            e.g. "app-counts-changelog:3"
 * value: offset 0  u8      format version = 0x01
 *        offset 1  u64 BE  next offset to read (0 ≤ n < 2^63)
 *        (9 bytes)
 * ```
 *
 * The version byte lets a later layout (e.g. adding a leader epoch) coexist with old task directories.
 */
const VERSION = 0x01;
const SIZE = 9;
const MAX_OFFSET = (1n << 63n) - 1n;

/** Encodes a checkpoint offset. */
export function encodeCheckpoint(offset: bigint): Uint8Array {
  if (offset < 0n || offset > MAX_OFFSET) {
    throw new MillraceError(
      'MR_STATE_CHECKPOINT_INVALID',
      `checkpoint offset ${offset} is outside 0..2^63-1`,
    );
  }
  const out = new Uint8Array(SIZE);
  const view = new DataView(out.buffer);
  view.setUint8(0, VERSION);
  view.setBigUint64(1, offset, false);
  return out;
}

/** Decodes a checkpoint offset; `where` names the record in the error message. */
export function decodeCheckpoint(bytes: Uint8Array, where: string): bigint {
  if (bytes.byteLength !== SIZE || bytes[0] !== VERSION) {
    throw new MillraceError(
      'MR_STATE_CHECKPOINT_INVALID',
      `checkpoint ${where} is unreadable (${bytes.byteLength} bytes, version ${bytes[0]}): delete the task's state directory and restart; it will be restored from the changelog`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(1, false);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The key bytes of a checkpoint. */
export function encodeCheckpointKey(key: string): Uint8Array {
  return encoder.encode(key);
}

/** The checkpoint key string of key bytes. */
export function decodeCheckpointKey(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
