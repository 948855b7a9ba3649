import { MillraceError } from '../errors/index.ts';
import type { Serde } from './serde.ts';

/**
 * 64-bit signed integers as 8 big-endian bytes, wire-compatible with Kafka's `Serdes.Long()` (so Java
 * consumers read Millrace counts). Values are JS numbers and must be safe integers.
 *
 * Layout: `int64 BE` (two's complement), exactly 8 bytes.
 *
 * @example
 * ```ts
 * counts.toStream().to('word-counts', { keySerde: stringSerde(), valueSerde: longSerde() });
 * ```
 */
export function longSerde(): Serde<number> {
  return LONG;
}

const LONG: Serde<number> = {
  serialize(value) {
    if (!Number.isSafeInteger(value)) {
      throw new MillraceError('MR_SERDE', `longSerde cannot serialize ${String(value)}: pass a safe integer`);
    }
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigInt64(0, BigInt(value), false);
    return out;
  },
  deserialize(bytes) {
    if (bytes.byteLength !== 8) {
      throw new MillraceError(
        'MR_SERDE',
        `longSerde expected 8 bytes, got ${bytes.byteLength}: check the value serde of this topic`,
      );
    }
    return Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0, false));
  },
};
