import { Buffer } from 'node:buffer';
import { MillraceError } from '../errors/index.ts';
import type { Serde } from './serde.ts';

// Buffer.from(string) is ~5× faster than TextEncoder.encode for short strings (pooled allocation, no copy
// out of the encoder); a Buffer is a Uint8Array, so callers see the same type.
const decoder = new TextDecoder();

/**
 * JSON as UTF-8 text. Deserialization failures throw `MR_SERDE` (the runtime routes them to the DLQ).
 *
 * @example
 * ```ts
 * builder.stream<string, Order>('orders', { keySerde: stringSerde(), valueSerde: jsonSerde<Order>() });
 * ```
 */
export function jsonSerde<T>(): Serde<T> {
  return JSON_SERDE as Serde<T>;
}

const JSON_SERDE: Serde<unknown> = {
  serialize: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  deserialize(bytes) {
    try {
      return JSON.parse(decoder.decode(bytes)) as unknown;
    } catch (cause) {
      throw new MillraceError(
        'MR_SERDE',
        'the record is not valid JSON: fix the producer or use another serde',
        {
          cause,
        },
      );
    }
  },
  keepsNoBytes: true,
};
