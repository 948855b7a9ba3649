/**
 * Kafka's murmur2 hash and Java's keyed-record partitioner, bit for bit.
 *
 * Java (`org.apache.kafka.common.utils.Utils.murmur2`, seed 0x9747b28c, m 0x5bd1e995, r 24): the key is read as
 * little-endian 32-bit words; each word k is mixed `k *= m; k ^= k >>> r; k *= m; h *= m; h ^= k`; the 1–3
 * trailing bytes are xored into h (byte 2 << 16, byte 1 << 8, byte 0) then `h *= m`; finally
 * `h ^= h >>> 13; h *= m; h ^= h >>> 15`. Arithmetic is 32-bit two's complement (Math.imul here).
 * The partition of a keyed record is `toPositive(murmur2(key)) % numPartitions` with
 * `toPositive(n) = n & 0x7fffffff` (BuiltInPartitioner.partitionForKey). librdkafka's `murmur2_random`
 * partitioner computes the same for non-empty keys.
 */

import { MillraceError } from '../../errors/index.ts';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/**
 * Kafka's murmur2 of `data` as a signed 32-bit integer (the value Java's `Utils.murmur2` returns).
 * @example murmur2(Buffer.from('hello')) // 2132663229
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const o = i * 4;
    let k = data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24) | 0;
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = words * 4;
  switch (length & 3) {
    case 3:
      h ^= data[tail + 2]! << 16;
    // falls through
    case 2:
      h ^= data[tail + 1]! << 8;
    // falls through
    case 1:
      h ^= data[tail]!;
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not Math.abs). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/**
 * The partition Java's default partitioner (and kcat with `-X partitioner=murmur2_random`) picks for a keyed
 * record: `toPositive(murmur2(keyBytes)) % numPartitions`.
 *
 * @example
 * ```ts
 * partitionFor(Buffer.from('patient-42'), 12); // 3, as in Java
 * ```
 */
export function partitionFor(keyBytes: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new MillraceError(
      'MR_CONFIG_INVALID',
      `numPartitions must be a positive integer, got ${numPartitions}: pass the topic's partition count`,
    );
  }
  return toPositive(murmur2(keyBytes)) % numPartitions;
}
