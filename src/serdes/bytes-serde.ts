import type { Serde } from './serde.ts';

/**
 * Raw bytes, passed through unchanged (Kafka's `Serdes.ByteArray()`).
 *
 * @example
 * ```ts
 * builder.stream('raw', { keySerde: bytesSerde(), valueSerde: bytesSerde() });
 * ```
 */
export function bytesSerde(): Serde<Uint8Array> {
  return BYTES;
}

const BYTES: Serde<Uint8Array> = {
  serialize: (value) => value,
  deserialize: (bytes) => bytes,
};
