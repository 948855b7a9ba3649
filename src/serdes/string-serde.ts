import type { Serde } from './serde.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * UTF-8 strings (Kafka's `Serdes.String()`).
 *
 * @example
 * ```ts
 * builder.stream('lines', { keySerde: stringSerde(), valueSerde: stringSerde() });
 * ```
 */
export function stringSerde(): Serde<string> {
  return STRING;
}

const STRING: Serde<string> = {
  serialize: (value) => encoder.encode(value),
  deserialize: (bytes) => decoder.decode(bytes),
};
