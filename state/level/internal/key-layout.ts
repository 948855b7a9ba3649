import { concatBytes, prefixEnd } from '../../internal/bytes.ts';
import { encodeCheckpointKey } from '../../internal/checkpoint-codec.ts';

/**
 * Key layout of the one LevelDB of a task (LevelDB compares keys as unsigned bytes, like LMDB):
 *
 * ```
 * store entry:  0x01 | u8 len(name) | name (ASCII) | key bytes       → value bytes
 * store count:  0x02 | u8 len(name) | name (ASCII)                   → u64 BE number of entries
 * checkpoint:   0x03 | UTF-8 "<topic>:<partition>"                   → checkpoint value (checkpoint-codec.ts)
 * ```
 *
 * The length byte makes store prefixes prefix-free ("ab" never captures the keys of "abc"), so a store's
 * entries are exactly the keys between its prefix and `prefixEnd(prefix)`. Counts live next to the data and
 * change in the same batch, so `approximateNumEntries` is exact and O(1) after a crash too.
 */
export const ENTRY_SPACE = 0x01;
export const COUNT_SPACE = 0x02;
export const CHECKPOINT_SPACE = 0x03;

/** `space | len | name`. Names are validated ASCII of ≤ 200 characters (store-name.ts). */
export function namePrefix(space: number, name: string): Uint8Array {
  const bytes = Buffer.from(name, 'latin1');
  const out = new Uint8Array(2 + bytes.byteLength);
  out[0] = space;
  out[1] = bytes.byteLength;
  out.set(bytes, 2);
  return out;
}

/** The prefix of every entry of a store. */
export function entryPrefix(store: string): Uint8Array {
  return namePrefix(ENTRY_SPACE, store);
}

/** The key of a store's entry count. */
export function countKey(store: string): Uint8Array {
  return namePrefix(COUNT_SPACE, store);
}

/** The key of a checkpoint. */
export function checkpointRecordKey(key: string): Uint8Array {
  return concatBytes(Uint8Array.of(CHECKPOINT_SPACE), encodeCheckpointKey(key));
}

/** The exclusive upper bound of a key space or prefix. */
export function spaceEnd(prefix: Uint8Array): Uint8Array {
  // Prefixes start with 0x01..0x03, never all 0xff, so there always is an end.
  return prefixEnd(prefix) as Uint8Array;
}

/** u64 BE encoding of a count. */
export function encodeCount(count: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(count), false);
  return out;
}

/** Decodes {@link encodeCount}. */
export function decodeCount(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, false));
}
