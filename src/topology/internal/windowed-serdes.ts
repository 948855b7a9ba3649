import type { Serde } from '../../serdes/serde.ts';
import type { Windowed } from '../windows.ts';

/**
 * The serde of a windowed key (`Windowed<K>`, the key of a windowed KTable): the inner key's bytes, then
 * the window. Use it to write a windowed table to a topic and to read that topic.
 *
 * @example
 * ```ts
 * counts.toStream().to('counts-per-minute', { keySerde: windowedSerde(stringSerde()), valueSerde: longSerde() });
 * ```
 *
 *
 * ```
 * offset  size  field
 * 0       n     inner key bytes
 * n       8     window start  int64 big-endian (ms)
 * n+8     8     window end    int64 big-endian (ms; exclusive for time windows, inclusive for sliding/session)
 * ```
 */
export function windowedSerde<K>(inner: Serde<K>): Serde<Windowed<K>> {
  return {
    serialize(w) {
      const key = inner.serialize(w.key);
      const out = new Uint8Array(key.byteLength + 16);
      out.set(key, 0);
      const view = new DataView(out.buffer);
      view.setBigInt64(key.byteLength, BigInt(w.window.start));
      view.setBigInt64(key.byteLength + 8, BigInt(w.window.end));
      return out;
    },
    deserialize(bytes) {
      const n = bytes.byteLength - 16;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return {
        key: inner.deserialize(bytes.subarray(0, n)),
        window: { start: Number(view.getBigInt64(n)), end: Number(view.getBigInt64(n + 8)) },
      };
    },
  };
}

/**
 * A value with the timestamp of the latest record that made it (Kafka Streams' `ValueAndTimestamp`): what
 * the window and session stores of windowed aggregations hold.
 */
export interface Timestamped<V> {
  readonly value: V;
  readonly timestamp: number;
}

/**
 * ```
 * offset  size  field
 * 0       8     timestamp  float64 big-endian (ms)
 * 8       n     inner value bytes
 * ```
 */
export function timestampedSerde<V>(inner: Serde<V>): Serde<Timestamped<V>> {
  return {
    serialize(t) {
      const value = inner.serialize(t.value);
      const out = new Uint8Array(value.byteLength + 8);
      new DataView(out.buffer).setFloat64(0, t.timestamp);
      out.set(value, 8);
      return out;
    },
    deserialize(bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { timestamp: view.getFloat64(0), value: inner.deserialize(bytes.subarray(8)) };
    },
  };
}
